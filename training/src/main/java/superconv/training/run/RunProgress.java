package superconv.training.run;

/**
 * Where a run stands after its completed epochs: what a checkpoint's {@code state.json} and {@code run.json} hold.
 * The best epoch is the first with the highest validation accuracy (0 and -inf before any epoch).
 */
public record RunProgress(int epochsCompleted, long steps, int bestEpoch, double bestAccuracy) {

  public static final RunProgress NONE = new RunProgress(0, 0, 0, Double.NEGATIVE_INFINITY);

  /** After one more epoch. */
  public RunProgress after(EpochMetrics row) {
    boolean better = row.valAccuracy() > bestAccuracy;
    return new RunProgress(row.epoch(), row.step(), better ? row.epoch() : bestEpoch,
        better ? row.valAccuracy() : bestAccuracy);
  }

  /** Whether {@code epoch} (1-based) is the best so far. */
  public boolean isBest(int epoch) {
    return bestEpoch == epoch;
  }
}
