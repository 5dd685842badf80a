package superconv.training.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static superconv.training.run.SameResult.assertSameResult;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import superconv.training.listeners.EventLog;
import superconv.training.loop.StopRequest;
import superconv.training.manifest.RunSpec;
import superconv.training.report.RunState;
import superconv.training.run.RateHistory;
import superconv.training.run.RunFolder;
import superconv.training.run.RunRecord;
import superconv.training.run.RunStatus;

/**
 * Checkpoints inside an epoch: a run stopped at a step (as SIGTERM stops it) or killed after a {@code
 * --checkpoint-every} checkpoint resumes at that step, with that epoch's running sums, and ends byte for byte as the
 * uninterrupted run (width-2 ResNet18, 8x8 images, 3 epochs of 6 steps).
 */
class MidEpochResumeTest {

  @TempDir static Path shared;
  @TempDir Path runs;

  /** The uninterrupted run of {@link TrainerTest#CYCLE}. */
  private static Path whole;

  @BeforeAll
  static void trainTheWholeRun() throws Exception {
    whole = shared.resolve("whole");
    assertThat(train(TrainerTest.spec(TrainerTest.CYCLE), whole).status()).isEqualTo(RunStatus.FINISHED);
  }

  /** The abrupt end of a process (kill -9, power loss): nothing runs after it, not even the failure handlers. */
  private static final class Killed extends Error {
    Killed(long step) {
      super("killed after step " + step);
    }
  }

  private static Trainer.Outcome train(RunSpec spec, Path dir, Trainer.Options options) throws Exception {
    return new Trainer(spec, new RunFolder(dir), new Trainer.RunData(TrainerTest.TRAIN, TrainerTest.TEST), options)
        .train();
  }

  private static Trainer.Outcome train(RunSpec spec, Path dir) throws Exception {
    return train(spec, dir, new Trainer.Options(false, null));
  }

  /** A run asked to stop after global step {@code stopAt} (0-based), as the shutdown hook of a signal asks. */
  private static StopRequest stopAfter(RunSpec spec, Path dir, long stopAt) throws Exception {
    StopRequest stop = new StopRequest();
    Trainer.Outcome outcome = train(spec, dir, new Trainer.Options(false, step -> {
      if (step == stopAt) {
        stop.request();
      }
    }, 0, stop));
    assertThat(outcome.status()).isEqualTo(RunStatus.INTERRUPTED);
    return stop;
  }

  private static JsonNode json(Path file) throws IOException {
    return RunFolder.json().readTree(file.toFile());
  }

  private static List<JsonNode> events(Path dir) throws IOException {
    return Files.readAllLines(dir.resolve(EventLog.FILE)).stream().map(line -> {
      try {
        return RunFolder.json().readTree(line);
      } catch (IOException e) {
        throw new IllegalStateException(line, e);
      }
    }).toList();
  }

  @Test
  void aRunStoppedMidEpochCheckpointsThereAndResumesToTheSameBytes() throws Exception {
    RunSpec spec = TrainerTest.spec(TrainerTest.CYCLE);
    Path stopped = runs.resolve("stopped");

    // Stopped after its 9th step: step 3 of 6 of epoch 2.
    StopRequest stop = stopAfter(spec, stopped, TrainerTest.STEPS_PER_EPOCH + 2);
    assertThat(stop.requestAndAwait(Duration.ZERO)).as("the loop answered: checkpointed").isTrue();
    RunFolder folder = new RunFolder(stopped);
    RunRecord record = folder.readRecord().orElseThrow();
    assertThat(record.status()).isEqualTo(RunStatus.INTERRUPTED);
    assertThat(record.message()).isEqualTo(RunRecord.STOPPED_BY_SIGNAL);
    assertThat(record.epochsCompleted()).isEqualTo(1);
    assertThat(record.steps()).isEqualTo(9);
    assertThat(record.stepsPerEpoch()).isEqualTo(TrainerTest.STEPS_PER_EPOCH);
    assertThat(record.stepsIntoEpoch()).isEqualTo(3);
    assertThat(RunState.of(folder, "tiny/tiny", null, spec).epochsText()).isEqualTo("1/3 + 3/6 steps");
    assertThat(stopped.resolve("checkpoint/ckpt-9.index")).exists();
    JsonNode state = json(stopped.resolve("checkpoint/state.json"));
    assertThat(state.get("steps").asLong()).isEqualTo(9);
    assertThat(state.get("epochs_completed").asInt()).isEqualTo(1);
    JsonNode partial = state.get("epoch_in_progress");
    assertThat(partial.get("steps").asInt()).isEqualTo(3);
    // loss_every = 2: the epoch's 2nd step fetched its loss; the sum is that loss, as the events log has it.
    assertThat(partial.get("loss_count").asInt()).isEqualTo(1);
    JsonNode lastStepLine = events(stopped).stream().filter(e -> e.get("event").asText().equals("step"))
        .reduce((a, b) -> b).orElseThrow();
    assertThat(lastStepLine.get("step").asLong()).isEqualTo(8);
    assertThat(partial.get("loss_sum").asDouble()).isEqualTo(lastStepLine.get("loss").asDouble());
    assertThat(partial.get("rate_norm_count").asInt()).isZero();
    assertThat(folder.readMetrics()).hasSize(1);
    assertThat(RateHistory.read(folder.rates()).size()).isEqualTo(9);
    JsonNode interrupted = events(stopped).get(events(stopped).size() - 1);
    assertThat(interrupted.get("event").asText()).isEqualTo("interrupted");
    assertThat(interrupted.get("step").asLong()).isEqualTo(9);
    assertThat(interrupted.get("epoch").asInt()).isEqualTo(1);
    assertThat(interrupted.get("epoch_steps").asInt()).isEqualTo(3);

    assertThat(train(spec, stopped).status()).isEqualTo(RunStatus.FINISHED);
    assertSameResult(whole, stopped);
    List<JsonNode> events = events(stopped);
    JsonNode restart = events.stream().filter(e -> e.path("resumed").asBoolean()).findFirst().orElseThrow();
    assertThat(restart.get("step").asLong()).isEqualTo(9);
    assertThat(restart.get("epoch_steps").asInt()).isEqualTo(3);
    // Nothing was trained twice: every fetched step appears once across the two sessions, as in the whole run.
    assertThat(events).filteredOn(e -> e.get("event").asText().equals("step")).extracting(e -> e.get("step").asLong())
        .containsExactlyElementsOf(events(whole).stream().filter(e -> e.get("event").asText().equals("step"))
            .map(e -> e.get("step").asLong()).toList());
    RunRecord finished = folder.readRecord().orElseThrow();
    assertThat(finished.steps()).isEqualTo(18);
    assertThat(finished.stepsIntoEpoch()).isZero();
  }

