package superconv.training.report;

import java.util.Collection;

/**
 * Summary of one quantity over the seeds of a group: count, mean, sample standard deviation (n - 1 in the
 * denominator: the seeds are a sample of the seeds one could have run; NaN below two values), minimum and maximum.
 * No values give n = 0 and NaN everywhere.
 */
public record Stats(int n, double mean, double sd, double min, double max) {

  public static Stats of(Collection<Double> values) {
    int n = values.size();
    if (n == 0) {
      return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    double mean = values.stream().mapToDouble(Double::doubleValue).sum() / n;
    double squares = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
    double min = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    return new Stats(n, mean, n < 2 ? Double.NaN : Math.sqrt(squares / (n - 1)), min, max);
  }

  /** A single value: what a run without seed siblings reports. */
  public static Stats of(double value) {
    return new Stats(1, value, Double.NaN, value, value);
  }
}
