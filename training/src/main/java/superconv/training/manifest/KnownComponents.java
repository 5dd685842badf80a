package superconv.training.manifest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Structural rules for optimizer and schedule tables: known types, their keys, and the value checks that need
 * the run's length. Used by the manifest when the optimizers module's own factories are not at hand.
 */
public final class KnownComponents implements ComponentRules {

  private static final Map<String, List<String>> OPTIMIZERS = new LinkedHashMap<>();
  private static final Map<String, List<String>> SCHEDULES = new LinkedHashMap<>();

  static {
    OPTIMIZERS.put("sgd", List.of("momentum", "nesterov", "weight_decay"));
    OPTIMIZERS.put("adam", List.of("beta1", "beta2", "epsilon", "weight_decay"));
    OPTIMIZERS.put("cus-adam", List.of("beta1", "beta2", "epsilon", "weight_decay"));
    OPTIMIZERS.put("adasecant", List.of());
    OPTIMIZERS.put("simple-adasecant", List.of("threshold"));
    SCHEDULES.put("constant", List.of("lr"));
    SCHEDULES.put("triangular", List.of("min", "max", "cycle_epochs", "cycle_iterations", "up_fraction", "peak_decay"));
    SCHEDULES.put("one-cycle", List.of("min", "max", "cycle_fraction", "final_div", "momentum_max", "momentum_min"));
    SCHEDULES.put("exponential", List.of("start", "end", "gamma"));
    SCHEDULES.put("random", List.of("min", "max", "seed"));
    SCHEDULES.put("cosine", List.of("min", "max", "restart_epochs", "restart_iterations"));
  }

  @Override
  public Set<String> optimizerTypes() {
    return OPTIMIZERS.keySet();
  }

  @Override
  public Set<String> scheduleTypes() {
    return SCHEDULES.keySet();
  }

  @Override
  public boolean calculatesRates(String optimizerType) {
    return optimizerType.equals("adasecant") || optimizerType.equals("simple-adasecant");
  }

  @Override
  public List<String> checkOptimizer(Component optimizer) {
    List<String> problems = keys(optimizer, OPTIMIZERS.get(optimizer.type()));
    for (String key : List.of("momentum", "weight_decay", "epsilon", "threshold")) {
      nonNegative(optimizer, key, problems);
    }
    for (String key : List.of("beta1", "beta2")) {
      if (optimizer.has(key) && !(optimizer.number(key, 0) >= 0 && optimizer.number(key, 0) < 1)) {
        problems.add(key + " " + optimizer.params().get(key) + " must be in [0, 1)");
      }
    }
    return problems;
  }

  @Override
  public List<String> checkSchedule(Component schedule, int iterationsPerEpoch, int epochs) {
    List<String> problems = keys(schedule, SCHEDULES.get(schedule.type()));
    switch (schedule.type()) {
      case "constant" -> positive(schedule, "lr", true, problems);
      case "exponential" -> {
        positive(schedule, "start", true, problems);
        if (schedule.has("end") == schedule.has("gamma")) {
          problems.add("give exactly one of end (the last rate) and gamma (the factor per iteration)");
        }
        positive(schedule, "end", false, problems);
        positive(schedule, "gamma", false, problems);
      }
      default -> {
        positive(schedule, "min", true, problems);
        positive(schedule, "max", true, problems);
        if (schedule.number("min", 0) >= schedule.number("max", Double.POSITIVE_INFINITY)) {
          problems.add("min (" + schedule.params().get("min") + ") must be below max (" + schedule.params().get("max")
              + ")");
        }
        if (schedule.type().equals("triangular")) {
          if (schedule.has("cycle_epochs") == schedule.has("cycle_iterations")) {
            problems.add("give exactly one of cycle_epochs and cycle_iterations");
          } else {
            double cycle = schedule.has("cycle_epochs")
                ? schedule.number("cycle_epochs", 0) * iterationsPerEpoch
                : schedule.number("cycle_iterations", 0);
            if (!(cycle >= 2)) {
              problems.add("the cycle is " + cycle + " iterations; it needs at least 2");
            }
          }
        }
      }
    }
    return problems;
  }

  private static List<String> keys(Component component, List<String> allowed) {
    List<String> problems = new ArrayList<>();
    for (String key : component.params().keySet()) {
      if (!allowed.contains(key)) {
        problems.add("unknown key \"" + key + "\"" + Manifest.suggestion(key, allowed) + "; valid keys: type"
            + (allowed.isEmpty() ? "" : ", " + String.join(", ", allowed)));
      }
    }
    return problems;
  }

  private static void nonNegative(Component component, String key, List<String> problems) {
    if (component.has(key) && !(component.params().get(key) instanceof Number n && n.doubleValue() >= 0)) {
      problems.add(key + " " + component.params().get(key) + " must be a number >= 0");
    }
  }

  private static void positive(Component component, String key, boolean required, List<String> problems) {
    Object value = component.params().get(key);
    if (value == null) {
      if (required) {
        problems.add(key + " is missing");
      }
    } else if (!(value instanceof Number n && n.doubleValue() > 0 && Double.isFinite(n.doubleValue()))) {
      problems.add(key + " " + value + " must be a positive number");
    }
  }
}