  @Test
  void aRunKilledAfterAStepCheckpointResumesFromThatStepToTheSameBytes() throws Exception {
    RunSpec spec = TrainerTest.spec(TrainerTest.CYCLE);
    Path killed = runs.resolve("killed");

    // Checkpoints every 4 steps: 4 and 8 inside epochs 1 and 2 (6 and 12 are epochs' ends); killed after step 11.
    long killAt = 10;
    assertThatThrownBy(() -> train(spec, killed, new Trainer.Options(false, step -> {
      if (step == killAt) {
        throw new Killed(step);
      }
    }, 4, new StopRequest()))).isInstanceOf(Killed.class);
    RunFolder folder = new RunFolder(killed);
    RunRecord record = folder.readRecord().orElseThrow();
    assertThat(record.status()).as("nothing ran after the kill").isEqualTo(RunStatus.RUNNING);
    assertThat(record.steps()).as("run.json claims the last checkpoint's step, no more").isEqualTo(8);
    assertThat(record.epochsCompleted()).isEqualTo(1);
    assertThat(json(killed.resolve("checkpoint/state.json")).at("/epoch_in_progress/steps").asInt()).isEqualTo(2);
    assertThat(RateHistory.read(folder.rates()).size()).isEqualTo(8);
    assertThat(events(killed)).filteredOn(e -> e.get("event").asText().equals("checkpoint"))
        .extracting(e -> e.get("step").asLong()).containsExactly(4L, 8L);

    assertThat(train(spec, killed).status()).isEqualTo(RunStatus.FINISHED);
    assertSameResult(whole, killed);
    JsonNode restart = events(killed).stream().filter(e -> e.path("resumed").asBoolean()).findFirst().orElseThrow();
    assertThat(restart.get("step").asLong()).isEqualTo(8);
  }

  @Test
  void calculatedRatesContinueTheirNormSumAcrossAMidEpochStop() throws Exception {
    // Epoch 1 with a fed rate, then simple AdaSecant calculating its rates (and their norms) every step.
    RunSpec spec = TrainerTest.spec("""
        phases = [
          { epochs = 1, optimizer = { type = "sgd" }, schedule = { type = "constant", lr = 0.05 } },
          { optimizer = { type = "simple-adasecant", threshold = 10.0 } },
        ]
        """);
    Path uninterrupted = runs.resolve("whole");
    Path stopped = runs.resolve("stopped");
    assertThat(train(spec, uninterrupted).status()).isEqualTo(RunStatus.FINISHED);
    stopAfter(spec, stopped, TrainerTest.STEPS_PER_EPOCH + 3);
    JsonNode partial = json(stopped.resolve("checkpoint/state.json")).get("epoch_in_progress");
    assertThat(partial.get("steps").asInt()).isEqualTo(4);
    assertThat(partial.get("rate_norm_count").asInt()).isEqualTo(4);
    assertThat(partial.get("rate_norm_sum").asDouble()).isPositive();
    assertThat(train(spec, stopped).status()).isEqualTo(RunStatus.FINISHED);
    assertSameResult(uninterrupted, stopped);
    assertThat(new RunFolder(stopped).readMetrics().get(1).rateNorm()).isFinite();
  }
}
