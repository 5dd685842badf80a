package superconv.training.rangetest;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import superconv.training.plot.LineChart;

/**
 * The range test's picture: raw and smoothed loss against the rate on a log axis, Smith's suggested min and max as
 * vertical lines, and, where the test evaluated, the test subset's accuracy against a second, right-hand axis.
 */
public final class RangePlot {

  /** The right-hand axis's title. */
  public static final String ACCURACY_AXIS = "test accuracy (%)";

  private RangePlot() {}

  /**
   * The chart of {@code curve} (at least two iterations) for run {@code runId}, with {@code bounds} marked; its
   * accuracy line, where it has one, is named after the images it was measured on (every evaluation sees the same
   * test subset, so the first one's count is all of them).
   */
  public static LineChart chart(String runId, RangeCurve curve, Optional<Bounds> bounds) {
    if (curve.size() < 2) {
      throw new IllegalArgumentException("a range test of " + curve.size() + " iteration has no curve to draw");
    }
    // The axis ends a little above the stop threshold (or the first loss): the explosion would flatten the rest.
    double low = Arrays.stream(curve.smoothed()).min().orElse(0);
    double top = 1.1 * Math.max(curve.smoothed()[0], RangeCurve.EXPLOSION * low);
    boolean clipped = Arrays.stream(curve.losses()).anyMatch(l -> l > top);
    String title = "LR range test: " + runId + (clipped ? " (losses above " + Bounds.round(top) + " drawn at it)" : "");
    LineChart chart = LineChart.of(title, "learning rate", "loss")
        .with("smoothed loss", curve.rates(), clip(curve.smoothed(), top))
        .with("raw loss", curve.rates(), clip(curve.losses(), top));
    if (bounds.isPresent()) {
      for (Bounds.Suggestion s : List.of(bounds.get().min(), bounds.get().max())) {
        chart = chart.with(s.name() + " " + Bounds.round(s.rate()), new double[] {s.rate(), s.rate()},
            new double[] {low, top});
      }
    }
    if (!curve.accuracies().isEmpty()) {
      chart = chart.withSecondAxis(ACCURACY_AXIS, "test accuracy (" + curve.accuracies().get(0).images() + " images)",
          curve.accuracies().stream().mapToDouble(RangeCurve.Accuracy::rate).toArray(),
          curve.accuracies().stream().mapToDouble(a -> 100 * a.accuracy()).toArray());
    }
    return chart.logXAxis();
  }

  private static double[] clip(double[] values, double top) {
    return Arrays.stream(values).map(v -> Math.min(v, top)).toArray();
  }
}
