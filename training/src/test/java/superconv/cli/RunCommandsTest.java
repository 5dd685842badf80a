package superconv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static superconv.cli.CliRun.run;
import static superconv.cli.IdxFiles.idx;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import superconv.training.run.RunFolder;
import superconv.training.run.RunStatus;

/** list, run and report through the command line, on a small synthetic Fashion-MNIST in a temporary data root. */
class RunCommandsTest {

  @TempDir Path dir;

  private static final String MANIFEST = """
      [defaults]
      dataset = "fashion-mnist"
      width = 2
      epochs = 2
      batch_size = 16
      train_limit = 64
      test_limit = 32
      device = "cpu"

      [[experiment]]
      name = "sgd"
      optimizer = { type = "sgd" }
      schedule = { type = "constant", lr = 0.05 }
      [experiment.grid]
      "schedule.lr" = [0.05, 0.1]
      """;

  private Path manifest(String text) throws Exception {
    return Files.writeString(dir.resolve("experiments.toml"), text);
  }

  /** 28x28 images whose brightness follows the label (0-9), so a tiny network learns something. */
  static void split(Path folder, String prefix, int count, long seed) throws Exception {
    Random random = new Random(seed);
    byte[] pixels = new byte[count * 784];
    byte[] labels = new byte[count];
    for (int i = 0; i < count; i++) {
      labels[i] = (byte) (i % 10);
      for (int p = 0; p < 784; p++) {
        pixels[i * 784 + p] = (byte) (labels[i] * 20 + random.nextInt(40));
      }
    }
    Files.write(folder.resolve(prefix + "-images-idx3-ubyte"), idx(new int[] {count, 28, 28}, pixels));
    Files.write(folder.resolve(prefix + "-labels-idx1-ubyte"), idx(new int[] {count}, labels));
  }

