package superconv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static superconv.cli.CliRun.run;
import static superconv.training.run.SameResult.assertSameResult;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import superconv.training.run.RunFolder;
import superconv.training.run.RunRecord;
import superconv.training.run.RunStatus;

/**
 * {@code superconv run} in a child JVM stopped by a real SIGTERM, as Slurm stops a task before its time limit or on
 * preemption: it checkpoints at the step it is taking, marks the run interrupted and exits with 143; run again (with
 * {@code --checkpoint-every}, which changes where it checkpoints and nothing else), it resumes at that step and ends
 * byte for byte as the uninterrupted run.
 */
class RunSignalTest {

  @TempDir Path dir;

  /** 200 steps per epoch, the loss logged at each: the signal lands inside the first epoch. */
  private static final String MANIFEST = """
      [defaults]
      dataset = "fashion-mnist"
      width = 2
      epochs = 2
      batch_size = 4
      loss_every = 1
      device = "cpu"

      [[experiment]]
      name = "long"
      optimizer = { type = "sgd", momentum = 0.9 }
      schedule = { type = "triangular", min = 0.01, max = 0.05, cycle_epochs = 2 }
      """;

  @Test
  void aRunStoppedBySigtermCheckpointsAtItsStepAndResumesToTheSameBytes() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data/fashion-mnist"));
    RunCommandsTest.split(data, "train", 800, 1);
    RunCommandsTest.split(data, "t10k", 40, 2);
    Path manifest = Files.writeString(dir.resolve("experiments.toml"), MANIFEST);
    String[] options = {"--data-dir", dir.resolve("data").toString(), "--offline", "--no-progress"};

    Path stoppedRuns = dir.resolve("stopped");
    List<String> command = new ArrayList<>(SubmitSlurmCommand.javaCommand());
    command.addAll(List.of("run", manifest.toString(), "--runs-dir", stoppedRuns.toString()));
    command.addAll(List.of(options));
    Path output = dir.resolve("child.log");
    Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    Path folder = stoppedRuns.resolve("long/long");
    Path events = folder.resolve("events.jsonl");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!(Files.exists(events) && Files.readString(events).contains("\"event\":\"step\""))) {
      assertThat(child.isAlive()).as("the child is training: %s", output).isTrue();
      assertThat(System.nanoTime()).as("no step within 120 s").isLessThan(deadline);
      Thread.sleep(20);
    }
    child.destroy(); // SIGTERM
    assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String log = Files.readString(output);
    assertThat(child.exitValue()).as(log).isEqualTo(143);

    RunRecord record = new RunFolder(folder).readRecord().orElseThrow();
    assertThat(record.status()).isEqualTo(RunStatus.INTERRUPTED);
    assertThat(record.message()).isEqualTo(RunRecord.STOPPED_BY_SIGNAL);
    assertThat(record.epochsCompleted()).as("stopped inside the first epoch").isZero();
    assertThat(record.steps()).isBetween(1L, 199L);
    JsonNode state = RunFolder.json().readTree(folder.resolve("checkpoint/state.json").toFile());
    assertThat(state.get("steps").asLong()).isEqualTo(record.steps());
    assertThat(state.at("/epoch_in_progress/steps").asLong()).isEqualTo(record.steps());
    assertThat(state.get("best_val_accuracy").isNull()).isTrue();
    assertThat(folder.resolve("checkpoint/ckpt-" + record.steps() + ".index")).exists();
    List<String> lines = Files.readAllLines(events);
    assertThat(lines.get(lines.size() - 1)).contains("\"event\":\"interrupted\"", "\"step\":" + record.steps() + ",");
    assertThat(Files.readString(folder.resolve("run.log")))
        .contains("interrupted in epoch 1 at step " + record.steps() + " of 200");

    // Resumed with checkpoints every 50 steps inside epochs: where it checkpoints changes nothing in the result.
    CliRun resumed = run(concat(new String[] {"run", manifest.toString(), "--runs-dir", stoppedRuns.toString(),
        "--checkpoint-every", "50"}, options));
    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    assertThat(new RunFolder(folder).readRecord().orElseThrow().status()).isEqualTo(RunStatus.FINISHED);
    List<Long> checkpoints = Files.readAllLines(events).stream().filter(l -> l.contains("\"event\":\"checkpoint\""))
        .map(l -> Long.parseLong(l.replaceAll(".*\"step\":(\\d+),.*", "$1"))).toList();
    assertThat(checkpoints).isEqualTo(LongStream.of(50, 100, 150, 250, 300, 350).filter(j -> j > record.steps())
        .boxed().toList());
    Path wholeRuns = dir.resolve("whole");
    CliRun whole = run(concat(new String[] {"run", manifest.toString(), "--runs-dir", wholeRuns.toString()},
        options));
    assertThat(whole.exitCode()).as(whole.err()).isZero();
    assertSameResult(wholeRuns.resolve("long/long"), folder);
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
