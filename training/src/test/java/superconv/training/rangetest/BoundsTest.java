package superconv.training.rangetest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The suggestion rules as pure functions of a smoothed curve whose answers are known in closed form. */
class BoundsTest {

  /** 101 rates from 1e-4 to 1, a decade per 25 points: index i has log10 rate -4 + i / 25. */
  private static double[] rates() {
    double[] r = new double[101];
    for (int i = 0; i < r.length; i++) {
      r[i] = Math.pow(10, -4 + i / 25.0);
    }
    return r;
  }

  /** A tanh step down around 1e-2 (steepest there), lowest at 0.1 (i = 75), then rising steeply. */
  private static RangeCurve tanhValley() {
    double[] r = rates();
    double[] s = new double[r.length];
    for (int i = 0; i < r.length; i++) {
      double x = Math.log10(r[i]);
      s[i] = i <= 75 ? 1.25 - 0.75 * Math.tanh(3 * (x + 2)) : 1.25 - 0.75 * Math.tanh(3) + 0.2 * (i - 75);
    }
    return new RangeCurve(r, s, s, "");
  }

  @Test
  void smithMinIsWhereTheDropCoversItsFractionAndMaxIsTheMinimumOverTen() {
    RangeCurve curve = tanhValley();
    Bounds b = Bounds.of(curve).orElseThrow();
    double[] s = curve.smoothed();
    // 10% of the way down: tanh(3 (x + 2)) = (1.25 - threshold) / 0.75, solved for x.
    double threshold = s[0] - 0.1 * (s[0] - s[75]);
    double t = (1.25 - threshold) / 0.75;
    double x = 0.5 * Math.log((1 + t) / (1 - t)) / 3 - 2;
    int first = (int) Math.ceil((x + 4) * 25);
    assertThat(b.min().index()).isEqualTo(first).isEqualTo(41);
    assertThat(b.min().rate()).isEqualTo(curve.rates()[41]);
    assertThat(b.max().index()).isEqualTo(75);
    assertThat(b.max().rate()).isCloseTo(0.01, within(1e-15));
    assertThat(b.min().rule()).contains("10% of the way");
    assertThat(b.max().rule()).contains("/ 10");
  }

  @Test
  void steepestIsTheInflexionAndValleyFollowsFastAisArithmetic() {
    Bounds b = Bounds.of(tanhValley()).orElseThrow();
    // d/dx tanh(3 (x + 2)) peaks at x = -2 (index 50); the pairs (49, 50) and (50, 51) tie up to rounding.
    assertThat(b.steepest().index()).isIn(49, 50);
    // fast.ai over [10, 96): the longest decreasing run is 10..75 (66 points, so max_start = 65 - 66 = -1, as
    // fast.ai computes it); sections = 22; index = 10 + (-1 + 22 + 11).
    assertThat(b.valley().index()).isEqualTo(42);
  }

  @Test
  void aCurveThatBarelyFallsTakesMinAsMaxOverFour() {
    double[] r = rates();
    double[] s = new double[r.length];
    for (int i = 0; i < r.length; i++) {
      // Flat, then 1% down over indices 55-60 (rate 10^-1.6), then up: the 10% point (index 56, rate 10^-1.76)
      // lies above max = 10^-1.6 / 10.
      s[i] = i <= 55 ? 2.0 : i <= 60 ? 2.0 - 0.004 * (i - 55) : 1.98 + 0.1 * (i - 60);
    }
    Bounds b = Bounds.of(new RangeCurve(r, s, s, "")).orElseThrow();
    assertThat(b.max().rate()).isCloseTo(r[60] / 10, within(1e-15));
    assertThat(b.min().rate()).isCloseTo(r[60] / 40, within(1e-15));
    assertThat(b.min().rule()).contains("rule of thumb, max / 4");
  }

  @Test
  void aCurveThatNeverFallsHasNoBounds() {
    double[] r = rates();
    double[] rising = new double[r.length];
    for (int i = 0; i < r.length; i++) {
      rising[i] = 1 + i;
    }
    assertThat(Bounds.of(new RangeCurve(r, rising, rising, ""))).isEmpty();
    assertThat(Bounds.of(new RangeCurve(new double[] {1, 2}, new double[] {2, 1}, new double[] {2, 1}, "")))
        .isEmpty();
  }

  @Test
  void theTriangularLineIsRoundedToTwoSignificantDigitsAndPastes() {
    Bounds b = Bounds.of(tanhValley()).orElseThrow();
    assertThat(b.triangular(25)).isEqualTo(
        "schedule = { type = \"triangular\", min = " + Bounds.round(tanhValley().rates()[41])
            + ", max = 0.01, cycle_epochs = 25 }");
    assertThat(Bounds.round(0.0012345)).isEqualTo("0.0012");
    assertThat(Bounds.round(3.456e-5)).isEqualTo("0.000035");
    assertThat(Bounds.round(12.3)).isEqualTo("12");
  }
}
