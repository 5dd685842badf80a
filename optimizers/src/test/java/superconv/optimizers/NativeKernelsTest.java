package superconv.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.DeviceSpec;
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
 * The fused AdaSecant and Simple AdaSecant (with and without momentum) kernels against the same updates built from
 * TensorFlow ops: the parameters, every state variable and the diagnostics after every step, on gradients chosen to
 * reach every branch (first step, a = 0 that makes a rate 0/0, outliers that reset tau or pass the threshold, a
 * skipped step). The ops paths themselves are held to the double-precision reference by OptimizerGraphTest, which
 * runs whichever path training uses.
 */
class NativeKernelsTest {

  /** An optimizer under test, built with its fused kernel or with TensorFlow ops. */
  private enum Kind {
    ADASECANT(true) {
      @Override
      SuperconvOptimizer create(Ops tf, boolean fused) {
        AdaSecantOptimizer optimizer = new AdaSecantOptimizer(tf, "adasecant", tf.constant(0.0f), fused);
        assertThat(optimizer.fused()).isEqualTo(fused);
        return optimizer;
      }
    },
    SIMPLE_ADASECANT(false) {
      @Override
      SuperconvOptimizer create(Ops tf, boolean fused) {
        SimpleAdaSecantOptimizer optimizer =
            new SimpleAdaSecantOptimizer(tf, "simple_adasecant", tf.constant(0.0f), 3.0, 0.0, fused);
        assertThat(optimizer.fused()).isEqualTo(fused);
        return optimizer;
      }
    },
    SIMPLE_ADASECANT_MOMENTUM(false) {
      @Override
      SuperconvOptimizer create(Ops tf, boolean fused) {
        SimpleAdaSecantOptimizer optimizer =
            new SimpleAdaSecantOptimizer(tf, "simple_adasecant", tf.constant(0.0f), 3.0, 0.9, fused);
        assertThat(optimizer.fused()).isEqualTo(fused);
        return optimizer;
      }
    };

    final boolean nextBatch;

    Kind(boolean nextBatch) {
      this.nextBatch = nextBatch;
    }

    abstract SuperconvOptimizer create(Ops tf, boolean fused);
  }

