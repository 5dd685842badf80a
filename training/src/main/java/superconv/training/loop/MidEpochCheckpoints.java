package superconv.training.loop;

/**
 * When a run's loop checkpoints inside an epoch (it always does at an epoch's end): every {@code everySteps} steps
 * counted from the run's start (0: never), and after the step at which {@code stop} is requested.
 */
public record MidEpochCheckpoints(int everySteps, StopRequest stop) {

  /** Epoch ends only, and nobody asks the loop to stop: the range test's loop. */
  public static MidEpochCheckpoints none() {
    return new MidEpochCheckpoints(0, new StopRequest());
  }

  public MidEpochCheckpoints {
    if (everySteps < 0) {
      throw new IllegalArgumentException("a checkpoint interval must be 0 (epoch ends only) or more steps, not "
          + everySteps);
    }
  }

  /** Whether a checkpoint is due once {@code stepsTaken} steps of the run are taken. */
  boolean dueAfter(long stepsTaken) {
    return everySteps > 0 && stepsTaken % everySteps == 0;
  }
}
