package superconv.optimizers;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Set;
import java.util.List;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/**
 * Runs an optimizer on a {@link TraceProblem} exactly as a training run drives it: the same {@link OptimizerSpec}
 * builds the same {@link SuperconvOptimizer} subclass into a graph, and every step feeds the schedule's rate (and
 * momentum) into placeholders and runs the phase's train op.
 */
public final class Trace {

  /**
   * One step: the rate fed, the batch loss before the update, the weights after it, and the step's diagnostics
   * (rate norm and mean NaN for optimizers that do not calculate rates).
   */
  public record Row(long step, double lr, double loss, double[] weights, double updateNorm, double rateNorm,
      double rateMean) {}

  /** The tensor types a trace can run in. */
  public enum DType {
    FLOAT32(TFloat32.class),
    FLOAT64(TFloat64.class);

    final Class<? extends TFloating> type;

    DType(Class<? extends TFloating> type) {
      this.type = type;
    }
  }

  private Trace() {}

  /** Runs {@code steps} steps; lengths of the schedule are in iterations (one iteration per epoch). */
  public static List<Row> run(TraceProblem problem, OptimizerSpec spec, Schedule schedule, long steps, DType dtype) {
    if (steps <= 0) {
      throw new IllegalArgumentException("--steps " + steps + " is not allowed: expected a number > 0");
    }
    return run(problem, spec, schedule, steps, dtype.type);
  }

  private static <T extends TFloating> List<Row> run(TraceProblem problem, OptimizerSpec spec, Schedule schedule,
      long steps, Class<T> type) {
    try (Graph graph = new Graph()) {
      // A handful of parameters: the CPU is the place for them, and the optimizers' native kernels run there.
      Ops tf = Ops.create(graph).withDevice(DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.CPU).build());
      int d = problem.dimensions();
      Variable<T> w = tf.withName("w").variable(tf.dtypes.cast(tf.constant(problem.start()), type));
      Placeholder<T> x = null;
      Placeholder<T> y = null;
      Placeholder<T> xNext = null;
      Placeholder<T> yNext = null;
      Operand<T> loss;
      Operand<T> nextLoss = null;
      if (problem instanceof TraceProblem.Data data) {
        Shape xs = Shape.of(data.batch(), d);
        Shape ys = Shape.of(data.batch());
        x = tf.withName("x").placeholder(type, Placeholder.shape(xs));
        y = tf.withName("y").placeholder(type, Placeholder.shape(ys));
        loss = leastSquares(tf, w, x, y, data.batch(), type);
        if (spec.needsNextBatch()) {
          xNext = tf.withName("x_next").placeholder(type, Placeholder.shape(xs));
          yNext = tf.withName("y_next").placeholder(type, Placeholder.shape(ys));
          nextLoss = leastSquares(tf, w, xNext, yNext, data.batch(), type);
        }
      } else {
        TraceProblem.Function f = (TraceProblem.Function) problem;
        Operand<T> w1 = tf.reduceSum(tf.math.mul(w, tf.dtypes.cast(tf.constant(new double[] {1, 0}), type)), tf.constant(0));
        Operand<T> w2 = tf.reduceSum(tf.math.mul(w, tf.dtypes.cast(tf.constant(new double[] {0, 1}), type)), tf.constant(0));
        loss = f.kind().graph(tf, w1, w2, type);
        nextLoss = spec.needsNextBatch() ? loss : null;
      }
      ScheduledStep step =
          ScheduledStep.build(tf, spec, schedule, List.of(w), loss, nextLoss, TFloat64.class, null, List.of());
      Set<ScheduledStep.Fetch> fetch = EnumSet.of(ScheduledStep.Fetch.LOSS, ScheduledStep.Fetch.UPDATE_NORM,
          ScheduledStep.Fetch.RATE_NORM, ScheduledStep.Fetch.RATE_MEAN);

      List<Row> rows = new ArrayList<>();
      try (Session session = new Session(graph)) {
        session.initialize();
        for (long j = 0; j < steps; j++) {
          List<Tensor> fed = new ArrayList<>();
          try {
            Session.Runner runner = session.runner();
            if (problem instanceof TraceProblem.Data data) {
              int k = (int) (j % data.batches());
              feedBatch(runner, fed, data, k, x, y, type);
              if (xNext != null) {
                feedBatch(runner, fed, data, (k + 1) % data.batches(), xNext, yNext, type);
              }
            }
            // One iteration per epoch: a switching optimizer's phases count iterations here.
            ScheduledStep.Values values = step.run(runner, j, j, fetch);
            double[] weights;
            try (Result result = session.runner().fetch(w).run()) {
              weights = vector(result.get(0), d);
            }
            rows.add(new Row(j, schedule.rate(j), values.loss(), weights, values.updateNorm(), values.rateNorm(),
                values.rateMean()));
          } finally {
            fed.forEach(Tensor::close);
          }
        }
      }
      return rows;
    }
  }

  private static <T extends TFloating> Operand<T> leastSquares(Ops tf, Operand<T> w, Operand<T> x, Operand<T> y,
      int batch, Class<T> type) {
    Operand<T> prediction = tf.reduceSum(tf.math.mul(x, w), tf.constant(1));
    Operand<T> residual = tf.math.sub(prediction, y);
    return tf.math.div(tf.reduceSum(tf.math.square(residual), tf.constant(0)),
        tf.dtypes.cast(tf.constant(2.0 * batch), type));
  }

  private static <T extends TFloating> void feedBatch(Session.Runner runner, List<Tensor> fed, TraceProblem.Data data,
      int k, Placeholder<T> x, Placeholder<T> y, Class<T> type) {
    int b = data.batch();
    int d = data.dimensions();
    double[] xs = new double[b * d];
    double[] ys = new double[b];
    for (int i = 0; i < b; i++) {
      System.arraycopy(data.x()[k * b + i], 0, xs, i * d, d);
      ys[i] = data.y()[k * b + i];
    }
    Tensor xt = tensor(type, Shape.of(b, d), xs);
    fed.add(xt);
    Tensor yt = tensor(type, Shape.of(b), ys);
    fed.add(yt);
    runner.feed(x, xt).feed(y, yt);
  }

  private static Tensor tensor(Class<? extends TFloating> type, Shape shape, double[] values) {
    if (type == TFloat64.class) {
      return TFloat64.tensorOf(shape, DataBuffers.of(values, true, false));
    }
    float[] f = new float[values.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) values[i];
    }
    return TFloat32.tensorOf(shape, DataBuffers.of(f, true, false));
  }

  private static double scalar(Tensor t) {
    if (t instanceof TFloat64 d) {
      return d.getDouble();
    }
    return ((TFloat32) t).getFloat();
  }

  private static double[] vector(Tensor t, int d) {
    double[] out = new double[d];
    for (int i = 0; i < d; i++) {
      out[i] = t instanceof TFloat64 v ? v.getDouble(i) : ((TFloat32) t).getFloat(i);
    }
    return out;
  }
}
