package superconv.optimizers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat64;

/**
 * The state variables are the whole optimizer state: a run stopped after 4 steps and restored from the weights and
 * {@link TrainStep#stateVariables()} into a fresh graph continues bit for bit as the uninterrupted run.
 */
class ResumeTest {

  private static final int STEPS = 8;
  private static final int STOP = 4;

  /** One graph: w (a 2x2 matrix) and loss_c(w) = sum(c * w * w) + sum(w) with c fed per step. */
  private static final class Run implements AutoCloseable {
    final Graph graph = new Graph();
    final Session session;
    final Ops tf = Ops.create(graph);
    final Variable<TFloat64> w = tf.withName("w").variable(tf.constant(new double[][] {{1, -2}, {0.5, 3}}));
    final Placeholder<TFloat64> c = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(2, 2)));
    final Placeholder<TFloat64> cNext = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(2, 2)));
    final Placeholder<TFloat64> lr = tf.placeholder(TFloat64.class);
    final TrainStep step;
    final Schedule schedule;
    final List<Variable<?>> all = new ArrayList<>();

    Run(Map<String, Object> optimizer) {
      OptimizerSpec spec = Optimizers.fromTable(optimizer);
      step = spec.build(tf, List.of(w), loss(c), spec.needsNextBatch() ? loss(cNext) : null, lr, null);
      schedule = Optimizers.schedule(spec, spec.usesRate() && !(spec instanceof SwitchingSpec)
          ? Map.of("type", "triangular", "min", 0.01, "max", 0.1, "cycle_iterations", 5) : null,
          RunLength.ofIterations(STEPS));
      all.add(w);
      all.addAll(step.stateVariables());
      session = new Session(graph);
    }

    private Operand<TFloat64> loss(Operand<TFloat64> scale) {
      Operand<org.tensorflow.types.TInt64> flat = tf.constant(new long[] {-1});
      return tf.math.add(tf.reduceSum(tf.reshape(tf.math.mul(scale, tf.math.mul(w, w)), flat), tf.constant(0)),
          tf.reduceSum(tf.reshape(w, flat), tf.constant(0)));
    }

    static double[] batch(long j) {
      return new double[] {1 + (j % 3), 0.5, 2 - 0.25 * (j % 2), 1.5};
    }

    void steps(long from, long to) {
      for (long j = from; j < to; j++) {
        try (TFloat64 rate = TFloat64.scalarOf(schedule.rate(j));
            TFloat64 scale = TFloat64.tensorOf(Shape.of(2, 2), DataBuffers.of(batch(j), true, false));
            TFloat64 next = TFloat64.tensorOf(Shape.of(2, 2), DataBuffers.of(batch(j + 1), true, false))) {
          Session.Runner runner = session.runner().addTarget(step.phaseForEpoch(j).trainOp())
              .feed(lr, rate).feed(c, scale).feed(cNext, next);
          runner.run().close();
        }
      }
    }

    /** Every variable's value, flattened. */
    List<double[]> values() {
      List<double[]> out = new ArrayList<>();
      for (Variable<?> v : all) {
        try (Result r = session.runner().fetch(v).run()) {
          TFloat64 t = (TFloat64) r.get(0);
          double[] d = new double[(int) t.shape().size()];
          t.copyTo(DataBuffers.of(d, false, false));
          out.add(d);
        }
      }
      return out;
    }

    /** Assigns saved values to every variable, as a checkpoint restore does. */
    void restore(List<double[]> values) {
      List<Op> assigns = new ArrayList<>();
      List<Tensor> tensors = new ArrayList<>();
      Session.Runner runner = session.runner();
      for (int i = 0; i < all.size(); i++) {
        @SuppressWarnings("unchecked")
        Variable<TFloat64> v = (Variable<TFloat64>) all.get(i);
        Placeholder<TFloat64> p = tf.placeholder(TFloat64.class, Placeholder.shape(v.shape()));
        assigns.add(tf.assign(v, p));
        TFloat64 t = TFloat64.tensorOf(v.shape(), DataBuffers.of(values.get(i), true, false));
        tensors.add(t);
        runner.feed(p, t);
      }
      assigns.forEach(runner::addTarget);
      runner.run().close();
      tensors.forEach(Tensor::close);
    }

    @Override
    public void close() {
      session.close();
      graph.close();
    }
  }

  private static void resumesExactly(Map<String, Object> optimizer) {
    List<double[]> uninterrupted;
    try (Run run = new Run(optimizer)) {
      run.session.initialize();
      run.steps(0, STEPS);
      uninterrupted = run.values();
    }
    List<double[]> checkpoint;
    try (Run run = new Run(optimizer)) {
      run.session.initialize();
      run.steps(0, STOP);
      checkpoint = run.values();
    }
    try (Run run = new Run(optimizer)) {
      run.restore(checkpoint);
      run.steps(STOP, STEPS);
      List<double[]> resumed = run.values();
      for (int i = 0; i < resumed.size(); i++) {
        assertThat(resumed.get(i)).as("%s %s", optimizer.get("type"), run.all.get(i).op().name())
            .containsExactly(uninterrupted.get(i));
      }
      assertThat(resumed.get(0)).as("the weights moved").isNotEqualTo(checkpoint.get(0));
    }
  }

  @Test
  void everyOptimizerResumesBitForBit() {
    resumesExactly(Map.of("type", "sgd", "momentum", 0.9, "nesterov", true));
    resumesExactly(Map.of("type", "adam"));
    resumesExactly(Map.of("type", "cus-adam"));
    resumesExactly(Map.of("type", "simple-adasecant", "threshold", 5));
    resumesExactly(Map.of("type", "simple-adasecant", "threshold", 5, "momentum", 0.9));
    resumesExactly(Map.of("type", "adasecant"));
    resumesExactly(Map.of("type", "switching", "phases", List.of(
        Map.of("epochs", 3, "optimizer", Map.of("type", "adam"), "schedule", Map.of("type", "constant", "lr", 0.05)),
        Map.of("optimizer", Map.of("type", "adasecant")))));
  }
}
