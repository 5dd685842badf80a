package superconv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static superconv.cli.CliRun.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import superconv.training.run.RunFolder;
import superconv.training.run.RunRecord;
import superconv.training.run.RunStatus;

/** status through the command line, after one real run trained by index on a tiny synthetic Fashion-MNIST. */
class StatusCommandTest {

  @TempDir Path dir;

  private static final String MANIFEST = """
      [defaults]
      dataset = "fashion-mnist"
      width = 2
      epochs = 1
      batch_size = 16
      train_limit = 32
      test_limit = 16
      device = "cpu"

      [[experiment]]
      name = "sgd"
      optimizer = { type = "sgd" }
      schedule = { type = "constant", lr = 0.05 }
      [experiment.grid]
      "schedule.lr" = [0.05, 0.1, 0.2]
      """;

  @Test
  void statusShowsTheRunTrainedByIndexAndTheRunsNotStarted() throws Exception {
    Path manifest = Files.writeString(dir.resolve("experiments.toml"), MANIFEST);
    Path fashion = Files.createDirectories(dir.resolve("data/fashion-mnist"));
    RunCommandsTest.split(fashion, "train", 40, 1);
    RunCommandsTest.split(fashion, "t10k", 20, 2);
    CliRun trained = run("run", manifest.toString(), "--index", "1", "--data-dir", dir.resolve("data").toString(),
        "--offline", "--no-progress");
    assertThat(trained.exitCode()).as(trained.err()).isZero();
    Path runs = dir.resolve("runs");
    assertThat(runs.resolve("sgd/lr=0.05")).doesNotExist();
    RunRecord record = new RunFolder(runs.resolve("sgd/lr=0.1")).readRecord().orElseThrow();
    assertThat(record.status()).isEqualTo(RunStatus.FINISHED);
    assertThat(record.scheduler().pid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(record.scheduler().host()).isNotBlank();

    CliRun text = run("status", runs.toString(), "--manifest", manifest.toString());
    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.outLines().get(0)).matches("RUN +INDEX +STATE +EPOCHS +BEST VAL ACC \\(%\\) +WHERE / WHY");
    assertThat(text.outLines().get(1)).matches("sgd/lr=0.05 +0 +not-started +0/1 +-");
    assertThat(text.outLines().get(2)).matches("sgd/lr=0.1 +1 +finished +1/1 +\\d+\\.\\d\\d @1");
    assertThat(text.lastLine()).isEqualTo("3 runs: 1 finished, 2 not-started");

    CliRun json = run("status", runs.toString(), "--json");
    JsonNode states = Json.mapper().readTree(json.out());
    assertThat(states).hasSize(1);
    assertThat(states.get(0).get("run").asText()).isEqualTo("sgd/lr=0.1");
    assertThat(states.get(0).get("state").asText()).isEqualTo("finished");
    assertThat(states.get(0).get("epochs_completed").asInt()).isEqualTo(1);
    assertThat(states.get(0).get("epochs").asInt()).isEqualTo(1);
    assertThat(states.get(0).has("index")).isFalse();
    assertThat(states.get(0).get("scheduler").get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
  }

  @Test
  void handWrittenFoldersShowEachStateOnOneLine() throws Exception {
    Path runs = dir.resolve("runs");
    var spec = RunFolder.json().readTree("{\"experiment\":\"e\",\"run\":\"a\",\"epochs\":5}");
    new RunFolder(runs.resolve("e/a")).writeRecord(new RunRecord(RunStatus.INTERRUPTED, spec, "0.1.0", null,
        "2.18.0", "/CPU:0", null, null, "t0", "t1", 2, 20, 2, 0.5, null, "java.lang.IllegalStateException: boom\nat x"));
    Files.createDirectories(runs.resolve("e/b"));
    Files.writeString(runs.resolve("e/b/run.json"), "{ \"status\" : ");

    CliRun status = run("status", runs.toString());
    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.outLines()).hasSize(4);
    assertThat(status.outLines().get(1))
        .matches("e/a +failed +2/5 +50\\.00 @2 +java.lang.IllegalStateException: boom at x");
    assertThat(status.outLines().get(2)).matches("e/b +unreadable +- +- +unreadable run.json \\(.*\\)");
    assertThat(status.lastLine()).isEqualTo("2 runs: 1 failed, 1 unreadable");

    CliRun missing = run("status", dir.resolve("nowhere").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.errLines()).containsExactly("superconv status: " + dir.resolve("nowhere")
        + " is not a directory");
  }
}
