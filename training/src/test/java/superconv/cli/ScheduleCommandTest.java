package superconv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import superconv.optimizers.RunLength;
import superconv.optimizers.Schedule;
import superconv.optimizers.Schedules;

class ScheduleCommandTest {

  @TempDir Path dir;

  /** Runs the command line; returns exit code, stdout and stderr. */
  static String[] run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    PrintStream saved = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      int code = cli.execute(args);
      return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8), err.toString()};
    } finally {
      System.setOut(saved);
    }
  }

  @Test
  void writesTheRatesARunFeedsAndAPlot() throws Exception {
    Path csv = dir.resolve("out/lr.csv");
    Path png = dir.resolve("out/lr.png");
    String table = "{ type = \"triangular\", min = 0.001, max = 1.0, cycle_epochs = 25 }";
    String[] r = run("schedule", "--schedule", table, "--epochs", "100", "--iterations-per-epoch", "390",
        "--csv", csv.toString(), "--plot", png.toString());
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    assertThat(r[1]).contains("\"cycle_iterations\":9750.0").contains("\"max_lr\":1.0");
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines).hasSize(39001);
    assertThat(lines.get(0)).isEqualTo("iteration,lr");
    Schedule s = Schedules.fromTable(Map.of("type", "triangular", "min", 0.001, "max", 1.0, "cycle_epochs", 25),
        new RunLength(100, 390));
    for (int j : new int[] {0, 1, 4875, 9750, 12345, 38999}) {
      String[] cells = lines.get(j + 1).split(",");
      assertThat(Long.parseLong(cells[0])).isEqualTo(j);
      assertThat(Double.parseDouble(cells[1])).isEqualTo(s.rate(j));
    }
    assertThat(Files.size(png)).isPositive();
    // Results are readable by everyone, like any file (temporary files start owner-only).
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(csv)))
        .isEqualTo("rw-r--r--");
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(png)))
        .isEqualTo("rw-r--r--");
    try (var files = Files.list(csv.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("lr.csv", "lr.png");
    }
  }

  @Test
  void theEnvelopeKeepsRealPointsAndTheExtremesOfEveryBucket() {
    double[] x = new double[10000];
    double[] y = new double[10000];
    for (int i = 0; i < x.length; i++) {
      x[i] = i;
      y[i] = Math.sin(i / 37.0) + (i == 5003 ? 5 : 0);
    }
    double[][] shown = ScheduleCommand.envelope(x, y, 100);
    assertThat(shown[0]).hasSize(400);
    assertThat(shown[0][0]).isEqualTo(0);
    assertThat(shown[0][399]).isEqualTo(9999);
    assertThat(shown[1]).contains(5 + Math.sin(5003 / 37.0));
    for (int i = 0; i < shown[0].length; i++) {
      assertThat(shown[1][i]).isEqualTo(y[(int) shown[0][i]]);
      if (i > 0) {
        assertThat(shown[0][i]).isGreaterThanOrEqualTo(shown[0][i - 1]);
      }
    }
    double[] shortX = {0, 1, 2};
    assertThat(ScheduleCommand.envelope(shortX, shortX, 100)[0]).isSameAs(shortX);
  }

  @Test
  void momentumColumnForCyclicalMomentum() throws Exception {
    Path csv = dir.resolve("m.csv");
    String[] r = run("schedule", "--schedule",
        "{ type = \"one-cycle\", min = 0.01, max = 1, momentum_max = 0.95, momentum_min = 0.85 }",
        "--epochs", "2", "--iterations-per-epoch", "50", "--csv", csv.toString());
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines.get(0)).isEqualTo("iteration,lr,momentum");
    assertThat(lines.get(1)).isEqualTo("0,0.01,0.95");
  }

  @Test
  void badTablesAreRefusedBeforeAnythingIsWritten() {
    Path csv = dir.resolve("never.csv");
    String[] r = run("schedule", "--schedule", "{ type = \"triangular\", min = 0.1, max = 0.01, cycle_epochs = 2 }",
        "--epochs", "10", "--iterations-per-epoch", "10", "--csv", csv.toString());
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains("schedule: max = 0.01 is not allowed: expected a finite rate > min (0.1)");
    // One line, no usage text: the options parsed, a value is wrong.
    assertThat(r[2].strip()).doesNotContain("\n").doesNotContain("Usage").startsWith("superconv schedule: ");
    assertThat(csv).doesNotExist();

    r = run("schedule", "--schedule", "{ type = \"constant\", lr = }", "--epochs", "1", "--iterations-per-epoch", "1");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains("--schedule: not a valid inline TOML table");
    assertThat(r[2].strip()).doesNotContain("\n");

    r = run("schedule", "--schedule", "{ type = \"warmup\" }", "--epochs", "1", "--iterations-per-epoch", "1");
    assertThat(r[2]).contains("valid: constant, triangular, one-cycle, exponential, random, cosine, range-test, sequence");
  }
}
