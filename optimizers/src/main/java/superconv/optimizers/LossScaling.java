package superconv.optimizers;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;
import org.tensorflow.types.family.TType;

/**
 * Dynamic loss scaling in the graph, as configured by a {@link LossScale}: gradients of {@code loss * scale} divided
 * by the scale, whether all of them are finite, and the scale's update after the step.
 */
final class LossScaling {
  private final Ops tf;
  private final LossScale config;
  final Variable<TFloat32> scale;
  final Variable<TFloat64> goodSteps;
  private final List<Operand<TBool>> finiteParts = new ArrayList<>();
  private Operand<TBool> finite;

  LossScaling(Ops tf, LossScale config) {
    this.tf = tf;
    this.config = config;
    Ops init = tf.withInitScope();
    scale = init.withName("scale").variable(init.constant((float) config.initial()));
    goodSteps = init.withName("good_steps").variable(init.constant(0.0));
  }

  <T extends TFloating> List<Output<?>> gradients(Operand<T> loss, List<Variable<T>> variables) {
    Operand<T> scaled = tf.math.mul(loss, tf.dtypes.cast(scale, loss.type()));
    List<Output<?>> out = new ArrayList<>();
    for (Output<?> g : Gradients.of(tf, scaled, variables)) {
      Output<?> unscaled = unscale(g);
      // An int32 shape: TensorFlow keeps it in host memory, where Reshape reads it (an int64 one would cross from
      // the GPU every step).
      finiteParts.add(tf.reduceAll(
          tf.math.isFinite(tf.reshape(asFloating(unscaled), tf.constant(new int[] {-1}))), tf.constant(0)));
      out.add(unscaled);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private <G extends TType> Output<G> unscale(Output<G> g) {
    Operand<TFloating> value = (Operand<TFloating>) (Operand<?>) g;
    return (Output<G>) (Output<?>) tf.math.div(value, tf.dtypes.cast(scale, value.type())).asOutput();
  }

  @SuppressWarnings("unchecked")
  private static Operand<TFloating> asFloating(Output<?> g) {
    return (Operand<TFloating>) (Operand<?>) g;
  }

  /** True when every gradient of the step (and of the next batch) is finite. */
  Operand<TBool> finite() {
    if (finite == null) {
      finite = tf.withName("all_finite").reduceAll(tf.stack(finiteParts), tf.constant(0));
    }
    return finite;
  }

  /** After {@code step}: grow the scale after enough finite steps, halve it (and restart counting) on overflow. */
  Op update(Op step) {
    Ops after = tf.withControlDependencies(List.of(step));
    Operand<TFloat64> counted = after.math.add(goodSteps, after.constant(1.0));
    Operand<TBool> grow = after.math.greaterEqual(counted, after.constant((double) config.growthInterval()));
    Operand<TFloat32> factor = after.constant((float) config.factor());
    Operand<TFloat32> newScale = after.select(finite(),
        after.select(grow, after.math.mul(scale, factor), scale),
        after.math.maximum(after.math.div(scale, factor), after.constant(1f)));
    Operand<TFloat64> newCount = after.select(finite(), after.select(grow, after.constant(0.0), counted),
        after.constant(0.0));
    return after.withName("update").withControlDependencies(List.of(
        after.assign(scale, newScale), after.assign(goodSteps, newCount))).noOp();
  }
}
