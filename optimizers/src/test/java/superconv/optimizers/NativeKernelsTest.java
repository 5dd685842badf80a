package superconv.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.framework.optimizers.Optimizer.GradAndVar;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/**
 * The fused AdaSecant and Simple AdaSecant kernels against the same updates built from TensorFlow ops: the
 * parameters, every state variable and the diagnostics after every step, on gradients chosen to reach every branch
 * (first step, a = 0 that makes a rate 0/0, outliers that reset tau or pass the threshold, a skipped step). The ops
 * paths themselves are held to the double-precision reference by OptimizerGraphTest, which runs whichever path
 * training uses.
 */
class NativeKernelsTest {

  /** An optimizer under test, built with its fused kernel or with TensorFlow ops. */
  private enum Kind {
    ADASECANT(true) {
      @Override
      FedRateOptimizer create(Ops tf, boolean fused) {
        AdaSecantOptimizer optimizer = new AdaSecantOptimizer(tf, "adasecant", tf.constant(0.0f), fused);
        assertThat(optimizer.fused()).isEqualTo(fused);
        return optimizer;
      }
    },
    SIMPLE_ADASECANT(false) {
      @Override
      FedRateOptimizer create(Ops tf, boolean fused) {
        SimpleAdaSecantOptimizer optimizer =
            new SimpleAdaSecantOptimizer(tf, "simple_adasecant", tf.constant(0.0f), 3.0, fused);
        assertThat(optimizer.fused()).isEqualTo(fused);
        return optimizer;
      }
    };

    final boolean nextBatch;

    Kind(boolean nextBatch) {
      this.nextBatch = nextBatch;
    }

    abstract FedRateOptimizer create(Ops tf, boolean fused);
  }

  private static final Shape[] SHAPES = {Shape.of(5, 7), Shape.of(3), Shape.of(2, 1, 3, 4)};
  private static final int STEPS = 14;
  /** The step fed apply = false (a loss-scaled step whose gradients overflowed). */
  private static final int SKIPPED = 9;

  @Test
  void theKernelIsBuiltAndLoadsWhereACompilerWas() {
    assumeTrue(Boolean.getBoolean("superconv.nativeKernelsBuilt"), "built without the native-kernels profile");
    assertThat(NativeKernels.loaded()).as(NativeKernels.status()).isTrue();
  }

  @Test
  void float64MatchesTheOpsToRounding() {
    assumeTrue(NativeKernels.loaded(), NativeKernels.status());
    List<double[][]> gradients = gradients();
    for (Kind kind : Kind.values()) {
      List<double[][]> ops = run(kind, TFloat64.class, false, gradients);
      List<double[][]> fused = run(kind, TFloat64.class, true, gradients);
      assertClose(fused, ops, 1e-12, kind + " float64 fused vs ops");
      for (List<double[][]> path : List.of(ops, fused)) {
        double[][] before = path.get(SKIPPED - 1);
        double[][] after = path.get(SKIPPED);
        for (int t = 0; t < before.length - 1; t++) {
          assertThat(after[t]).as("%s: the skipped step changed tensor %d", kind, t).containsExactly(before[t]);
        }
      }
      assertThat(ops.get(STEPS - 1)[0]).as(kind + ": the steps moved the weights").isNotEqualTo(ops.get(0)[0]);
    }
  }

  /**
   * In float32 the two paths round differently (grappler rewrites the ops: Reciprocal, Square, ...) and AdaSecant's
   * ratios amplify rounding; both stay as close to the float64 result as each other.
   */
  @Test
  void float32IsAsAccurateAsTheOps() {
    assumeTrue(NativeKernels.loaded(), NativeKernels.status());
    List<double[][]> gradients = gradients();
    for (Kind kind : Kind.values()) {
      List<double[][]> truth = run(kind, TFloat64.class, false, gradients);
      assertClose(run(kind, TFloat32.class, false, gradients), truth, 1e-4, kind + " float32 ops vs float64");
      assertClose(run(kind, TFloat32.class, true, gradients), truth, 1e-4, kind + " float32 fused vs float64");
    }
  }

  private static void assertClose(List<double[][]> actual, List<double[][]> expected, double relative, String what) {
    for (int step = 0; step < STEPS; step++) {
      for (int t = 0; t < expected.get(step).length; t++) {
        for (int i = 0; i < expected.get(step)[t].length; i++) {
          double e = expected.get(step)[t][i];
          double a = actual.get(step)[t][i];
          assertThat(Math.abs(a - e)).as("%s, step %d, tensor %d, element %d: %s vs %s", what, step, t, i, a, e)
              .isLessThanOrEqualTo(relative * Math.max(1.0, Math.abs(e)));
        }
      }
    }
  }

  /** Per step, per variable: g and g' (flattened), with zeros, repeats and outliers mixed in. */
  private static List<double[][]> gradients() {
    Random random = new Random(7);
    List<double[][]> steps = new ArrayList<>();
    double[][] previous = null;
    for (int step = 0; step < STEPS; step++) {
      double[][] g = new double[2 * SHAPES.length][];
      for (int v = 0; v < SHAPES.length; v++) {
        int n = (int) SHAPES[v].size();
        for (int which = 0; which < 2; which++) {
          double[] x = new double[n];
          for (int i = 0; i < n; i++) {
            double r = random.nextDouble();
            x[i] = r < 0.1 ? 0.0
                : r < 0.2 && previous != null ? previous[2 * v + which][i]   // a = 0: alpha is 0/0
                : r < 0.25 ? 50 * random.nextGaussian()                      // an outlier: tau resets
                : random.nextGaussian();
          }
          g[2 * v + which] = x;
        }
      }
      steps.add(g);
      previous = g;
    }
    return steps;
  }

