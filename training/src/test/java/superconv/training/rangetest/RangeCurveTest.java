package superconv.training.rangetest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** fast.ai's smoothing and stop rule. */
class RangeCurveTest {

  @Test
  void smoothingIsTheBiasCorrectedMovingAverage() {
    double[] rates = {1, 2, 3};
    RangeCurve constant = RangeCurve.of(rates, new double[] {2.5, 2.5, 2.5});
    assertThat(constant.smoothed()).containsExactly(new double[] {2.5, 2.5, 2.5}, within(1e-12));
    RangeCurve two = RangeCurve.of(rates, new double[] {1, 2, 2});
    // (0.98 * 0.02 * 1 + 0.02 * 2) / (1 - 0.98^2)
    assertThat(two.smoothed()[1]).isCloseTo((0.98 * 0.02 + 0.04) / (1 - 0.98 * 0.98), within(1e-12));
    assertThat(two.stop()).isEmpty();
  }

  @Test
  void theCurveStopsOnceTheSmoothedLossExceedsFourTimesItsMinimumOrAtANonFiniteLoss() {
    double[] rates = new double[30];
    double[] losses = new double[30];
    Arrays.fill(losses, 1.0);
    losses[10] = 1000;
    RangeCurve exploded = RangeCurve.of(rates, losses);
    assertThat(exploded.size()).isEqualTo(11);
    assertThat(exploded.stop()).contains("exceeded 4x its minimum").contains("iteration 10");

    losses[10] = 1.5;
    losses[12] = Double.NaN;
    RangeCurve nan = RangeCurve.of(rates, losses);
    assertThat(nan.size()).isEqualTo(12);
    assertThat(nan.stop()).isEqualTo("loss not finite at iteration 12");
  }
}
