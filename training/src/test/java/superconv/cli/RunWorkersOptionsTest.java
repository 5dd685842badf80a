package superconv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static superconv.cli.CliRun.run;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import superconv.training.manifest.ComponentRules;
import superconv.training.manifest.Manifest;
import superconv.training.manifest.RunSpec;
import superconv.training.run.RunFolder;
import superconv.training.run.RunRecord;
import superconv.training.run.RunStatus;

/** run --workers and --devices: everything refused or planned before a worker starts (no worker starts here). */
class RunWorkersOptionsTest {

  @TempDir Path dir;

  private static final String MANIFEST = """
      [defaults]
      dataset = "fashion-mnist"
      width = 2
      epochs = 1
      device = "%s"

      [[experiment]]
      name = "sgd"
      optimizer = { type = "sgd" }
      schedule = { type = "constant", lr = 0.05 }
      [experiment.grid]
      "schedule.lr" = [0.05, 0.1, 0.2]
      """;

  private String manifest(String device) throws Exception {
    return Files.writeString(dir.resolve("experiments.toml"), MANIFEST.formatted(device)).toString();
  }

  @Test
  void badCountsAndDevicesAreOneLineAndExitTwo() throws Exception {
    String manifest = manifest("auto");
    CliRun none = run("run", manifest, "--workers", "0");
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.errLines()).containsExactly(
        "superconv run: --workers must be 1 or more, not 0 (superconv run --help shows the options)");

    CliRun index = run("run", manifest, "--workers", "2", "--index", "1");
    assertThat(index.exitCode()).isEqualTo(2);
    assertThat(index.err()).contains("--index picks one run, which one worker trains: --workers 2 has nothing to"
        + " share (leave --workers out, or give --shard K/N for a part of the grid)");

    CliRun devices = run("run", manifest, "--devices", "gpu0,gpu1");
    assertThat(devices.exitCode()).isEqualTo(2);
    assertThat(devices.err()).contains("\"gpu0\" is not a GPU (gpu:N); give cpu, all, or GPUs such as gpu:0,gpu:1");

    CliRun threads = run("run", manifest, "--threads", "0");
    assertThat(threads.exitCode()).isEqualTo(2);
    assertThat(threads.err()).contains("--threads must be 1 or more, not 0 (leave it out for TensorFlow's choice)");
    assertThat(dir.resolve("runs")).doesNotExist();
  }

  @Test
  void allGpusWithTheCpuNativesIsOneLineSayingThereAreNone() throws Exception {
    CliRun all = run("run", manifest("auto"), "--devices", "all", "--dry-run");
    assertThat(all.exitCode()).isEqualTo(2);
    assertThat(all.errLines()).singleElement().asString().startsWith("superconv run: --devices all: TensorFlow lists"
        + " no GPU, because TensorFlow's CPU natives are on the class path");
  }

  @Test
  void cpuWorkersSeeNoGpuAndRunsPinnedToAGpuAreRefusedBeforeAnythingStarts() throws Exception {
    CliRun cpu = run("run", manifest("auto"), "--devices", "cpu", "--workers", "3", "--threads", "2", "--dry-run");
    assertThat(cpu.exitCode()).as(cpu.err()).isZero();
    assertThat(cpu.outLines()).containsSubsequence("new      sgd/lr=0.2",
        "worker 1: cpu (CUDA_VISIBLE_DEVICES=\"\"), 2 threads", "worker 3: cpu (CUDA_VISIBLE_DEVICES=\"\"), 2 threads",
        "3 runs; runs directory " + dir.resolve("runs") + "; nothing was written (--dry-run)");

    CliRun pinned = run("run", manifest("gpu"), "--devices", "cpu");
    assertThat(pinned.exitCode()).isEqualTo(2);
    assertThat(pinned.err()).contains(
        "run sgd/lr=0.05 asks for device \"gpu\", but --devices cpu hides every GPU from the workers");
    assertThat(dir.resolve("runs")).doesNotExist();
  }

  @Test
  void noMoreWorkersStartThanRunsAreLeftToTrain() throws Exception {
    String manifest = manifest("cpu");
    CliRun shard = run("run", manifest, "--workers", "3", "--shard", "0/2", "--dry-run");
    assertThat(shard.outLines()).containsExactly("new      sgd/lr=0.05", "new      sgd/lr=0.2",
        "worker 1: cpu, " + half(0), "worker 2: cpu, " + half(1),
        "2 runs; runs directory " + dir.resolve("runs") + "; nothing was written (--dry-run)");

    Path runs = dir.resolve("runs");
    for (RunSpec spec : Manifest.load(Path.of(manifest), ComponentRules.standard()).runs()) {
      new RunFolder(runs.resolve(spec.experiment()).resolve(spec.run())).writeRecord(new RunRecord(
          RunStatus.FINISHED, RunFolder.json().valueToTree(spec), "v", null, "2.18.0", "/CPU:0", null, null, "t",
          "t", 1, 6, 1, 0.5, null, null));
    }
    CliRun done = run("run", manifest, "--workers", "2", "--offline", "--data-dir", dir.resolve("none").toString());
    assertThat(done.exitCode()).as(done.err()).isZero();
    assertThat(done.outLines()).contains("sgd/lr=0.1   finished (skipped)  1/1     50.00 @1");
  }

  private static String half(int worker) {
    int cores = Runtime.getRuntime().availableProcessors();
    int threads = Math.max(1, cores / 2 + (worker < cores % 2 ? 1 : 0));
    return threads + " thread" + (threads == 1 ? "" : "s");
  }
}
