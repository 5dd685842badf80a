package superconv.training.loop;

import superconv.training.run.RunProgress;

/**
 * Where a run starts: from nothing, or after {@code progress.epochsCompleted()} epochs restored from a checkpoint.
 *
 * @param stepsPerEpoch iterations per epoch (drop-last batches)
 * @param epochs the run's length in epochs
 */
public record RunStart(RunProgress progress, int stepsPerEpoch, int epochs) {

  public boolean resumed() {
    return progress.epochsCompleted() > 0;
  }

  /** The global step the run continues from. */
  public long firstStep() {
    return (long) progress.epochsCompleted() * stepsPerEpoch;
  }
}
