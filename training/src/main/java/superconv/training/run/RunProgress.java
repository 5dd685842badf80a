package superconv.training.run;

/**
 * Where a run stands: what a checkpoint's {@code state.json} and {@code run.json} hold. {@code steps} counts every
 * step taken, those of {@code epoch}, the epoch in progress after a mid-epoch checkpoint, included ({@link
 * PartialEpoch#NONE} at an epoch's end). The best epoch is the first with the highest validation accuracy (0 and
 * -inf before any epoch).
 */
public record RunProgress(int epochsCompleted, long steps, int bestEpoch, double bestAccuracy, PartialEpoch epoch) {

  public static final RunProgress NONE = new RunProgress(0, 0, 0, Double.NEGATIVE_INFINITY, PartialEpoch.NONE);

  /** After one more epoch (from the start of it: the progress of a mid-epoch checkpoint has no next epoch). */
  public RunProgress after(EpochMetrics row) {
    boolean better = row.valAccuracy() > bestAccuracy;
    return new RunProgress(row.epoch(), row.step(), better ? row.epoch() : bestEpoch,
        better ? row.valAccuracy() : bestAccuracy, PartialEpoch.NONE);
  }

  /** At {@code partial} of the epoch after the completed ones (this progress is at an epoch's end). */
  public RunProgress within(PartialEpoch partial) {
    if (epoch.started()) {
      throw new IllegalStateException("progress " + this + " is already inside an epoch");
    }
    return new RunProgress(epochsCompleted, steps + partial.steps(), bestEpoch, bestAccuracy, partial);
  }

  /** The same run at the start of the epoch in progress: where its sums began. */
  public RunProgress atEpochStart() {
    return new RunProgress(epochsCompleted, steps - epoch.steps(), bestEpoch, bestAccuracy, PartialEpoch.NONE);
  }

  /** Whether {@code epoch} (1-based) is the best so far. */
  public boolean isBest(int epoch) {
    return bestEpoch == epoch;
  }

  /** Whether the position is inside an epoch (a mid-epoch checkpoint) rather than at an epoch's end. */
  public boolean midEpoch() {
    return epoch.started();
  }
}
