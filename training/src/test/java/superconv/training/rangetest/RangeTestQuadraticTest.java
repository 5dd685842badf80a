package superconv.training.rangetest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import superconv.optimizers.Optimizers;
import superconv.optimizers.RangeTestSchedule;
import superconv.optimizers.Trace;
import superconv.optimizers.TraceProblem;

/**
 * The range test where the answer is known: gradient descent on a quadratic of curvature L converges for rates
 * below 2 / L and diverges above. Least squares of one weight, loss(w) = sum((2 w - y)^2) / 4 over y = 2.2, 1.8:
 * curvature L = 4, so 2 / L = 0.5; the targets disagree, so the loss has a floor (0.02) and does not fall to 0,
 * from where a diverging w would take far longer to show than a real loss does.
 */
class RangeTestQuadraticTest {

  @Test
  void suggestedMaxLiesBelowTwoOverLAndWithinFourTimesOfIt() {
    double l = 4;
    TraceProblem.Data problem = new TraceProblem.Data(new double[][] {{2}, {2}}, new double[] {2.2, 1.8}, 2);
    // fast.ai's default sweep length; the rates of the brief's default range.
    RangeTestSchedule schedule = new RangeTestSchedule(1e-5, 10, 100, RangeTestSchedule.Mode.EXPONENTIAL);
    List<Trace.Row> rows = Trace.run(problem, Optimizers.fromTable(Map.of("type", "sgd")), schedule, 100,
        Trace.DType.FLOAT64);
    RangeCurve curve = RangeCurve.of(rows.stream().mapToDouble(Trace.Row::lr).toArray(),
        rows.stream().mapToDouble(Trace.Row::loss).toArray());
    assertThat(curve.stop()).as("the loss explodes above 2 / L").contains("exceeded 4x");
    assertThat(curve.rates()[curve.size() - 1]).isGreaterThan(2 / l);

    Bounds bounds = Bounds.of(curve).orElseThrow();
    assertThat(bounds.max().rate()).isLessThan(2 / l).isGreaterThan(2 / l / 4);
    assertThat(bounds.min().rate()).isLessThan(bounds.max().rate());
  }
}
