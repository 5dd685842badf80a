package superconv.training.loop;

import java.util.Optional;

/**
 * Decides after each step whether a {@link TrainingLoop} ends early, for explorations that are not runs (the
 * learning-rate range test stops once its loss explodes). Runs never stop early: their length is their spec, and
 * resuming depends on it.
 */
@FunctionalInterface
public interface StopCondition {

  /** Never stops: a run's loop. */
  StopCondition NEVER = step -> Optional.empty();

  /** Why the loop stops after {@code step} (a finite step, already heard by every listener), or empty to go on. */
  Optional<String> after(StepEnd step);
}
