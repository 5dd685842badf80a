package superconv.training.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import superconv.graph.Checkpoint;

/**
 * Where an interrupted run continues: its last checkpoint and the progress it records (at an epoch's end, or inside
 * an epoch with that epoch's running sums), read and cross-checked against everything else in the folder before
 * anything is touched. A folder whose parts disagree (an unreadable {@code state.json}, a checkpoint of another step,
 * a position an epoch of this run cannot have, epochs missing from {@code metrics.csv}, iterations missing from the
 * rate history or norms in it that are not the epoch's sums, other training data) is refused with what is wrong
 * and how to start over: resuming it would finish with a result no uninterrupted run gives.
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
    RunProgress progress = CheckpointState.read(folder, checkpoint.resolve(RunFolder.CHECKPOINT_STATE));
    int inEpoch = progress.epoch().steps();
    long expectedSteps = (long) progress.epochsCompleted() * stepsPerEpoch + inEpoch;
    if (progress.steps() != expectedSteps || inEpoch >= stepsPerEpoch) {
      String where = progress.midEpoch()
          ? progress.epochsCompleted() + " epochs and " + inEpoch + " steps into epoch "
              + (progress.epochsCompleted() + 1) + ", " + progress.steps() + " steps in all"
          : progress.epochsCompleted() + " epochs and " + progress.steps() + " steps";
      throw new RefusedException(folder, "checkpoint/state.json says " + where + ", but an epoch of this run has "
          + stepsPerEpoch + " steps");
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
    checkEpochNorms(folder, progress, rates);
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

  /**
   * The calculated-rate norms the rate history holds for the steps of a mid-epoch checkpoint's epoch, summed in
   * step order, are the sum state.json continues: both come from the same steps, so they agree to the bit.
   */
  private static void checkEpochNorms(RunFolder folder, RunProgress progress, RateHistory rates)
      throws RefusedException {
    PartialEpoch epoch = progress.epoch();
    if (!epoch.started()) {
      return;
    }
    double sum = 0;
    int count = 0;
    for (long j = progress.steps() - epoch.steps(); j < progress.steps(); j++) {
      double norm = rates.rateNorm(Math.toIntExact(j));
      if (!Double.isNaN(norm)) {
        sum += norm;
        count++;
      }
    }
    if (count != epoch.normCount() || sum != epoch.normSum()) {
      throw new RefusedException(folder, folder.rates().getFileName() + " has " + count + " calculated-rate norms "
          + "summing to " + sum + " in the " + epoch.steps() + " steps of epoch " + (progress.epochsCompleted() + 1)
          + " before the checkpoint, checkpoint/state.json says " + epoch.normCount() + " summing to "
          + epoch.normSum());
    }
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

  static String oneLine(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
