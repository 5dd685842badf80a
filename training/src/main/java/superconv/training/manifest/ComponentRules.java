package superconv.training.manifest;

import java.util.List;
import java.util.Set;

/**
 * What the manifest may say about optimizers and schedules. Validation asks these rules so that the module
 * that builds optimizers and schedules is the one place that knows their names, parameters and limits.
 */
public interface ComponentRules {

  /** The rules superconv runs with. */
  static ComponentRules standard() {
    return new OptimizerModuleRules();
  }

  Set<String> optimizerTypes();

  Set<String> scheduleTypes();

  /** Whether the optimizer calculates its own rates, so that its phase takes no schedule. */
  boolean calculatesRates(String optimizerType);

  /** Problems with an optimizer table of a known type (each a sentence naming the key); empty when valid. */
  List<String> checkOptimizer(Component optimizer);

  /**
   * Problems with a schedule table of a known type that drives {@code optimizer} (already checked; null when the
   * optimizer is unusable, to check the schedule on its own) over {@code epochs} epochs of {@code iterationsPerEpoch}
   * iterations; empty when valid.
   */
  List<String> checkSchedule(Component schedule, Component optimizer, int iterationsPerEpoch, int epochs);
}
