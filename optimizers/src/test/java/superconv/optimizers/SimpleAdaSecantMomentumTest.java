package superconv.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.framework.optimizers.Optimizer.GradAndVar;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat64;

/**
 * Simple AdaSecant's heavy-ball momentum in float64 against {@link Reference.SimpleAdaSecant}, on fed gradients that
 * reach every branch of the rate (a = 0, the threshold, g = 0), through the TensorFlow ops and, where the native
 * kernels are loaded, the fused kernel; and momentum = 0 as the update it was before momentum existed.
 */
class SimpleAdaSecantMomentumTest {

  private static final int N = 40;
  private static final int STEPS = 12;
  private static final double THRESHOLD = 3.0;
  private static final DeviceSpec CPU = DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.CPU).build();

  /** Per step: the gradient, with zeros, repeats of the last one (a = 0) and large values mixed in. */
  private static List<double[]> gradients() {
    Random random = new Random(11);
    List<double[]> steps = new ArrayList<>();
    double[] previous = null;
    for (int step = 0; step < STEPS; step++) {
      double[] g = new double[N];
      for (int i = 0; i < N; i++) {
        double r = random.nextDouble();
        g[i] = r < 0.1 ? 0.0 : r < 0.2 && previous != null ? previous[i] : r < 0.25 ? 20 * random.nextGaussian()
            : random.nextGaussian();
      }
      steps.add(g);
      previous = g;
    }
    return steps;
  }

  /** After each step: the weights, then update norm, rate norm and rate mean. */
  private static List<double[]> run(double momentum, boolean fused, List<double[]> gradients) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph).withDevice(CPU);
      double[] initial = new double[N];
      Variable<TFloat64> w = tf.withName("w").variable(tf.constant(initial));
      Placeholder<TFloat64> g = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(N)));
      SimpleAdaSecantOptimizer optimizer =
          new SimpleAdaSecantOptimizer(tf, "simple_adasecant", tf.constant(0.0f), THRESHOLD, momentum, fused);
      assertThat(optimizer.fused()).isEqualTo(fused);
      Op train = optimizer.applyGradients(List.of(new GradAndVar<>(g.asOutput(), w.asOutput())), null, "train");
      // The same state with and without momentum: checkpoints of runs without it stay loadable.
      assertThat(optimizer.stateVariables()).hasSize(3);
      List<double[]> out = new ArrayList<>();
      try (Session session = new Session(graph)) {
        session.initialize();
        for (double[] step : gradients) {
          try (TFloat64 fed = TFloat64.vectorOf(step);
              Result r = session.runner().addTarget(train).feed(g, fed).fetch(optimizer.updateNorm())
                  .fetch(optimizer.rateNorm().orElseThrow()).fetch(optimizer.rateMean().orElseThrow()).run();
              Result weights = session.runner().fetch(w).run()) {
            double[] row = new double[N + 3];
            TFloat64 values = (TFloat64) weights.get(0);
            for (int i = 0; i < N; i++) {
              row[i] = values.getDouble(i);
            }
            for (int k = 0; k < 3; k++) {
              row[N + k] = ((TFloat64) r.get(k)).getDouble();
            }
            out.add(row);
          }
        }
      }
      return out;
    }
  }

  /** The reference's rows, as {@link #run}; counts the elements each branch of the rate took. */
  private static List<double[]> reference(double momentum, List<double[]> gradients, int[] branches) {
    Reference.SimpleAdaSecant ref = new Reference.SimpleAdaSecant(THRESHOLD, momentum);
    double[] w = new double[N];
    double[] gPrevious = new double[N];
    double[] deltaPrevious = null;
    List<double[]> out = new ArrayList<>();
    for (double[] g : gradients) {
      double[] delta = ref.step(w, g, null, 0, Double.NaN);
      double[] row = new double[N + 3];
      System.arraycopy(w, 0, row, 0, N);
      double updates = 0;
      double rates = 0;
      double sum = 0;
      for (int i = 0; i < N; i++) {
        updates += delta[i] * delta[i];
        rates += ref.rates()[i] * ref.rates()[i];
        sum += ref.rates()[i];
        double a = g[i] - gPrevious[i];
        if (a == 0) {
          branches[0]++;
        } else if (Math.abs((deltaPrevious == null ? -g[i] : deltaPrevious[i]) / a) >= THRESHOLD) {
          branches[1]++;
        }
      }
      row[N] = Math.sqrt(updates);
      row[N + 1] = Math.sqrt(rates);
      row[N + 2] = sum / N;
      out.add(row);
      gPrevious = g.clone();
      deltaPrevious = delta;
    }
    return out;
  }

  private static void assertClose(List<double[]> actual, List<double[]> expected, double relative, String what) {
    for (int step = 0; step < STEPS; step++) {
      for (int i = 0; i < N + 3; i++) {
        double e = expected.get(step)[i];
        double a = actual.get(step)[i];
        assertThat(Math.abs(a - e)).as("%s, step %d, value %d: %s vs %s", what, step, i, a, e)
            .isLessThanOrEqualTo(relative * Math.max(1.0, Math.abs(e)));
      }
    }
  }

  @Test
  void momentumFollowsTheReferenceThroughEveryBranch() {
    List<double[]> gradients = gradients();
    int[] branches = new int[2];
    List<double[]> expected = reference(0.9, gradients, branches);
    assertThat(branches[0]).as("elements with a = 0").isGreaterThan(10);
    assertThat(branches[1]).as("elements whose rate passed the threshold").isGreaterThan(10);
    assertClose(run(0.9, false, gradients), expected, 1e-9, "ops");
    if (NativeKernels.loaded()) {
      assertClose(run(0.9, true, gradients), expected, 1e-9, "fused");
    }
    // Momentum carries a weight whose rate is 0 this step: the ball keeps rolling.
    assertThat(expected.get(STEPS - 1)).isNotEqualTo(reference(0.0, gradients, new int[2]).get(STEPS - 1));
  }

  /** The weights without momentum are bit for bit those of the thesis's update, whichever path computes them. */
  @Test
  void withoutMomentumTheUpdateIsTheThesisUpdateExactly() {
    List<double[]> gradients = gradients();
    List<double[]> expected = reference(0.0, gradients, new int[2]);
    List<List<double[]>> paths = new ArrayList<>(List.of(run(0.0, false, gradients)));
    if (NativeKernels.loaded()) {
      paths.add(run(0.0, true, gradients));
    }
    for (List<double[]> path : paths) {
      for (int step = 0; step < STEPS; step++) {
        for (int i = 0; i < N; i++) {
          assertThat(path.get(step)[i]).as("step %d, w%d", step, i).isEqualTo(expected.get(step)[i]);
        }
      }
    }
  }

  @Test
  void momentumIsReadCheckedAndWrittenOnlyWhereSet() {
    assertThat(Optimizers.fromTable(Map.of("type", "simple-adasecant", "threshold", 10, "momentum", 0.9)))
        .isEqualTo(new SimpleAdaSecantOptimizer.Spec(10, 0.9));
    assertThat(Optimizers.fromTable(Map.of("type", "simple-adasecant", "threshold", 10, "momentum", 0.9)).toTable())
        .isEqualTo(Map.of("type", "simple-adasecant", "threshold", 10.0, "momentum", 0.9));
    assertThat(Optimizers.fromTable(Map.of("type", "simple-adasecant", "momentum", 0)).toTable())
        .isEqualTo(Map.of("type", "simple-adasecant", "threshold", Double.POSITIVE_INFINITY));
    for (double momentum : new double[] {1.0, -0.1, 1.5}) {
      assertThatThrownBy(() -> Optimizers.fromTable(Map.of("type", "simple-adasecant", "momentum", momentum)))
          .hasMessage("optimizer: momentum = " + momentum + " is not allowed: expected a number in [0, 1)");
    }
    assertThatThrownBy(() -> Optimizers.fromTable(Map.of("type", "simple-adasecant", "beta", 0.9)))
        .hasMessage("optimizer: unknown key 'beta'; valid keys: momentum, threshold, type");
  }
}
