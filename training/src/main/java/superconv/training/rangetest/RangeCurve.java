package superconv.training.rangetest;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A range test's curve: per iteration the rate fed, the raw batch loss and the smoothed loss, up to and including
 * the iteration at which the test stopped; and, where the test evaluated every k iterations, the test subset's
 * accuracy after those iterations.
 *
 * <p>The smoothing is fast.ai's ({@code Recorder.smooth_loss}): an exponential moving average with {@code beta =
 * 0.98}, divided by {@code 1 - beta^(i+1)} so that early values are not dragged towards 0. The test stops once the
 * smoothed loss exceeds {@link #EXPLOSION} times its minimum so far, as fast.ai's {@code lr_find} does; beyond that
 * the curve only shows the net coming apart.
 *
 * @param stop why the curve ends early ("" when it ran its full length)
 * @param accuracies the evaluations, in iteration order (empty where the test evaluated nothing)
 */
public record RangeCurve(double[] rates, double[] losses, double[] smoothed, String stop, List<Accuracy> accuracies) {

  public static final double BETA = 0.98;
  public static final double EXPLOSION = 4;

  /**
   * The test subset evaluated after {@code iteration} (0-based; an index into the curve), whose step was fed
   * {@code rate}.
   *
   * @param accuracy a fraction of the subset's images
   * @param loss the mean cross-entropy over them
   * @param images how many images the evaluation saw (the whole subset)
   */
  public record Accuracy(int iteration, double rate, double accuracy, double loss, long images) {}

  public RangeCurve {
    if (rates.length != losses.length || rates.length != smoothed.length) {
      throw new IllegalArgumentException("a range-test curve needs as many rates as losses");
    }
    rates = rates.clone();
    losses = losses.clone();
    smoothed = smoothed.clone();
    accuracies = List.copyOf(accuracies);
    int last = -1;
    for (Accuracy a : accuracies) {
      if (a.iteration() <= last || a.iteration() >= rates.length) {
        throw new IllegalArgumentException("evaluation at iteration " + a.iteration() + " is out of order or past the "
            + rates.length + " iterations of the curve");
      }
      last = a.iteration();
    }
  }

  /** A curve without evaluations. */
  public RangeCurve(double[] rates, double[] losses, double[] smoothed, String stop) {
    this(rates, losses, smoothed, stop, List.of());
  }

  /**
   * The curve of raw {@code (rate, loss)} pairs as the test records it: smoothed, and cut after the first
   * iteration whose smoothed loss explodes or before the first non-finite loss.
   */
  public static RangeCurve of(double[] rates, double[] losses) {
    Smoother smoother = new Smoother();
    int n = 0;
    String stop = "";
    double[] smoothed = new double[losses.length];
    for (; n < losses.length; n++) {
      if (!Double.isFinite(losses[n])) {
        stop = "loss not finite at iteration " + n;
        break;
      }
      smoothed[n] = smoother.add(losses[n]);
      Optional<String> exploded = smoother.exploded(n);
      if (exploded.isPresent()) {
        stop = exploded.get();
        n++;
        break;
      }
    }
    return new RangeCurve(Arrays.copyOf(rates, n), Arrays.copyOf(losses, n), Arrays.copyOf(smoothed, n), stop);
  }

  public int size() {
    return rates.length;
  }

  /** The index of the smallest smoothed loss (the first, if several are equal). */
  public int argmin() {
    int best = 0;
    for (int i = 1; i < smoothed.length; i++) {
      if (smoothed[i] < smoothed[best]) {
        best = i;
      }
    }
    return best;
  }

  /** fast.ai's smoothing and stop rule, one loss at a time: what the test runs on while it trains. */
  static final class Smoother {
    private double average;
    private int count;
    private double best = Double.POSITIVE_INFINITY;
    private double last = Double.NaN;

    double add(double loss) {
      average = BETA * average + (1 - BETA) * loss;
      count++;
      last = average / (1 - Math.pow(BETA, count));
      best = Math.min(best, last);
      return last;
    }

    /** Why the test stops after iteration {@code iteration}, whose loss was the last one added. */
    Optional<String> exploded(long iteration) {
      if (last > EXPLOSION * best) {
        return Optional.of(String.format(java.util.Locale.ROOT,
            "smoothed loss %.4g exceeded %.0fx its minimum %.4g at iteration %d", last, EXPLOSION, best, iteration));
      }
      return Optional.empty();
    }
  }
}
