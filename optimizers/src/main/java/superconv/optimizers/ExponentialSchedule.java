package superconv.optimizers;

import static superconv.optimizers.Specs.require;
import static superconv.optimizers.Specs.table;

import java.util.Map;

/** Thesis eq. 4.1: rate(j) = start * gamma^j. */
public record ExponentialSchedule(double start, double gamma) implements Schedule {
  public ExponentialSchedule {
    require(Double.isFinite(start) && start > 0, "start = %s is not allowed: expected a finite rate > 0", start);
    require(Double.isFinite(gamma) && gamma > 0, "gamma = %s is not allowed: expected a finite factor > 0", gamma);
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
