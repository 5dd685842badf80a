package superconv.training.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import superconv.graph.Checkpoint;

/**
 * Where an interrupted run continues: its last checkpoint and the progress it records, read and cross-checked
 * against everything else in the folder before anything is touched. A folder whose parts disagree (an unreadable
 * {@code state.json}, a checkpoint of another step, epochs missing from {@code metrics.csv} or the rate history, other
 * training data) is refused with what is wrong and how to start over: resuming it would finish with a result no
 * uninterrupted run gives.
 */
public record ResumePoint(Path checkpoint, RunProgress progress) {

  /** The run's folder cannot be resumed exactly; the message says why and how to start over. */
  public static final class RefusedException extends IOException {
    public RefusedException(RunFolder folder, String problem) {
      super(folder.dir() + ": " + problem + "; delete " + folder.dir() + " to train the run from the start");
    }
  }

  /**
   * The point to resume {@code folder} from, or empty when it has no checkpoint (a fresh start).
   *
   * @param stepsPerEpoch the run's iterations per epoch now
   * @param checksums the data's checksums now ({@code train}, {@code test}), as run.json records them
   */
  public static Optional<ResumePoint> of(RunFolder folder, int stepsPerEpoch, Map<String, String> checksums)
      throws IOException {
    Optional<Path> latest = folder.latestCheckpoint();
    if (latest.isEmpty()) {
      return Optional.empty();
    }
    Path checkpoint = latest.get();
    RunProgress progress = readState(folder, checkpoint.resolve(RunFolder.CHECKPOINT_STATE));
    long expectedSteps = (long) progress.epochsCompleted() * stepsPerEpoch;
    if (progress.steps() != expectedSteps) {
      throw new RefusedException(folder, "checkpoint/state.json says " + progress.epochsCompleted() + " epochs and "
          + progress.steps() + " steps, but an epoch of this run has " + stepsPerEpoch + " steps");
    }
    long saved = savedStep(folder, checkpoint);
    if (saved != progress.steps()) {
      throw new RefusedException(folder, "checkpoint/state.json says step " + progress.steps()
          + ", the checkpoint's weights are of step " + saved);
    }
    List<EpochMetrics> rows = folder.readMetrics();
    for (int epoch = 1; epoch <= progress.epochsCompleted(); epoch++) {
      if (rows.size() < epoch || rows.get(epoch - 1).epoch() != epoch) {
        throw new RefusedException(folder, folder.metricsCsv().getFileName() + " lacks epoch " + epoch + " of the "
            + progress.epochsCompleted() + " the checkpoint holds");
      }
    }
    RateHistory rates = RateHistory.read(folder.rates());
    if (rates.size() < progress.steps()) {
      throw new RefusedException(folder, folder.rates().getFileName() + " holds " + rates.size()
          + " iterations, the checkpoint is at step " + progress.steps());
    }
    Optional<RunRecord> record = folder.readRecord();
    if (record.isPresent() && record.get().dataChecksums() != null) {
      for (var entry : checksums.entrySet()) {
        String recorded = record.get().dataChecksums().get(entry.getKey());
        if (recorded != null && !recorded.equals(entry.getValue())) {
          throw new RefusedException(folder, "the " + entry.getKey() + " data changed since the run started: run.json "
              + "records " + recorded + ", the data now is " + entry.getValue()
              + " (put the original data back to resume)");
        }
      }
    }
    return Optional.of(new ResumePoint(checkpoint, progress));
  }

  private static RunProgress readState(RunFolder folder, Path state) throws RefusedException {
    JsonNode node;
    try {
      node = RunFolder.json().readTree(state.toFile());
    } catch (IOException e) {
      throw new RefusedException(folder, "checkpoint/state.json is unreadable (" + oneLine(e) + ")");
    }
    if (node == null || !node.isObject()) {
      throw new RefusedException(folder, "checkpoint/state.json is empty or not a JSON object");
    }
    for (String key : List.of("epochs_completed", "steps", "best_epoch")) {
      if (!node.path(key).canConvertToLong() || !node.path(key).isIntegralNumber() || node.path(key).asLong() < 0) {
        throw new RefusedException(folder, "checkpoint/state.json has no valid " + key);
      }
    }
    if (!node.path("best_val_accuracy").isNumber()) {
      throw new RefusedException(folder, "checkpoint/state.json has no valid best_val_accuracy");
    }
    int epochs = node.get("epochs_completed").asInt();
    if (epochs < 1) {
      throw new RefusedException(folder, "checkpoint/state.json says no epoch completed");
    }
    return new RunProgress(epochs, node.get("steps").asLong(), node.get("best_epoch").asInt(),
        node.get("best_val_accuracy").asDouble());
  }

  /** The step of the checkpoint's weights, from TensorFlow's {@code checkpoint} pointer file. */
  private static long savedStep(RunFolder folder, Path checkpoint) throws RefusedException {
    Optional<Path> prefix;
    try {
      prefix = Checkpoint.latest(checkpoint);
    } catch (RuntimeException e) {
      throw new RefusedException(folder, "the checkpoint's pointer file is unreadable (" + oneLine(e) + ")");
    }
    if (prefix.isEmpty()) {
      throw new RefusedException(folder, "checkpoint/ holds no weights");
    }
    String name = Objects.requireNonNull(prefix.get().getFileName()).toString();
    return Long.parseLong(name.substring("ckpt-".length()));
  }

  private static String oneLine(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
