package superconv.training.rangetest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The accuracy observation: the first evaluation at the highest accuracy, told apart from the loss bounds. */
class AccuracyPeakTest {

  private static RangeCurve curve(double... accuracies) {
    int n = 10 * accuracies.length;
    double[] rates = new double[n];
    double[] losses = new double[n];
    for (int i = 0; i < n; i++) {
      rates[i] = 1e-4 * Math.pow(10, i / 10.0);
      losses[i] = 2;
    }
    List<RangeCurve.Accuracy> points = new java.util.ArrayList<>();
    for (int k = 0; k < accuracies.length; k++) {
      int iteration = 10 * k + 9;
      points.add(new RangeCurve.Accuracy(iteration, rates[iteration], accuracies[k], 1.5, 200));
    }
    return new RangeCurve(rates, losses, losses, "", points);
  }

  @Test
  void thePeakIsTheFirstEvaluationAtTheHighestAccuracy() {
    AccuracyPeak peak = AccuracyPeak.of(curve(0.10, 0.35, 0.62, 0.62, 0.40, 0.11)).orElseThrow();
    assertThat(peak.peak().iteration()).isEqualTo(29);
    assertThat(peak.peak().rate()).isEqualTo(1e-4 * Math.pow(10, 2.9));
    assertThat(peak.ties()).isEqualTo(2);
    assertThat(peak.rose()).isTrue();
    assertThat(peak.describe()).isEqualTo("observation, not a bound: test accuracy peaked at 62.0% at lr 0.079 "
        + "(iteration 29, the first of 2 evaluations at that accuracy; 10.0% at the first of 6 evaluations)");
  }

  @Test
  void anAccuracyThatNeverRoseSaysSoAndNoEvaluationsGiveNoPeak() {
    AccuracyPeak flat = AccuracyPeak.of(curve(0.10, 0.10, 0.05)).orElseThrow();
    assertThat(flat.rose()).isFalse();
    assertThat(flat.describe()).isEqualTo("observation, not a bound: test accuracy never rose above its first "
        + "evaluation, 10.0% at lr 0.00079 (3 evaluations)");
    assertThat(AccuracyPeak.of(curve())).isEmpty();
  }

  @Test
  void evaluationsOutOfOrderOrPastTheCurveAreRefused() {
    double[] two = {1e-3, 1e-2};
    assertThatThrownBy(() -> new RangeCurve(two, two, two, "",
        List.of(new RangeCurve.Accuracy(1, 1e-2, 0.5, 1, 10), new RangeCurve.Accuracy(0, 1e-3, 0.5, 1, 10))))
        .hasMessageContaining("iteration 0 is out of order");
    assertThatThrownBy(() -> new RangeCurve(two, two, two, "", List.of(new RangeCurve.Accuracy(2, 1, 0.5, 1, 10))))
        .hasMessageContaining("past the 2 iterations");
  }
}