  /** Small shapes, and one of several kernel blocks (512 elements) with a partial last block. */
  private static final Shape[] SHAPES = {Shape.of(5, 7), Shape.of(3), Shape.of(2, 1, 3, 4), Shape.of(37, 31)};
  private static final int STEPS = 14;
  /** The steps fed apply = false (loss-scaled steps whose gradients overflowed): the very first, and a later one. */
  private static final List<Integer> SKIPPED = List.of(0, 9);
  private static final DeviceSpec CPU = DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.CPU).build();

  @Test
  void theKernelIsBuiltAndLoadsWhereACompilerWas() {
    assumeTrue(Boolean.getBoolean("superconv.nativeKernelsBuilt"), "built without the native-kernels profile");
    assumeTrue(!"off".equalsIgnoreCase(System.getenv("SUPERCONV_NATIVE_KERNELS")), "SUPERCONV_NATIVE_KERNELS=off");
    assertThat(NativeKernels.loaded()).as(NativeKernels.status()).isTrue();
  }

  /** Without an explicit CPU device the variables may live on a GPU: the optimizers then build the ops. */
  @Test
  void onlyAnExplicitCpuDeviceGetsTheKernels() {
    assumeTrue(NativeKernels.loaded(), NativeKernels.status());
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      assertThat(new AdaSecantOptimizer(tf, "a", tf.constant(0.0f)).fused()).isFalse();
      assertThat(new AdaSecantOptimizer(tf.withDevice(CPU), "b", tf.constant(0.0f)).fused()).isTrue();
      Ops gpu = tf.withDevice(DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.GPU).build());
      assertThat(new SimpleAdaSecantOptimizer(gpu, "c", tf.constant(0.0f), 3.0).fused()).isFalse();
    }
  }

  /**
   * A rate of +-inf (here: E[Delta^2] overflowed to inf) is set to 0 like NaN, in both paths: the weight stays.
   */
  @Test
  @SuppressWarnings("unchecked") // the step counter, last of the state, is a float64 scalar
  void infiniteRatesBecomeZero() {
    assumeTrue(NativeKernels.loaded(), NativeKernels.status());
    for (boolean fused : new boolean[] {false, true}) {
      try (Graph graph = new Graph()) {
        Ops tf = Ops.create(graph).withDevice(CPU);
        Variable<TFloat64> w = tf.withName("w").variable(tf.constant(new double[] {1.0, 1.0}));
        AdaSecantOptimizer optimizer = new AdaSecantOptimizer(tf, "adasecant", tf.constant(0.0f), fused);
        Op train = optimizer.applyGradients(List.of(new GradAndVar<>(tf.constant(new double[] {0.5, 0.5}).asOutput(),
            w.asOutput())), List.of(tf.constant(new double[] {0.4, 0.4}).asOutput()), "train");
        List<Variable<?>> state = optimizer.stateVariables();
        try (Session session = new Session(graph)) {
          session.initialize();
          session.runner()
              .addTarget(assign(tf, optimizer, w, "tau", 2.0, 2.0))
              .addTarget(assign(tf, optimizer, w, "mean_delta2", Double.POSITIVE_INFINITY, 1.0))
              .addTarget(assign(tf, optimizer, w, "mean_a2", 1.0, 1.0))
              .addTarget(assign(tf, optimizer, w, "previous_update", -1.0, -1.0))
              .addTarget(tf.assign((Variable<TFloat64>) state.get(state.size() - 1), tf.constant(1.0)))  // step 1
              .run();
          double rateMean;
          try (Result r = session.runner().addTarget(train).fetch(optimizer.rateMean().orElseThrow()).run()) {
            rateMean = ((TFloat64) r.get(0)).getDouble();
          }
          double[] weights = values(session, w);
          assertThat(rateMean).as("fused = %s: rate mean", fused).isFinite();
          assertThat(weights[0]).as("fused = %s: the weight with an infinite rate", fused).isEqualTo(1.0);
          assertThat(weights[1]).as("fused = %s: the other weight moves", fused).isNotEqualTo(1.0);
        }
      }
    }
  }

  private static Op assign(Ops tf, SuperconvOptimizer optimizer, Variable<TFloat64> w, String slot, double... values) {
    return tf.assign(optimizer.slotOf(w.asOutput(), slot), tf.constant(values));
  }

  /** float64: the paths agree to 1e-10 (rounding, amplified by the ratios over 14 steps). */
  @Test
  void float64MatchesTheOpsToRounding() {
    assumeTrue(NativeKernels.loaded(), NativeKernels.status());
    List<double[][]> gradients = gradients();
    for (Kind kind : Kind.values()) {
      List<double[][]> ops = run(kind, TFloat64.class, false, gradients);
      List<double[][]> fused = run(kind, TFloat64.class, true, gradients);
      assertClose(fused, ops, 1e-10, kind + " float64 fused vs ops");
      for (List<double[][]> path : List.of(ops, fused)) {
        for (int skipped : SKIPPED) {
          double[][] before = path.get(skipped);
          double[][] after = path.get(skipped + 1);
          for (int t = 0; t < before.length - 1; t++) {
            assertThat(after[t]).as("%s: skipped step %d changed tensor %d", kind, skipped, t)
                .containsExactly(before[t]);
          }
        }
      }
      assertThat(ops.get(STEPS)[0]).as(kind + ": the steps moved the weights").isNotEqualTo(ops.get(0)[0]);
    }
  }

  /**
   * In float32 the two paths round differently (grappler rewrites the ops: Reciprocal, Square, ...) and the
   * optimizers' ratios amplify rounding on these adversarial gradients (outliers of 50 sigma); the fused path stays
   * as close to the float64 result as the ops path does.
   */
  @Test
  void float32IsAsAccurateAsTheOps() {
    assumeTrue(NativeKernels.loaded(), NativeKernels.status());
    List<double[][]> gradients = gradients();
    for (Kind kind : Kind.values()) {
      List<double[][]> truth = run(kind, TFloat64.class, false, gradients);
      double ops = worstError(run(kind, TFloat32.class, false, gradients), truth);
      double fused = worstError(run(kind, TFloat32.class, true, gradients), truth);
      assertThat(ops).as(kind + " float32 ops vs float64").isLessThan(0.05);
      assertThat(fused).as(kind + " float32 fused vs float64 (ops: %s)", ops).isLessThanOrEqualTo(2 * ops + 1e-6);
    }
  }

  /** The largest difference over every step, tensor and element, relative to max(1, |expected|). */
  private static double worstError(List<double[][]> actual, List<double[][]> expected) {
    double worst = 0;
    for (int step = 0; step <= STEPS; step++) {
      for (int t = 0; t < expected.get(step).length; t++) {
        for (int i = 0; i < expected.get(step)[t].length; i++) {
          double e = expected.get(step)[t][i];
          worst = Math.max(worst, Math.abs(actual.get(step)[t][i] - e) / Math.max(1.0, Math.abs(e)));
        }
      }
    }
    return worst;
  }

  private static void assertClose(List<double[][]> actual, List<double[][]> expected, double relative, String what) {
    for (int step = 0; step <= STEPS; step++) {
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
   * Runs the steps and returns, before the first and after each, every tensor flattened: the parameters, every state
   * variable (in stateVariables() order), then update norm, rate norm and rate mean (0 before the first step).
   */
  private static <T extends TFloating> List<double[][]> run(Kind kind, Class<T> type, boolean fused,
      List<double[][]> gradients) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph).withDevice(CPU);
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
      SuperconvOptimizer optimizer = kind.create(tf, fused);
      optimizer.applyOnlyIf(apply);
      Op train = optimizer.applyGradients(pairs, kind.nextBatch ? next : null, "train");
      List<Operand<?>> fetched = new ArrayList<>(variables);
      fetched.addAll(optimizer.stateVariables());
      List<double[][]> out = new ArrayList<>();
      try (Session session = new Session(graph)) {
        session.initialize();
        out.add(snapshot(session, fetched, new double[3]));
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
            feeds.add(TBool.scalarOf(!SKIPPED.contains(step)));
            runner.feed(apply, feeds.get(feeds.size() - 1));
            double[] diagnostics = new double[3];
            try (Result r = runner.run()) {
              for (int k = 0; k < 3; k++) {
                diagnostics[k] = ((TFloat64) r.get(k)).getDouble();
              }
            }
            out.add(snapshot(session, fetched, diagnostics));
          } finally {
            feeds.forEach(Tensor::close);
          }
        }
      }
      return out;
    }
  }

  private static double[][] snapshot(Session session, List<Operand<?>> fetched, double[] diagnostics) {
    double[][] values = new double[fetched.size() + 1][];
    for (int t = 0; t < fetched.size(); t++) {
      values[t] = values(session, fetched.get(t));
    }
    values[fetched.size()] = diagnostics;
    return values;
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
