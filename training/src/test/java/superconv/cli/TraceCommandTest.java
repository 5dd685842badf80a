package superconv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static superconv.cli.ScheduleCommandTest.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceCommandTest {

  @TempDir Path dir;

  @Test
  void sgdOnRosenbrockTakesTheGradientStep() throws Exception {
    Path csv = dir.resolve("path.csv");
    Path png = dir.resolve("path.png");
    String[] r = run("trace", "--optimizer", "{ type = \"sgd\" }", "--schedule", "{ type = \"constant\", lr = 0.001 }",
        "--function", "rosenbrock", "--start", "-1.2,1", "--steps", "20", "--csv", csv.toString(),
        "--plot", png.toString());
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines).hasSize(21);
    assertThat(lines.get(0)).isEqualTo("step,lr,loss,w1,w2");
    String[] first = lines.get(1).split(",");
    // f(-1.2, 1) = 2.2^2 + 100 * 0.44^2 = 24.2; grad = (-2 * 2.2 + 400 * 1.2 * (-0.44), 200 * (-0.44)) = (-215.6, -88)
    assertThat(Double.parseDouble(first[2])).isCloseTo(24.2, within(1e-12));
    assertThat(Double.parseDouble(first[3])).isCloseTo(-1.2 + 0.2156, within(1e-12));
    assertThat(Double.parseDouble(first[4])).isCloseTo(1 + 0.088, within(1e-12));
    assertThat(Files.size(png)).isPositive();
  }

  @Test
  void dataBatchesCycleAndTheLossIsTheBatchLossBeforeTheUpdate() throws Exception {
    Path data = dir.resolve("data.csv");
    Files.writeString(data, "1,0,2\n0,1,-1\n1,1,3\n2,0,1\n");
    Path csv = dir.resolve("trace.csv");
    String[] r = run("trace", "--optimizer", "{ type = \"adasecant\" }", "--data", data.toString(), "--batch", "2",
        "--steps", "5", "--dtype", "float32", "--csv", csv.toString());
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines.get(0)).isEqualTo("step,lr,loss,w1,w2");
    assertThat(lines).hasSize(6);
    // w = 0: batch 0 loss (4 + 1) / 4, and AdaSecant's first update is 0 (a = 0 makes alpha non-finite -> 0).
    String[] first = lines.get(1).split(",");
    assertThat(Double.parseDouble(first[1])).isEqualTo(0.0);
    assertThat(Double.parseDouble(first[2])).isCloseTo(1.25, within(1e-6));
    assertThat(Double.parseDouble(first[3])).isEqualTo(0.0);
    // step 1 uses batch 1 at w = 0: (9 + 1) / 4
    assertThat(Double.parseDouble(lines.get(2).split(",")[2])).isCloseTo(2.5, within(1e-6));
    assertThat(r[1]).contains("\"dtype\":\"float32\"");
  }

  @Test
  void badInputIsNamedBeforeAnyStep() throws Exception {
    Path data = dir.resolve("bad.csv");
    Files.writeString(data, "1,0,2\n0,x,-1\n");
    String[] r = run("trace", "--optimizer", "{ type = \"sgd\" }", "--schedule", "{ type = \"constant\", lr = 0.1 }",
        "--data", data.toString(), "--batch", "1", "--steps", "3");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains(data + " line 2 column 2: 'x' is not a number");
    assertThat(r[2].strip()).doesNotContain("\n").doesNotContain("Usage").startsWith("superconv trace: ");

    Files.writeString(data, "1,0,2\n0,1,-1\n1,1,1\n");
    r = run("trace", "--optimizer", "{ type = \"sgd\" }", "--schedule", "{ type = \"constant\", lr = 0.1 }",
        "--data", data.toString(), "--batch", "2", "--steps", "3");
    assertThat(r[2]).contains("--batch 2 is not allowed: expected a divisor of the 3 rows");

    r = run("trace", "--optimizer", "{ type = \"sgd\" }", "--function", "beale", "--steps", "3");
    assertThat(r[2]).contains("optimizer sgd needs a learning-rate schedule");

    r = run("trace", "--optimizer", "{ type = \"adam\" }", "--schedule", "{ type = \"constant\", lr = 0.1 }",
        "--function", "quadratic", "--start", "1,y", "--steps", "3");
    assertThat(r[2]).contains("--start 1,y: 'y' is not a number");

    r = run("trace", "--optimizer", "{ type = \"sgd\", momentum = 2 }", "--function", "beale", "--steps", "3");
    assertThat(r[2]).contains("optimizer: momentum = 2 is not allowed: expected a number in [0, 1)");

    r = run("trace", "--optimizer", "{ type = \"adam\" }", "--function", "beale", "--data", data.toString(),
        "--steps", "3");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains("mutually exclusive");
  }
}
