package superconv.optimizers;

import static superconv.optimizers.Specs.require;
import static superconv.optimizers.Specs.table;

import java.util.Map;
import java.util.Set;

/** Thesis eq. 4.1: rate(j) = start * gamma^j. */
public record ExponentialSchedule(double start, double gamma) implements Schedule {
  public ExponentialSchedule {
    require(Double.isFinite(start) && start > 0, "start = %s is not allowed: expected a finite rate > 0", start);
    require(Double.isFinite(gamma) && gamma > 0, "gamma = %s is not allowed: expected a finite factor > 0", gamma);
  }

  /** Reads an {@code exponential} table; {@code end} is reached after {@code run}'s iterations. */
  static ExponentialSchedule fromTable(Table t, Span run) {
    t.allowOnly(Set.of("type", "start", "end", "gamma"));
    if (t.has("end") == t.has("gamma")) {
      throw t.fail("give exactly one of end (the rate of the last iteration) and gamma (the factor per iteration)");
    }
    double start = t.positive("start");
    double gamma = t.has("gamma")
        ? t.positive("gamma")
        : Math.pow(t.positive("end") / start, 1.0 / run.iterations());
    return new ExponentialSchedule(start, gamma);
  }

  @Override
  public String type() {
    return "exponential";
  }

  @Override
  public double rate(long iteration) {
    return start * Math.pow(gamma, iteration);
  }

  @Override
  public Map<String, Object> toTable() {
    return table(type(), "start", start, "gamma", gamma);
  }
}