  /**
   * Runs the steps and returns, after each, every tensor flattened: the parameters, every state variable (in
   * stateVariables() order), then update norm, rate norm and rate mean.
   */
  private static <T extends TFloating> List<double[][]> run(Kind kind, Class<T> type, boolean fused,
      List<double[][]> gradients) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      List<Variable<T>> variables = new ArrayList<>();
      List<Placeholder<T>> g = new ArrayList<>();
      List<Placeholder<T>> gNext = new ArrayList<>();
      List<GradAndVar<? extends org.tensorflow.types.family.TType>> pairs = new ArrayList<>();
      List<Output<?>> next = new ArrayList<>();
      Random init = new Random(3);
      for (int v = 0; v < SHAPES.length; v++) {
        Shape shape = SHAPES[v];
        double[] values = new double[(int) shape.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = init.nextGaussian();
        }
        Variable<T> variable = tf.withName("w" + v).variable(
            tf.dtypes.cast(tf.reshape(tf.constant(values), tf.constant(shape.asArray())), type));
        variables.add(variable);
        g.add(tf.placeholder(type, Placeholder.shape(shape)));
        gNext.add(tf.placeholder(type, Placeholder.shape(shape)));
        pairs.add(new GradAndVar<>(g.get(v).asOutput(), variable.asOutput()));
        next.add(gNext.get(v).asOutput());
      }
      Placeholder<TBool> apply = tf.placeholder(TBool.class, Placeholder.shape(Shape.scalar()));
      FedRateOptimizer optimizer = kind.create(tf, fused);
      optimizer.applyOnlyIf(apply);
      Op train = optimizer.applyGradients(pairs, kind.nextBatch ? next : null, "train");
      List<Operand<?>> fetched = new ArrayList<>(variables);
      fetched.addAll(optimizer.stateVariables());
      List<double[][]> out = new ArrayList<>();
      try (Session session = new Session(graph)) {
        session.initialize();
        for (int step = 0; step < STEPS; step++) {
          Session.Runner runner = session.runner().addTarget(train)
              .fetch(optimizer.updateNorm()).fetch(optimizer.rateNorm().orElseThrow())
              .fetch(optimizer.rateMean().orElseThrow());
          List<Tensor> feeds = new ArrayList<>();
          try {
            for (int v = 0; v < SHAPES.length; v++) {
              feeds.add(tensor(type, SHAPES[v], gradients.get(step)[2 * v]));
              feeds.add(tensor(type, SHAPES[v], gradients.get(step)[2 * v + 1]));
              runner.feed(g.get(v), feeds.get(feeds.size() - 2));
              if (kind.nextBatch) {
                runner.feed(gNext.get(v), feeds.get(feeds.size() - 1));
              }
            }
            feeds.add(TBool.scalarOf(step != SKIPPED));
            runner.feed(apply, feeds.get(feeds.size() - 1));
            double[] diagnostics = new double[3];
            try (Result r = runner.run()) {
              for (int k = 0; k < 3; k++) {
                diagnostics[k] = ((TFloat64) r.get(k)).getDouble();
              }
            }
            double[][] values = new double[fetched.size() + 1][];
            for (int t = 0; t < fetched.size(); t++) {
              values[t] = values(session, fetched.get(t));
            }
            values[fetched.size()] = diagnostics;
            out.add(values);
          } finally {
            feeds.forEach(Tensor::close);
          }
        }
      }
      return out;
    }
  }

  private static Tensor tensor(Class<? extends TFloating> type, Shape shape, double[] values) {
    if (type == TFloat64.class) {
      TFloat64 t = TFloat64.tensorOf(shape);
      for (int i = 0; i < values.length; i++) {
        t.setDouble(values[i], index(shape, i));
      }
      return t;
    }
    TFloat32 t = TFloat32.tensorOf(shape);
    for (int i = 0; i < values.length; i++) {
      t.setFloat((float) values[i], index(shape, i));
    }
    return t;
  }

  /** The coordinates of flat (row-major) index i. */
  private static long[] index(Shape shape, long i) {
    long[] coordinates = new long[shape.numDimensions()];
    for (int d = coordinates.length - 1; d >= 0; d--) {
      coordinates[d] = i % shape.get(d);
      i /= shape.get(d);
    }
    return coordinates;
  }

  private static double[] values(Session session, Operand<?> operand) {
    try (Result r = session.runner().fetch(operand).run()) {
      Tensor t = r.get(0);
      Shape shape = t.shape();
      double[] out = new double[(int) Math.max(1, shape.size())];
      for (int i = 0; i < out.length; i++) {
        long[] at = index(shape, i);
        out[i] = t instanceof TFloat64 d ? d.getDouble(at) : ((TFloat32) t).getFloat(at);
      }
      return out;
    }
  }
}
