package superconv.optimizers;

import static superconv.optimizers.Specs.requireRates;
import static superconv.optimizers.Specs.table;

import java.util.Map;
import java.util.Set;

/**
 * Thesis 4.3.3: a fresh rate uniform in [min, max) every iteration. The value is a pure function of (seed,
 * iteration), so a resumed run sees exactly the rates of an uninterrupted one.
 */
public record RandomSchedule(double min, double max, long seed) implements Schedule {
  public RandomSchedule {
    requireRates(min, max);
  }

  /** Reads a {@code random} table (the run's length does not matter to it). */
  static RandomSchedule fromTable(Table t, Span run) {
    t.allowOnly(Set.of("type", "min", "max", "seed"));
    return new RandomSchedule(t.number("min"), t.number("max"), t.has("seed") ? t.integer("seed") : 0L);
  }

  @Override
  public String type() {
    return "random";
  }

  @Override
  public double rate(long iteration) {
    return min + (max - min) * uniform(seed, iteration);
  }

  /** SplitMix64 of (seed, iteration): 53 random bits as a double in [0, 1). */
  static double uniform(long seed, long iteration) {
    long z = seed * 0xBF58476D1CE4E5B9L + (iteration + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z = z ^ (z >>> 31);
    return (z >>> 11) * 0x1.0p-53;
  }

  @Override
  public Map<String, Object> toTable() {
    return table(type(), "min", min, "max", max, "seed", seed);
  }
}
