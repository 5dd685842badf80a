package superconv.optimizers;

import java.util.List;
import java.util.Optional;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.family.TNumber;
import org.tensorflow.types.family.TType;

/**
 * The thesis's Simple AdaSecant (eq. 3.1-3.3, Alg. 3.2): a = g - g_prev (g_prev = 0 before the first step);
 * Delta_prev = -g on the first step, else the previous update; alpha = |Delta_prev / a| with x/0 = 0; alpha := 0 where
 * alpha >= threshold (3.3); Delta = -alpha g; theta <- theta + Delta. The fed learning rate is ignored.
 */
public final class SimpleAdaSecantOptimizer extends FedRateOptimizer {

  private final double threshold;
  private Operand<TBool> first;

  public SimpleAdaSecantOptimizer(Ops tf, String name, Operand<? extends TNumber> learningRate, double threshold) {
    super(tf, name, learningRate, null);
    this.threshold = threshold;
  }

  @Override
  protected <T extends TType> void createSlotsFor(Output<T> variable) {
    slot(variable, "previous_gradient", 0.0);
    slot(variable, "previous_update", 0.0);
  }

  @Override
  protected Optional<Op> prepare(String scopeName) {
    first = ops.math.equal(stepCounter(), ops.constant(0.0));
    return Optional.empty();
  }

  @Override
  protected <T extends TType> Op applyDense(Ops unused, Output<T> gradient, Output<T> variable) {
    return applyTyped(gradient, variable);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private <T extends TType> Op applyTyped(Output<T> gradient, Output<T> variable) {
    // The math below needs a number type; the framework hands out TType.
    return applyNumber((Output) gradient, (Output) variable);
  }

  private <T extends TNumber> Op applyNumber(Output<T> g, Output<T> variable) {
    Class<T> type = variable.type();
    Operand<T> previousGradient = slotOf(variable, "previous_gradient");
    Operand<T> previousUpdate = slotOf(variable, "previous_update");
    Operand<T> a = ops.math.sub(g, previousGradient);
    Operand<T> deltaPrevious = ops.select(first, ops.math.neg(g), previousUpdate);
    Operand<T> alpha = ops.math.abs(ops.math.divNoNan(deltaPrevious, a));
    alpha = ops.select(ops.math.greaterEqual(alpha, constant(threshold, type)), ops.zerosLike(alpha), alpha);
    Operand<T> delta = ops.math.neg(ops.math.mul(alpha, g));
    recordRates(alpha);
    recordUpdate(delta);
    return commit(List.of(new Assignment<>(previousGradient, g), new Assignment<>(previousUpdate, delta),
        new Assignment<>(variable, ops.math.add(variable, delta))));
  }
}
