package superconv.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

class LossScaleTest {

  /** Weights after {@code inputs.length} steps of loss sum((w * x)^2) / 2 (x fed per step); then the state. */
  private static float[][] train(Map<String, Object> optimizer, LossScale scale, float[][] inputs) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Variable<TFloat32> w = tf.withName("w").variable(tf.constant(new float[] {0.5f, -1.5f, 2f}));
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(3)));
      Operand<TFloat32> wx = tf.math.mul(tf.identity(w), x);
      Operand<TFloat32> loss = tf.math.mul(tf.reduceSum(tf.math.mul(wx, wx), tf.constant(0)), tf.constant(0.5f));
      Placeholder<TFloat32> lr = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
      TrainStep step = Optimizers.fromTable(optimizer).build(tf, List.of(w), loss, null, lr, null, scale);
      try (Session session = new Session(graph)) {
        session.initialize();
        for (float[] input : inputs) {
          try (TFloat32 rate = TFloat32.scalarOf(0.1f); TFloat32 xs = TFloat32.vectorOf(input)) {
            session.runner().addTarget(step.trainOp()).feed(lr, rate).feed(x, xs).run().close();
          }
        }
        float[][] out = new float[1 + step.stateVariables().size()][];
        out[0] = values(session, w);
        for (int i = 0; i < step.stateVariables().size(); i++) {
          out[i + 1] = values(session, step.stateVariables().get(i));
        }
        return out;
      }
    }
  }

  private static float[] values(Session session, Operand<?> v) {
    try (Result r = session.runner().fetch(v).run()) {
      if (r.get(0) instanceof TFloat64 d) {
        float[] out = new float[(int) Math.max(1, d.size())];
        for (int i = 0; i < out.length; i++) {
          out[i] = (float) (d.rank() == 0 ? d.getDouble() : d.getDouble(i));
        }
        return out;
      }
      TFloat32 f = (TFloat32) r.get(0);
      float[] out = new float[(int) Math.max(1, f.size())];
      for (int i = 0; i < out.length; i++) {
        out[i] = f.rank() == 0 ? f.getFloat() : f.getFloat(i);
      }
      return out;
    }
  }

  private static final float[][] INPUTS = {{1, 2, 3}, {0.5f, -1, 2}, {3, 1, -2}, {1e-3f, 1e-4f, 1e-5f}};

  @Test
  void aPowerOfTwoScaleGivesExactlyTheUnscaledSteps() {
    for (Map<String, Object> optimizer : List.<Map<String, Object>>of(Map.of("type", "sgd"),
        Map.of("type", "sgd", "momentum", 0.9, "nesterov", true, "weight_decay", 1e-3), Map.of("type", "adam"))) {
      float[] plain = train(optimizer, null, INPUTS)[0];
      float[] scaled = train(optimizer, new LossScale(1024, 1000, 2), INPUTS)[0];
      assertThat(scaled).as(optimizer.toString()).containsExactly(plain);
      assertThat(plain).as("the steps moved the weights").isNotEqualTo(new float[] {0.5f, -1.5f, 2f});
    }
  }

  @Test
  void anOverflowingStepIsSkippedWholeAndHalvesTheScale() {
    // 2^100 * the gradient 1e30 overflows float32: nothing moves, Adam's moments and counter included.
    float[][] state = train(Map.of("type", "adam"), new LossScale(Math.scalb(1.0, 100), 1000, 2),
        new float[][] {{1e15f, 1e15f, 1e15f}});
    assertThat(state[0]).containsExactly(0.5f, -1.5f, 2f);
    // State: the loss scale and its count of good steps, then Adam's m, v and step counter.
    assertThat(state[1]).containsExactly((float) Math.scalb(1.0, 99));
    assertThat(state[2]).containsExactly(0f);
    assertThat(state[3]).containsOnly(0f);
    assertThat(state[4]).containsOnly(0f);
    assertThat(state[5]).containsExactly(0f);
    // The next step with ordinary inputs is taken as if it were the first.
    float[][] after = train(Map.of("type", "adam"), new LossScale(Math.scalb(1.0, 100), 1000, 2),
        new float[][] {{1e15f, 1e15f, 1e15f}, {1, 2, 3}});
    float[] first = train(Map.of("type", "adam"), null, new float[][] {{1, 2, 3}})[0];
    assertThat(after[0]).containsExactly(first);
    assertThat(after[5]).containsExactly(1f);
  }

  @Test
  void theScaleGrowsAfterEnoughFiniteStepsInARow() {
    float[][] two = train(Map.of("type", "sgd"), new LossScale(4, 2, 2), new float[][] {{1, 1, 1}, {1, 1, 1}});
    assertThat(two[1]).containsExactly(8f);
    assertThat(two[2]).containsExactly(0f);
    float[][] three = train(Map.of("type", "sgd"), new LossScale(4, 2, 2), new float[][] {{1, 1, 1}, {1, 1, 1}, {1, 1, 1}});
    assertThat(three[1]).containsExactly(8f);
    assertThat(three[2]).containsExactly(1f);
  }

  @Test
  void scalesAndFactorsMustBePowersOfTwo() {
    assertThatThrownBy(() -> new LossScale(1000, 10, 2)).hasMessageContaining("power of two");
    assertThatThrownBy(() -> new LossScale(1024, 10, 3)).hasMessageContaining("power of two");
    assertThatThrownBy(() -> new LossScale(1024, 0, 2)).hasMessageContaining("growth_interval");
    assertThat(LossScale.dynamic().initial()).isEqualTo(32768);
  }
}
