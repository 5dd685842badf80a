package superconv.training.run;

/**
 * The steps of an epoch trained so far and the running sums its {@code metrics.csv} row will average: the training
 * loss over the steps that fetched it and the calculated-rate norm over those that had one. A mid-epoch checkpoint
 * stores it, so that a run resumed there ends the epoch with the row an uninterrupted run writes (the sums continue
 * in the same order, so the doubles are the same).
 *
 * @param steps steps of the epoch taken (0 at its start)
 * @param lossSum the sum of the fetched finite losses
 * @param lossCount how many losses {@code lossSum} adds
 * @param normSum the sum of the fetched calculated-rate norms
 * @param normCount how many norms {@code normSum} adds
 * @param seconds the time the epoch has trained, for the row's {@code seconds} column (the one column that is not
 *     part of the result); kept up to date only where a checkpoint stores it
 */
public record PartialEpoch(int steps, double lossSum, int lossCount, double normSum, int normCount, double seconds) {

  /** An epoch before its first step. */
  public static final PartialEpoch NONE = new PartialEpoch(0, 0, 0, 0, 0, 0);

  /**
   * After one more step: {@code counted} when its loss was fetched and is finite, and then its {@code norm} as well
   * unless NaN.
   */
  public PartialEpoch after(boolean counted, double loss, double norm) {
    if (!counted) {
      return new PartialEpoch(steps + 1, lossSum, lossCount, normSum, normCount, seconds);
    }
    boolean hasNorm = !Double.isNaN(norm);
    return new PartialEpoch(steps + 1, lossSum + loss, lossCount + 1, hasNorm ? normSum + norm : normSum,
        hasNorm ? normCount + 1 : normCount, seconds);
  }

  public PartialEpoch withSeconds(double total) {
    return new PartialEpoch(steps, lossSum, lossCount, normSum, normCount, total);
  }

  /** Whether any step of the epoch was taken: the position is inside it, not at its start. */
  public boolean started() {
    return steps > 0;
  }

  /** The mean fetched loss so far, NaN before the first. */
  public double meanLoss() {
    return lossCount == 0 ? Double.NaN : lossSum / lossCount;
  }

  /** The mean calculated-rate norm so far, NaN where there is none. */
  public double meanNorm() {
    return normCount == 0 ? Double.NaN : normSum / normCount;
  }
}
