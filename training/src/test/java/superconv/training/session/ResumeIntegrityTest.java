package superconv.training.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import superconv.datasets.ImageSet;
import superconv.training.listeners.EventLog;
import superconv.training.loop.StopRequest;
import superconv.training.manifest.RunSpec;
import superconv.training.run.RateHistory;
import superconv.training.run.ResumePoint;
import superconv.training.run.RunFolder;
import superconv.training.run.RunStatus;

/**
 * An interrupted run whose folder no longer agrees with its checkpoint is refused, naming the problem and the way
 * to start over, and nothing in the folder changes: resuming it would finish "finished" with a result no
 * uninterrupted run gives.
 */
class ResumeIntegrityTest {

  @TempDir static Path shared;
  @TempDir Path scratch;

  /** A run of 3 epochs stopped in its third: its checkpoint holds 2 epochs. */
  private static Path interrupted;
  /** The same run stopped by a stop request (a signal) after step 3 of its third epoch: checkpointed there. */
  private static Path stoppedMidEpoch;
  private static RunSpec spec;

  @BeforeAll
  static void interruptARun() throws Exception {
    spec = TrainerTest.spec(TrainerTest.CYCLE);
    interrupted = shared.resolve("interrupted");
    long failAt = 2L * TrainerTest.STEPS_PER_EPOCH + 1;
    assertThatThrownBy(() -> train(interrupted, TrainerTest.TRAIN, step -> {
      if (step == failAt) {
        throw new IllegalStateException("injected failure at step " + step);
      }
    })).hasMessageContaining("injected failure");
    assertThat(new RunFolder(interrupted).readRecord().orElseThrow().status()).isEqualTo(RunStatus.INTERRUPTED);

    stoppedMidEpoch = shared.resolve("stopped");
    StopRequest stop = new StopRequest();
    long stopAt = 2L * TrainerTest.STEPS_PER_EPOCH + 2;
    train(stoppedMidEpoch, TrainerTest.TRAIN, step -> {
      if (step == stopAt) {
        stop.request();
      }
    }, stop);
    assertThat(Files.readString(stoppedMidEpoch.resolve("checkpoint/state.json"))).contains("\"epoch_in_progress\"");
  }

  private static Trainer.Outcome train(Path dir, ImageSet train, Trainer.StepHook hook) throws Exception {
    return train(dir, train, hook, new StopRequest());
  }

  private static Trainer.Outcome train(Path dir, ImageSet train, Trainer.StepHook hook, StopRequest stop)
      throws Exception {
    return new Trainer(spec, new RunFolder(dir), new Trainer.RunData(train, TrainerTest.TEST),
        new Trainer.Options(false, hook, 0, stop)).train();
  }

  private Path copy() throws IOException {
    return copy(interrupted);
  }

  private Path copy(Path original) throws IOException {
    Path copy = scratch.resolve("copy");
    try (Stream<Path> files = Files.walk(original)) {
      for (Path from : files.toList()) {
        Path to = copy.resolve(original.relativize(from).toString());
        if (Files.isDirectory(from)) {
          Files.createDirectories(to);
        } else {
          Files.copy(from, to);
        }
      }
    }
    return copy;
  }

