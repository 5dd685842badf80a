package superconv.training.rangetest;

import java.util.Locale;
import java.util.Optional;

/**
 * Learning-rate bounds read off a range test's smoothed loss, each with the rule that chose it.
 *
 * <p>Smith (2017, sec. 3.3) takes the minimum where the loss starts to fall and the maximum where it stops falling.
 * On the smoothed curve these are:
 * <ul>
 *   <li>{@code min}: the first rate at which the smoothed loss has covered {@link #FALL_FRACTION} of its way down
 *       from its first value to its minimum. A fraction of the drop, not of the loss, so that a loss with a high
 *       floor (label smoothing, many classes) still has a start.
 *   <li>{@code max}: the rate at the minimum of the smoothed loss divided by {@link #MAX_DIVISOR}. The moving
 *       average lags the raw loss by about {@code beta / (1 - beta)} = 49 iterations, so its minimum lies past the
 *       rate where the loss stopped falling; fast.ai divides by 10 for the same reason ({@code SuggestionMethod.Minimum}).
 * </ul>
 * Where the first {@code min} is not below {@code max} (a curve that barely falls), {@code min} is {@code max /}
 * {@link #MIN_DIVISOR}, Smith's rule of thumb.
 * and fast.ai's alternatives, over the curve without its first tenth and last 5 points as {@code lr_find} does:
 * {@code steepest}, the rate of the most negative d(smoothed loss)/d(ln rate), and {@code valley}, the rate
 * halfway (1/3 + 1/6) along the longest falling run of the smoothed loss (its longest decreasing subsequence).
 */
public record Bounds(Suggestion min, Suggestion max, Suggestion steepest, Suggestion valley) {

  public static final double FALL_FRACTION = 0.1;
  public static final double MAX_DIVISOR = 10;
  /** Smith (2017, sec. 3.3): "set base_lr to 1/3 or 1/4 of max_lr", where the curve gives no clear start. */
  public static final double MIN_DIVISOR = 4;

  /** One suggested rate, the curve's index it was read at, and its rule in words. */
  public record Suggestion(String name, double rate, int index, String rule) {}

  public Bounds {
    if (!(min.rate() < max.rate())) {
      throw new IllegalArgumentException("min " + min.rate() + " is not below max " + max.rate());
    }
  }

  /** The bounds of {@code curve}, or empty when its smoothed loss never fell below its first value. */
  public static Optional<Bounds> of(RangeCurve curve) {
    double[] s = curve.smoothed();
    double[] r = curve.rates();
    if (s.length < 3) {
      return Optional.empty();
    }
    int low = curve.argmin();
    double drop = s[0] - s[low];
    if (!(drop > 0)) {
      return Optional.empty();
    }
    int start = 0;
    while (s[start] > s[0] - FALL_FRACTION * drop) {
      start++;
    }
    Suggestion min = new Suggestion("min", r[start], start, String.format(Locale.ROOT,
        "Smith: first rate where the smoothed loss has fallen %.0f%% of the way from %.4g to its minimum %.4g",
        100 * FALL_FRACTION, s[0], s[low]));
    Suggestion max = new Suggestion("max", r[low] / MAX_DIVISOR, low, String.format(Locale.ROOT,
        "Smith: rate of the minimum smoothed loss (%.4g at %.4g) / %.0f, for the moving average's lag",
        s[low], r[low], MAX_DIVISOR));
    if (!(min.rate() < max.rate())) {
      min = new Suggestion("min", max.rate() / MIN_DIVISOR, low, String.format(Locale.ROOT,
          "Smith's rule of thumb, max / %.0f: the smoothed loss fell too little before its minimum to show where it "
              + "starts to fall (%.0f%% of the way first at %.4g)", MIN_DIVISOR, 100 * FALL_FRACTION, r[start]));
    }
    int from = s.length / 10;
    int to = s.length - 5;
    if (to - from < 3) {
      from = 0;
      to = s.length;
    }
    int steep = steepest(r, s, from, to);
    Suggestion steepest = new Suggestion("steepest", r[steep], steep,
        "fast.ai: most negative d(smoothed loss)/d(ln rate)");
    int valley = valley(s, from, to);
    Suggestion valleySuggestion = new Suggestion("valley", r[valley], valley,
        "fast.ai: halfway along the longest falling run of the smoothed loss");
    return Optional.of(new Bounds(min, max, steepest, valleySuggestion));
  }

  private static int steepest(double[] r, double[] s, int from, int to) {
    int best = from;
    double slope = Double.POSITIVE_INFINITY;
    for (int i = from; i + 1 < to; i++) {
      double d = (s[i + 1] - s[i]) / (Math.log(r[i + 1]) - Math.log(r[i]));
      if (d < slope) {
        slope = d;
        best = i;
      }
    }
    return best;
  }

  /** fast.ai's {@code valley}: the longest decreasing subsequence, then 1/3 + 1/6 of the way along it. */
  private static int valley(double[] s, int from, int to) {
    int n = to - from;
    int[] lengths = new int[n];
    int end = 0;
    int begin = 0;
    for (int i = 0; i < n; i++) {
      lengths[i] = 1;
      for (int j = 0; j < i; j++) {
        if (s[from + i] < s[from + j] && lengths[i] < lengths[j] + 1) {
          lengths[i] = lengths[j] + 1;
        }
        if (lengths[end] < lengths[i]) {
          end = i;
          begin = end - lengths[end];
        }
      }
    }
    double sections = (end - begin) / 3.0;
    return from + Math.max(0, begin + (int) sections + (int) (sections / 2));
  }

  /** {@code schedule = { type = "triangular", ... }} with these bounds, rounded to 2 significant digits. */
  public String triangular(double cycleEpochs) {
    return String.format(Locale.ROOT, "schedule = { type = \"triangular\", min = %s, max = %s, cycle_epochs = %s }",
        round(min.rate()), round(max.rate()), Double.toString(cycleEpochs).replaceAll("\\.0$", ""));
  }

  /** A rate rounded to 2 significant digits, as TOML accepts it. */
  public static String round(double rate) {
    java.math.BigDecimal d = new java.math.BigDecimal(rate).round(new java.math.MathContext(2)).stripTrailingZeros();
    return d.toPlainString();
  }
}
