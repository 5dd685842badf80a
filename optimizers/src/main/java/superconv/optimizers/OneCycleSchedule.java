package superconv.optimizers;

import static superconv.optimizers.Specs.require;
import static superconv.optimizers.Specs.requireParameter;
import static superconv.optimizers.Specs.requireRates;
import static superconv.optimizers.Specs.table;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Smith and Topin's 1cycle: one triangular cycle of {@code cycleIterations} from {@code min} to {@code max} and
 * back, then a linear annihilation to {@code min / finalDiv} reached at the run's last iteration. With
 * {@code momentumMax}/{@code momentumMin} (else NaN) the momentum cycles the other way: max at the ends, min at
 * the peak of the rate, and stays at max during the annihilation.
 */
public record OneCycleSchedule(double min, double max, double cycleIterations, double finalDiv, double runIterations,
    double momentumMax, double momentumMin) implements Schedule {
  public OneCycleSchedule {
    requireRates(min, max);
    require(cycleIterations >= 2 && cycleIterations <= runIterations,
        "cycle_iterations = %s is not allowed: expected a cycle of at least 2 iterations within the run of %s",
        cycleIterations, runIterations);
    require(Double.isFinite(finalDiv) && finalDiv >= 1, "final_div = %s is not allowed: expected a number >= 1", finalDiv);
    require(Double.isNaN(momentumMax) == Double.isNaN(momentumMin),
        "give both momentum_max and momentum_min (cyclical momentum) or neither");
    requireParameter(Double.isNaN(momentumMax) || (momentumMax >= 0 && momentumMax < 1), "momentum_max", momentumMax,
        "a number in [0, 1)");
    requireParameter(Double.isNaN(momentumMin) || (momentumMin >= 0 && momentumMin < 1), "momentum_min", momentumMin,
        "a number in [0, 1)");
    require(Double.isNaN(momentumMax) || momentumMin <= momentumMax,
        "momentum_min = %s is not allowed: expected a number <= momentum_max (%s)", momentumMin, momentumMax);
  }

  /** Reads a {@code one-cycle} table; the cycle is 0.9 of {@code run} unless given. */
  static OneCycleSchedule fromTable(Table t, Span run) {
    t.allowOnly(Set.of("type", "min", "max", "cycle_fraction", "cycle_epochs", "cycle_iterations", "final_div",
        "momentum_max", "momentum_min"));
    if (t.has("cycle_fraction") && (t.has("cycle_epochs") || t.has("cycle_iterations"))) {
      throw t.fail("give one of cycle_fraction, cycle_epochs, cycle_iterations, not several");
    }
    double n = run.iterations();
    double cycle = t.has("cycle_fraction")
        ? fraction(t, "cycle_fraction") * n
        : Schedules.cycle(t, run, 0.9 * n);
    double momentumMax = t.number("momentum_max", Double.NaN);
    double momentumMin = t.number("momentum_min", Double.NaN);
    return new OneCycleSchedule(t.number("min"), t.number("max"), cycle, t.number("final_div", 100.0), n,
        momentumMax, momentumMin);
  }

  private static double fraction(Table t, String key) {
    double f = t.number(key);
    if (!(f > 0 && f <= 1)) {
      throw t.bad(key, t.map().get(key), "a fraction in (0, 1]");
    }
    return f;
  }

  @Override
  public String type() {
    return "one-cycle";
  }

  @Override
  public double rate(long iteration) {
    if (iteration < cycleIterations) {
      return min + (max - min) * TriangularSchedule.triangle(iteration, cycleIterations, 0.5);
    }
    return min + (min / finalDiv - min) * annihilated(iteration);
  }

  /** Progress 0..1 through the annihilation, 1 at the run's last iteration. */
  private double annihilated(long iteration) {
    double span = runIterations - 1 - cycleIterations;
    return span <= 0 ? 1.0 : Math.min(1.0, (iteration - cycleIterations) / span);
  }

  @Override
  public boolean hasMomentum() {
    return !Double.isNaN(momentumMax);
  }

  @Override
  public OptionalDouble momentum(long iteration) {
    if (!hasMomentum()) {
      return OptionalDouble.empty();
    }
    if (iteration >= cycleIterations) {
      return OptionalDouble.of(momentumMax);
    }
    return OptionalDouble.of(
        momentumMax - (momentumMax - momentumMin) * TriangularSchedule.triangle(iteration, cycleIterations, 0.5));
  }

  @Override
  public Map<String, Object> toTable() {
    Map<String, Object> m = table(type(), "min", min, "max", max, "cycle_iterations", cycleIterations,
        "final_div", finalDiv);
    if (hasMomentum()) {
      m.put("momentum_max", momentumMax);
      m.put("momentum_min", momentumMin);
    }
    return m;
  }
}
