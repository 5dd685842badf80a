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
import superconv.training.manifest.RunSpec;
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
  }

  private static Trainer.Outcome train(Path dir, ImageSet train, Trainer.StepHook hook) throws Exception {
    return new Trainer(spec, new RunFolder(dir), new Trainer.RunData(train, TrainerTest.TEST),
        new Trainer.Options(false, 0, hook)).train();
  }

  private Path copy() throws IOException {
    Path copy = scratch.resolve("copy");
    try (Stream<Path> files = Files.walk(interrupted)) {
      for (Path from : files.toList()) {
        Path to = copy.resolve(interrupted.relativize(from).toString());
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

  private static JsonNode json(String line) {
    try {
      return RunFolder.json().readTree(line);
    } catch (IOException e) {
      throw new IllegalStateException(line, e);
    }
  }
}