  /** Every file's bytes, by path: what a refusal must leave as it found it. */
  private static Map<String, byte[]> contents(Path dir) throws IOException {
    Map<String, byte[]> all = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        all.put(dir.relativize(f).toString(), Files.readAllBytes(f));
      }
    }
    return all;
  }

  private void assertRefusedUntouched(Path dir, ImageSet train, String... phrases) throws IOException {
    Map<String, byte[]> before = contents(dir);
    assertThatThrownBy(() -> train(dir, train, null))
        .isInstanceOf(ResumePoint.RefusedException.class)
        .hasMessageContaining("delete " + dir)
        .hasMessageContaining(phrases[0]);
    Map<String, byte[]> after = contents(dir);
    assertThat(after.keySet()).isEqualTo(before.keySet());
    before.forEach((name, bytes) -> assertThat(after.get(name)).as(name).isEqualTo(bytes));
  }

  @Test
  void anEmptyStateFileIsRefused() throws Exception {
    Path dir = copy();
    Files.writeString(dir.resolve("checkpoint/state.json"), "");
    assertRefusedUntouched(dir, TrainerTest.TRAIN, "state.json is empty");
  }

  @Test
  void aStateFileOfAnotherStepIsRefused() throws Exception {
    Path dir = copy();
    Path state = dir.resolve("checkpoint/state.json");
    Files.writeString(state, Files.readString(state).replace("\"epochs_completed\" : 2", "\"epochs_completed\" : 1")
        .replace("\"steps\" : 12", "\"steps\" : 6"));
    assertRefusedUntouched(dir, TrainerTest.TRAIN, "the checkpoint's weights are of step 12");
  }

  @Test
  void aDeletedMetricsFileIsRefused() throws Exception {
    Path dir = copy();
    Files.delete(dir.resolve("metrics.csv"));
    assertRefusedUntouched(dir, TrainerTest.TRAIN, "metrics.csv lacks epoch 1");
  }

  @Test
  void otherTrainingDataIsRefusedNamingBothChecksums() throws Exception {
    Path dir = copy();
    ImageSet other = TrainerTest.images("train", 96, 99);
    assertRefusedUntouched(dir, other, "sha256:" + TrainerTest.TRAIN.sha256());
    assertThatThrownBy(() -> train(dir, other, null)).hasMessageContaining("sha256:" + other.sha256());
  }

  @Test
  void aCorruptCheckpointIsRefusedWithTheWayToStartOver() throws Exception {
    Path dir = copy();
    Path data;
    try (Stream<Path> files = Files.list(dir.resolve("checkpoint"))) {
      data = files.filter(f -> f.getFileName().toString().contains(".data-")).findFirst().orElseThrow();
    }
    Files.write(data, new byte[16]);
    assertThatThrownBy(() -> train(dir, TrainerTest.TRAIN, null))
        .isInstanceOf(ResumePoint.RefusedException.class)
        .hasMessageContaining("cannot be restored")
        .hasMessageContaining("delete " + dir)
        .hasMessageNotContaining("\n");
  }

  @Test
  void theUntouchedFolderResumesAndTheEventLogTellsTheWholeStory() throws Exception {
    Path dir = copy();
    assertThat(train(dir, TrainerTest.TRAIN, null).status()).isEqualTo(RunStatus.FINISHED);
    List<String> lines = Files.readAllLines(dir.resolve(EventLog.FILE));
    List<JsonNode> events = lines.stream().map(ResumeIntegrityTest::json).toList();
    assertThat(events).extracting(e -> e.get("event").asText())
        .startsWith("start").contains("step", "epoch", "failed").endsWith("finished");
    int restart = 0;
    while (!events.get(restart).path("resumed").asBoolean()) {
      restart++;
    }
    assertThat(events.get(restart).get("step").asLong()).isEqualTo(2L * TrainerTest.STEPS_PER_EPOCH);
    // loss_every = 2 on 6-step epochs: a step line after steps 2, 4 and 6 of the epoch trained after the resume.
    assertThat(events.subList(restart, events.size())).filteredOn(e -> e.get("event").asText().equals("step"))
        .extracting(e -> e.get("step").asLong()).containsExactly(14L, 16L, 18L);
    JsonNode last = events.get(events.size() - 1);
    assertThat(last.get("epoch").asInt()).isEqualTo(3);
    assertThat(last.get("best_val_accuracy").asDouble())
        .isEqualTo(new RunFolder(dir).readRecord().orElseThrow().bestValAccuracy());
  }

  /** {@code stoppedMidEpoch}'s state.json with {@code from} replaced by {@code to}. */
  private Path midEpochWithState(String from, String to) throws IOException {
    Path dir = copy(stoppedMidEpoch);
    Path state = dir.resolve("checkpoint/state.json");
    String text = Files.readString(state);
    assertThat(text).contains(from);
    Files.writeString(state, text.replace(from, to));
    return dir;
  }

  @Test
  void aMidEpochStateWhoseStepsDisagreeWithItsEpochIsRefused() throws Exception {
    Path dir = midEpochWithState("\"steps\" : 3,", "\"steps\" : 4,");
    assertRefusedUntouched(dir, TrainerTest.TRAIN,
        "checkpoint/state.json says 2 epochs and 4 steps into epoch 3, 15 steps in all, but an epoch of this run has"
            + " 6 steps");
  }

  @Test
  void aMidEpochStateOfAnotherStepThanItsWeightsIsRefused() throws Exception {
    Path dir = midEpochWithState("\"steps\" : 3,", "\"steps\" : 4,");
    Path state = dir.resolve("checkpoint/state.json");
    Files.writeString(state, Files.readString(state).replace("\"steps\" : 15,", "\"steps\" : 16,"));
    assertRefusedUntouched(dir, TrainerTest.TRAIN, "state.json says step 16, the checkpoint's weights are of step 15");
  }

  @Test
  void aMidEpochStateOfAWholeEpochIsRefused() throws Exception {
    Path dir = midEpochWithState("\"steps\" : 3,", "\"steps\" : 6,");
    Path state = dir.resolve("checkpoint/state.json");
    Files.writeString(state, Files.readString(state).replace("\"steps\" : 15,", "\"steps\" : 18,"));
    assertRefusedUntouched(dir, TrainerTest.TRAIN, "6 steps into epoch 3, 18 steps in all, but an epoch of this run "
        + "has 6 steps");
  }

  @Test
  void aMidEpochStateWithMoreLossesThanStepsIsRefused() throws Exception {
    Path dir = midEpochWithState("\"loss_count\" : 1,", "\"loss_count\" : 4,");
    assertRefusedUntouched(dir, TrainerTest.TRAIN, "epoch_in_progress of 3 steps with 4 losses");
  }

  @Test
  void aMidEpochStateWithoutItsLossSumIsRefused() throws Exception {
    Path dir = midEpochWithState("\"loss_sum\" :", "\"loss_total\" :");
    assertRefusedUntouched(dir, TrainerTest.TRAIN, "checkpoint/state.json has no valid epoch_in_progress.loss_sum");
  }

  @Test
  void aMidEpochStateWhoseRateNormsTheRateHistoryLacksIsRefused() throws Exception {
    Path dir = midEpochWithState("\"rate_norm_count\" : 0,", "\"rate_norm_count\" : 1,");
    assertRefusedUntouched(dir, TrainerTest.TRAIN, "rates.csv.gz has 0 calculated-rate norms summing to 0.0 in the 3 "
        + "steps of epoch 3 before the checkpoint, checkpoint/state.json says 1 summing to 0.0");
  }

  @Test
  void aRateHistoryShorterThanAMidEpochCheckpointIsRefused() throws Exception {
    Path dir = copy(stoppedMidEpoch);
    RateHistory rates = RateHistory.read(dir.resolve("rates.csv.gz"));
    rates.truncate(13);
    rates.write(dir.resolve("rates.csv.gz"));
    assertRefusedUntouched(dir, TrainerTest.TRAIN, "rates.csv.gz holds 13 iterations, the checkpoint is at step 15");
  }

  @Test
  void theUntouchedMidEpochFolderResumesAtItsStep() throws Exception {
    Path dir = copy(stoppedMidEpoch);
    assertThat(train(dir, TrainerTest.TRAIN, null).status()).isEqualTo(RunStatus.FINISHED);
    List<JsonNode> events = Files.readAllLines(dir.resolve(EventLog.FILE)).stream().map(ResumeIntegrityTest::json)
        .toList();
    JsonNode restart = events.stream().filter(e -> e.path("resumed").asBoolean()).findFirst().orElseThrow();
    assertThat(restart.get("step").asLong()).isEqualTo(15);
    assertThat(events).filteredOn(e -> e.get("event").asText().equals("step")).extracting(e -> e.get("step").asLong())
        .containsExactly(2L, 4L, 6L, 8L, 10L, 12L, 14L, 16L, 18L);
  }

  private static JsonNode json(String line) {
    try {
      return RunFolder.json().readTree(line);
    } catch (IOException e) {
      throw new IllegalStateException(line, e);
    }
  }
}
