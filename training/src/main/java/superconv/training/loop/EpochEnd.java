package superconv.training.loop;

import superconv.training.run.EpochMetrics;
import superconv.training.run.RunProgress;

/**
 * An epoch trained and evaluated: its metrics row, and where the run stands after it. (A loop that evaluates only
 * every k steps, the range test's, leaves the row's validation loss and accuracy NaN.)
 */
public record EpochEnd(EpochMetrics row, RunProgress progress) {

  /** Whether this epoch has the best validation accuracy so far. */
  public boolean isBest() {
    return progress.isBest(row.epoch());
  }
}
