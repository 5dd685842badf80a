package superconv.training.rangetest;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An observation beside the bounds, never one of them: the rate at which the test subset's accuracy peaked during
 * a range test. Smith (2017, sec. 3.3) read his bounds off accuracy against rate, the maximum "when the accuracy
 * slows, becomes ragged, or starts to fall"; fast.ai's {@code lr_find} reads the loss alone. The suggested bounds
 * stay {@link Bounds}' loss rules: accuracy over a few hundred images moves in steps of 1/M, is evaluated only every
 * k iterations, and lags the rate the way any measure of the weights does.
 *
 * @param peak the first evaluation with the highest accuracy
 * @param ties evaluations with that same accuracy, {@code peak} included
 * @param first the first evaluation
 * @param evaluations how many there were
 */
public record AccuracyPeak(RangeCurve.Accuracy peak, int ties, RangeCurve.Accuracy first, int evaluations) {

  /** The peak of {@code curve}'s evaluations, or empty where it has none. */
  public static Optional<AccuracyPeak> of(RangeCurve curve) {
    List<RangeCurve.Accuracy> all = curve.accuracies();
    if (all.isEmpty()) {
      return Optional.empty();
    }
    RangeCurve.Accuracy best = all.get(0);
    for (RangeCurve.Accuracy a : all) {
      if (a.accuracy() > best.accuracy()) {
        best = a;
      }
    }
    double top = best.accuracy();
    int ties = (int) all.stream().filter(a -> a.accuracy() == top).count();
    return Optional.of(new AccuracyPeak(best, ties, all.get(0), all.size()));
  }

  /** Whether the accuracy ever rose above its first evaluation. */
  public boolean rose() {
    return peak.accuracy() > first.accuracy();
  }

  /** One line, labelled as what it is. */
  public String describe() {
    if (!rose()) {
      return String.format(Locale.ROOT, "observation, not a bound: test accuracy never rose above its first "
          + "evaluation, %.1f%% at lr %s (%d evaluations)", 100 * first.accuracy(), Bounds.round(first.rate()),
          evaluations);
    }
    return String.format(Locale.ROOT, "observation, not a bound: test accuracy peaked at %.1f%% at lr %s "
        + "(iteration %d%s; %.1f%% at the first of %d evaluations)", 100 * peak.accuracy(), Bounds.round(peak.rate()),
        peak.iteration(), ties > 1 ? ", the first of " + ties + " evaluations at that accuracy" : "",
        100 * first.accuracy(), evaluations);
  }
}
