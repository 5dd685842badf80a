package superconv.training.manifest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import superconv.optimizers.Optimizers;
import superconv.optimizers.RunLength;
import superconv.optimizers.Schedules;

/**
 * The manifest's optimizer and schedule rules, taken from the optimizers module's own factories: a table the
 * manifest accepts is exactly a table a run can build, and the messages are theirs.
 */
final class OptimizerModuleRules implements ComponentRules {

  private static final Set<String> OPTIMIZERS = optimizerTypes(Optimizers.TYPES);
  private static final Set<String> SCHEDULES = new LinkedHashSet<>(Schedules.TYPES);

  /**
   * A phase cannot itself switch; {@code optimizer = { type = "switching", phases = [...] }} at the top of an
   * experiment is rewritten to the manifest's {@code phases} before any optimizer is checked.
   */
  private static Set<String> optimizerTypes(List<String> types) {
    Set<String> set = new LinkedHashSet<>(types);
    set.remove("switching");
    return java.util.Collections.unmodifiableSet(set);
  }

  @Override
  public Set<String> optimizerTypes() {
    return OPTIMIZERS;
  }

  @Override
  public Set<String> scheduleTypes() {
    return java.util.Collections.unmodifiableSet(SCHEDULES);
  }

  @Override
  public boolean calculatesRates(String optimizerType) {
    return !Optimizers.fromTable(Map.of("type", optimizerType)).usesRate();
  }

  @Override
  public List<String> checkOptimizer(Component optimizer) {
    try {
      Optimizers.fromTable(optimizer.table());
      return List.of();
    } catch (IllegalArgumentException e) {
      return List.of(strip(e.getMessage(), "optimizer"));
    }
  }

  @Override
  public List<String> checkSchedule(Component schedule, Component optimizer, int iterationsPerEpoch, int epochs) {
    List<String> problems = new ArrayList<>();
    try {
      RunLength run = new RunLength(epochs, iterationsPerEpoch);
      if (optimizer == null) {
        Schedules.fromTable(schedule.table(), run);
      } else {
        Optimizers.schedule(Optimizers.fromTable(optimizer.table()), schedule.table(), run);
      }
    } catch (IllegalArgumentException e) {
      problems.add(strip(e.getMessage(), "schedule"));
    }
    return problems;
  }

  /** Their messages start with the table's name; the manifest's own prefix already says which table. */
  private static String strip(String message, String table) {
    String text = message == null ? "invalid" : message;
    return text.startsWith(table + ": ") ? text.substring(table.length() + 2) : text;
  }
}
