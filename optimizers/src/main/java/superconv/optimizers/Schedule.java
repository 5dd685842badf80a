package superconv.optimizers;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * A learning-rate schedule: an immutable value answering the rate of iteration j = 0, 1, ... of a run (and, for
 * schedules that cycle it, the momentum). The training loop feeds {@link #rate} into the optimizer's learning-rate
 * placeholder every step; {@code superconv schedule} plots the same values. Build one with {@link Schedules#fromTable}.
 * Not sealed: a new schedule is a record with its own table reader, registered in {@link Schedules}.
 */
public interface Schedule {

  /** The {@code type} of the table this schedule was built from. */
  String type();

  /** The learning rate of iteration {@code iteration} (0-based). */
  double rate(long iteration);

  /** Whether this schedule also cycles the momentum (SGD's momentum, Adam's beta1); see {@link #momentum}. */
  default boolean hasMomentum() {
    return false;
  }

  /** The momentum of iteration {@code iteration}, present exactly when {@link #hasMomentum()}. */
  default OptionalDouble momentum(long iteration) {
    return OptionalDouble.empty();
  }

  /**
   * This schedule as a table, exactly as it runs: defaults filled in, lengths resolved to iterations, gamma resolved
   * from {@code end}. {@link Schedules#fromTable} of it gives an equal schedule for the same run.
   */
  Map<String, Object> toTable();
}
