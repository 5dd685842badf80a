package superconv.training.loop;

import superconv.training.run.RunProgress;

/**
 * Where a run starts: from nothing, or restored from a checkpoint at {@code progress}: after {@code
 * progress.epochsCompleted()} epochs and, after a mid-epoch checkpoint, {@code progress.epoch().steps()} steps of the
 * next.
 *
 * @param stepsPerEpoch iterations per epoch (drop-last batches)
 * @param epochs the run's length in epochs
 */
public record RunStart(RunProgress progress, int stepsPerEpoch, int epochs) {

  public boolean resumed() {
    return progress.steps() > 0;
  }

  /** The global step the run continues from. */
  public long firstStep() {
    return progress.steps();
  }
}