  private Path dataRoot() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("data/fashion-mnist"));
    split(folder, "train", 100, 1);
    split(folder, "t10k", 40, 2);
    return dir.resolve("data");
  }

  @Test
  void listJsonCarriesWhatEachRunTrains() throws Exception {
    CliRun list = run("list", manifest(MANIFEST).toString(), "--json");
    assertThat(list.exitCode()).as(list.err()).isZero();
    JsonNode runs = Json.mapper().readTree(list.out());
    assertThat(runs).hasSize(2);
    JsonNode first = runs.get(0);
    assertThat(first.get("experiment").asText()).isEqualTo("sgd");
    assertThat(first.get("run").asText()).isEqualTo("lr=0.05");
    assertThat(first.get("dataset").asText()).isEqualTo("fashion-mnist");
    assertThat(first.get("network").asText()).isEqualTo("resnet18");
    assertThat(first.get("batch_size").asInt()).isEqualTo(16);
    assertThat(first.get("epochs").asInt()).isEqualTo(2);
    assertThat(first.get("optimizer").toString()).isEqualTo("{\"type\":\"sgd\"}");
    assertThat(runs.get(1).get("schedule").toString()).isEqualTo("{\"type\":\"constant\",\"lr\":0.1}");

    CliRun text = run("list", manifest(MANIFEST).toString(), "--only", "sgd/lr=0.1");
    assertThat(text.out()).contains("sgd/lr=0.1").doesNotContain("sgd/lr=0.05").contains("1 run");
  }

  @Test
  void listJsonGivesCalculatedRatesAScheduleTableAndListsPhases() throws Exception {
    CliRun list = run("list", manifest("""
        [defaults]
        dataset = "fashion-mnist"
        epochs = 10

        [[experiment]]
        name = "ada"
        optimizer = { type = "adasecant" }

        [[experiment]]
        name = "switch"
        phases = [
          { epochs = 4, optimizer = { type = "sgd" }, schedule = { type = "constant", lr = 0.1 } },
          { optimizer = { type = "simple-adasecant" } },
        ]
        """).toString(), "--json");
    assertThat(list.exitCode()).as(list.err()).isZero();
    JsonNode runs = Json.mapper().readTree(list.out());
    JsonNode ada = runs.get(0);
    assertThat(ada.get("optimizer").toString()).isEqualTo("{\"type\":\"adasecant\"}");
    assertThat(ada.get("schedule").toString()).isEqualTo("{\"type\":\"calculated\"}");
    assertThat(ada.has("phases")).isFalse();
    JsonNode switching = runs.get(1);
    assertThat(switching.get("optimizer").toString()).isEqualTo("{\"type\":\"sgd\"}");
    assertThat(switching.get("schedule").toString()).isEqualTo("{\"type\":\"constant\",\"lr\":0.1}");
    assertThat(switching.get("phases").toString()).isEqualTo("[{\"from_epoch\":0,\"epochs\":4,"
        + "\"optimizer\":{\"type\":\"sgd\"},\"schedule\":{\"type\":\"constant\",\"lr\":0.1}},"
        + "{\"from_epoch\":4,\"epochs\":6,\"optimizer\":{\"type\":\"simple-adasecant\"},"
        + "\"schedule\":{\"type\":\"calculated\"}}]");
    List<String> keys = new java.util.ArrayList<>();
    switching.fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsSubsequence("optimizer", "schedule", "phases", "grid");
  }

  @Test
  void aRunThatFailsBeforeItsFirstCheckpointLeavesNoFolderAndOneLogLine() throws Exception {
    Path data = dataRoot();
    Path file = manifest(MANIFEST.replace("device = \"cpu\"", "device = \"gpu:7\"")
        .replace("\"schedule.lr\" = [0.05, 0.1]", "\"schedule.lr\" = [0.05]"));
    PrintStream saved = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    CliRun failed;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8)); // the console log follows System.err
    try {
      failed = run("run", file.toString(), "--data-dir", data.toString(), "--offline", "--no-progress");
    } finally {
      System.setErr(saved);
    }
    assertThat(failed.exitCode()).isEqualTo(1);
    assertThat(failed.out()).contains("failed: device \"gpu:7\"");
    String logged = log.toString(StandardCharsets.UTF_8);
    assertThat(logged).contains("run sgd/lr=0.05 failed: device \"gpu:7\"").doesNotContain("\tat ");
    assertThat(dir.resolve("runs/sgd/lr=0.05")).doesNotExist();
  }

  @Test
  void aRefusedManifestWritesNothing() throws Exception {
    Path bad = manifest(MANIFEST.replace("epochs = 2", "epochs = 0").replace("width = 2", "widht = 2"));
    CliRun refused = run("run", bad.toString(), "--data-dir", dataRoot().toString(), "--offline");
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).contains("refused; nothing was run or written")
        .contains("unknown key \"widht\" (did you mean \"width\"?)");
    assertThat(dir.resolve("runs")).doesNotExist();

    Path syntax = manifest("[defaults]\nwidth = 2\n[[experiment]\nname = \"x\"\n");
    CliRun broken = run("list", syntax.toString());
    assertThat(broken.exitCode()).isEqualTo(2);
    assertThat(broken.err()).contains("experiments.toml:3-4: TOML syntax error")
        .contains("   3 | [[experiment]");
  }

  @Test
  void runSkipsFinishedRunsRefusesChangedSpecsAndReports() throws Exception {
    Path data = dataRoot();
    Path manifest = manifest(MANIFEST);
    CliRun dry = run("run", manifest.toString(), "--dry-run");
    assertThat(dry.out()).contains("new      sgd/lr=0.05").contains("nothing was written");
    assertThat(dir.resolve("runs")).doesNotExist();

    CliRun first = run("run", manifest.toString(), "--data-dir", data.toString(), "--offline", "--no-progress");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).contains("sgd/lr=0.05").contains("finished");
    RunFolder folder = new RunFolder(dir.resolve("runs/sgd/lr=0.05"));
    assertThat(folder.readRecord().orElseThrow().status()).isEqualTo(RunStatus.FINISHED);
    assertThat(folder.readMetrics()).hasSize(2);
    assertThat(Files.readString(folder.log())).contains("sgd/lr=0.05 epoch 2/2");

    CliRun again = run("run", manifest.toString(), "--data-dir", data.toString(), "--offline", "--no-progress");
    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).contains("finished (skipped)");
    assertThat(run("run", manifest.toString(), "--dry-run").out()).contains("skip     sgd/lr=0.05 (finished, 2/2 epochs)");

    CliRun changed = run("run", manifest(MANIFEST.replace("width = 2", "width = 3")).toString(), "--data-dir",
        data.toString(), "--offline");
    assertThat(changed.exitCode()).isEqualTo(2);
    assertThat(changed.err()).contains("trained with a different spec (changed: width)");

    Path markdown = dir.resolve("report/results.md");
    CliRun report = run("report", dir.resolve("runs").toString(), "--markdown", markdown.toString(), "--csv",
        dir.resolve("report/results.csv").toString(), "--plots", dir.resolve("report/plots").toString());
    assertThat(report.exitCode()).as(report.err()).isZero();
    assertThat(report.out()).contains("Fashion-MNIST").contains("ResNet18 (width 2)").contains("sgd/lr=0.1");
    assertThat(Files.readString(markdown)).contains("| Data Set | Network |");
    assertThat(dir.resolve("report/plots/sgd-accuracy.png")).exists();
  }
}
