package superconv.optimizers;

import static superconv.optimizers.Specs.require;
import static superconv.optimizers.Specs.requireRates;
import static superconv.optimizers.Specs.table;

import java.util.Map;
import java.util.Set;

/**
 * Cosine annealing from {@code max} to {@code min} over cycles of {@code cycleIterations} (the whole run unless
 * a cycle is given), each {@code cycleMult} times as long as the one before, with warm restarts to a peak that
 * shrinks by {@code peakDecay} per cycle: PyTorch's CosineAnnealingWarmRestarts with T_0 = cycle.
 */
public record CosineSchedule(double min, double max, double cycleIterations, double cycleMult, double peakDecay)
    implements Schedule {
  public CosineSchedule {
    requireRates(min, max);
    require(Double.isFinite(cycleIterations) && cycleIterations >= 2,
        "cycle_iterations = %s is not allowed: expected a cycle of at least 2 iterations", cycleIterations);
    require(Double.isFinite(cycleMult) && cycleMult >= 1, "cycle_mult = %s is not allowed: expected a number >= 1", cycleMult);
    require(peakDecay > 0 && peakDecay <= 1, "peak_decay = %s is not allowed: expected a factor in (0, 1]", peakDecay);
  }

  /** Reads a {@code cosine} table; one cycle spans {@code run} unless given. */
  static CosineSchedule fromTable(Table t, Span run) {
    t.allowOnly(Set.of("type", "min", "max", "cycle_epochs", "cycle_iterations", "cycle_mult", "peak_decay"));
    return new CosineSchedule(t.number("min", 0.0), t.number("max"),
        Schedules.cycle(t, run, (double) run.iterations()), t.number("cycle_mult", 1.0), t.number("peak_decay", 1.0));
  }

  @Override
  public String type() {
    return "cosine";
  }

  @Override
  public double rate(long iteration) {
    double j = iteration;
    double cycleIndex;
    double t;
    double length;
    if (cycleMult == 1.0) {
      cycleIndex = Math.floor(j / cycleIterations);
      t = j - cycleIndex * cycleIterations;
      length = cycleIterations;
    } else {
      cycleIndex = Math.floor(Math.log(j / cycleIterations * (cycleMult - 1) + 1) / Math.log(cycleMult));
      t = j - cycleIterations * (Math.pow(cycleMult, cycleIndex) - 1) / (cycleMult - 1);
      length = cycleIterations * Math.pow(cycleMult, cycleIndex);
    }
    double peak = max - min;
    if (peakDecay != 1.0) {
      peak *= Math.pow(peakDecay, cycleIndex);
    }
    return min + peak * (1 + Math.cos(Math.PI * t / length)) / 2;
  }

  @Override
  public Map<String, Object> toTable() {
    return table(type(), "min", min, "max", max, "cycle_iterations", cycleIterations, "cycle_mult", cycleMult,
        "peak_decay", peakDecay);
  }
}
