package superconv.optimizers;

import static superconv.optimizers.Specs.require;
import static superconv.optimizers.Specs.table;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Smith's learning-rate range test (Smith 2017, sec. 3.3): the rate grows from {@code start} to {@code end} over
 * {@code iterations} iterations, exponentially (fast.ai's {@code lr_find}: equal steps in log rate, so every decade
 * gets as many iterations) or linearly (Smith's original), and stays at {@code end} afterwards.
 */
public record RangeTestSchedule(double start, double end, long iterations, Mode mode) implements Schedule {

  /** How the rate grows between start and end. */
  public enum Mode {
    EXPONENTIAL,
    LINEAR;

    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    static final List<String> KEYS = List.of("exponential", "linear");
  }

  public RangeTestSchedule {
    require(Double.isFinite(start) && start > 0, "start = %s is not allowed: expected a finite rate > 0", start);
    require(Double.isFinite(end) && end > start, "end = %s is not allowed: expected a finite rate > start (%s)", end,
        start);
    require(iterations >= 2, "iterations = %s is not allowed: expected at least 2 iterations", iterations);
    require(mode != null, "mode is required");
  }

  /** Reads a {@code range-test} table; it spans {@code run} unless {@code iterations} is given. */
  static RangeTestSchedule fromTable(Table t, Span run) {
    t.allowOnly(Set.of("type", "start", "end", "iterations", "mode"));
    String mode = t.has("mode") ? t.choice("mode", Mode.KEYS) : "exponential";
    long n = t.has("iterations") ? t.positiveInteger("iterations") : run.iterations();
    return new RangeTestSchedule(t.positive("start"), t.positive("end"), n,
        Mode.valueOf(mode.toUpperCase(Locale.ROOT)));
  }

  @Override
  public String type() {
    return "range-test";
  }

  @Override
  public double rate(long iteration) {
    if (iteration >= iterations - 1) {
      return end;
    }
    double t = (double) Math.max(iteration, 0) / (iterations - 1);
    return mode == Mode.EXPONENTIAL ? start * Math.pow(end / start, t) : start + (end - start) * t;
  }

  @Override
  public Map<String, Object> toTable() {
    return table(type(), "start", start, "end", end, "iterations", iterations, "mode", mode.key());
  }
}
