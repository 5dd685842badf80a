package superconv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static superconv.cli.CliRun.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import superconv.training.grid.JavaCommand;
import superconv.training.run.RunFolder;
import superconv.training.run.RunRecord;
import superconv.training.run.RunStatus;

/**
 * run --workers through real worker JVMs on the CPU, on a small synthetic Fashion-MNIST: a grid shared by two
 * workers trains every run exactly once, and SIGTERM to the parent stops both workers with their runs interrupted,
 * which the next run resumes.
 */
class RunWorkersTest {

  @TempDir Path dir;

  private static final String MANIFEST = """
      [defaults]
      dataset = "fashion-mnist"
      width = 2
      epochs = %d
      batch_size = 16
      train_limit = %d
      test_limit = 16
      device = "cpu"
      optimizer = { type = "sgd", momentum = 0.9 }
      schedule = { type = "constant", lr = 0.05 }

      [[experiment]]
      name = "sgd"
      [experiment.grid]
      "schedule.lr" = %s
      """;

  private Path manifest(int epochs, int trainLimit, String rates) throws Exception {
    return Files.writeString(dir.resolve("experiments.toml"), MANIFEST.formatted(epochs, trainLimit, rates));
  }

  private Path data() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("data/fashion-mnist"));
    RunCommandsTest.split(folder, "train", 100, 1);
    RunCommandsTest.split(folder, "t10k", 40, 2);
    return dir.resolve("data");
  }

  private static RunRecord record(Path runs, String run) throws IOException {
    return new RunFolder(runs.resolve("sgd").resolve(run)).readRecord().orElseThrow();
  }

  private static long lines(Path events, String fragment) throws IOException {
    return Files.readAllLines(events).stream().filter(line -> line.contains(fragment)).count();
  }

  @Test
  void twoWorkersShareAGridAndTrainEachRunOnceAsASingleProcessWould() throws Exception {
    Path data = data();
    Path manifest = manifest(1, 48, "[0.02, 0.05, 0.1, 0.2]");
    Path runs = dir.resolve("runs");
    List<String> ids = List.of("lr=0.02", "lr=0.05", "lr=0.1", "lr=0.2");

    CliRun dry = run("run", manifest.toString(), "--workers", "2", "--dry-run");
    assertThat(dry.exitCode()).as(dry.err()).isZero();
    assertThat(dry.outLines()).contains("worker 1: cpu, " + threads(0), "worker 2: cpu, " + threads(1));
    assertThat(runs).doesNotExist();

    CliRun pool = run("run", manifest.toString(), "--workers", "2", "--data-dir", data.toString());
    assertThat(pool.exitCode()).as(pool.out() + pool.err()).isZero();
    assertThat(pool.outLines().get(0)).matches("RUN +STATUS +EPOCHS +BEST VAL ACC \\(%\\) +WORKER");
    Set<String> workers = new HashSet<>();
    for (String id : ids) {
      RunRecord record = record(runs, id);
      assertThat(record.status()).as(id).isEqualTo(RunStatus.FINISHED);
      // Trained once, by one worker, in a process of its own: not the test's JVM.
      assertThat(lines(runs.resolve("sgd").resolve(id).resolve("events.jsonl"), "\"event\":\"start\"")).isEqualTo(1);
      assertThat(record.scheduler().pid()).isNotEqualTo(ProcessHandle.current().pid());
      workers.add(record.scheduler().worker());
      assertThat(pool.outLines()).anyMatch(line -> line.matches("sgd/" + id.replace(".", "\\.")
          + " +finished +1/1 .* w" + record.scheduler().worker()));
    }
    assertThat(workers).containsExactlyInAnyOrder("1", "2");

    // The same run trained by this process alone, with TensorFlow's own thread count (all cores) where each worker
    // had half of them: the same bytes.
    Path alone = dir.resolve("alone");
    CliRun single = run("run", manifest.toString(), "--only", "sgd/lr=0.1", "--runs-dir", alone.toString(),
        "--data-dir", data.toString(), "--no-progress");
    assertThat(single.exitCode()).as(single.err()).isZero();
    Path pooled = runs.resolve("sgd/lr=0.1");
    Path reference = alone.resolve("sgd/lr=0.1");
    assertThat(withoutSeconds(pooled.resolve("metrics.csv")))
        .isEqualTo(withoutSeconds(reference.resolve("metrics.csv")));
    for (Path file : checkpointFiles(reference)) {
      assertThat(pooled.resolve(reference.relativize(file))).as(file.getFileName().toString())
          .hasSameBinaryContentAs(file);
    }
  }

  @Test
  void sigtermToTheParentStopsBothWorkersWithTheirRunsInterruptedAndTheNextRunResumesThem() throws Exception {
    Path data = data();
    // Epochs long enough that neither run ends before both have a checkpoint, however slowly a worker starts.
    Path manifest = manifest(30, 32, "[0.05, 0.1]");
    Path runs = dir.resolve("runs");
    List<String> command = JavaCommand.of(Main.class).command(List.of("run", manifest.toString(), "--workers", "2",
        "--data-dir", data.toString(), "--no-progress"));
    Process parent = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("parent.log").toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
      while (!(checkpointed(runs, "lr=0.05") && checkpointed(runs, "lr=0.1"))) {
        assertThat(parent.isAlive()).as(Files.readString(dir.resolve("parent.log"))).isTrue();
        assertThat(System.nanoTime()).as("both runs past their first checkpoint").isLessThan(deadline);
        Thread.sleep(100);
      }
      List<ProcessHandle> workers = parent.descendants().toList();
      assertThat(workers).hasSize(2);

      parent.destroy(); // SIGTERM
      assertThat(parent.waitFor(90, TimeUnit.SECONDS)).isTrue();
      assertThat(parent.exitValue()).as(Files.readString(dir.resolve("parent.log"))).isEqualTo(128 + 15);
      assertThat(workers).noneMatch(ProcessHandle::isAlive);
    } finally {
      parent.destroyForcibly();
    }
    for (String id : List.of("lr=0.05", "lr=0.1")) {
      RunRecord record = record(runs, id);
      assertThat(record.status()).as(id).isEqualTo(RunStatus.INTERRUPTED);
      assertThat(record.message()).isEqualTo(RunRecord.STOPPED_BY_SIGNAL);
      assertThat(record.epochsCompleted()).isBetween(1, 29);
    }
    assertThat(Files.readString(dir.resolve("parent.log"))).contains("superconv: stopping 2 workers");

    CliRun again = run("run", manifest.toString(), "--workers", "2", "--data-dir", data.toString());
    assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
    for (String id : List.of("lr=0.05", "lr=0.1")) {
      Path folder = runs.resolve("sgd").resolve(id);
      assertThat(record(runs, id).status()).isEqualTo(RunStatus.FINISHED);
      assertThat(new RunFolder(folder).readMetrics()).hasSize(30);
      assertThat(lines(folder.resolve("events.jsonl"), "\"resumed\":true")).isEqualTo(1);
    }
  }

  /** The run's first epoch is in its checkpoint (run.json counts an epoch only once its checkpoint is written). */
  private static boolean checkpointed(Path runs, String id) {
    try {
      return new RunFolder(runs.resolve("sgd").resolve(id)).readRecord()
          .map(r -> r.status() == RunStatus.RUNNING && r.epochsCompleted() >= 1).orElse(false);
    } catch (IOException e) {
      return false; // being replaced right now
    }
  }

  private static String threads(int worker) {
    int cores = Runtime.getRuntime().availableProcessors();
    int threads = Math.max(1, cores / 2 + (worker < cores % 2 ? 1 : 0));
    return threads + " thread" + (threads == 1 ? "" : "s");
  }

  private static List<String> withoutSeconds(Path csv) throws IOException {
    List<String> rows = new ArrayList<>();
    for (String line : Files.readAllLines(csv)) {
      List<String> cells = new ArrayList<>(List.of(line.split(",", -1)));
      cells.remove(5); // seconds
      rows.add(String.join(",", cells));
    }
    return rows;
  }

  private static List<Path> checkpointFiles(Path run) throws IOException {
    try (var files = Files.walk(run.resolve("checkpoint"))) {
      return files.filter(Files::isRegularFile).toList();
    }
  }
}
