package superconv.optimizers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.family.TFloating;
import org.tensorflow.types.family.TNumber;

/**
 * The spec of one optimizer, which builds one {@link SuperconvOptimizer} (for a whole run, or for one phase of a
 * {@link SwitchingSpec}). By default it is driven by the fed rate and momentum and needs one batch a step, as SGD
 * and Adam are; the AdaSecant variants ({@link CalculatedRateSpec}) override what differs. Open to any optimizer's
 * nested {@code Spec}, so that adding one touches no list here.
 */
non-sealed interface SingleOptimizerSpec extends OptimizerSpec {
  @Override
  default boolean needsNextBatch() {
    return false;
  }

  @Override
  default boolean usesRate() {
    return true;
  }

  @Override
  default boolean acceptsMomentum() {
    return true;
  }

  /**
   * The optimizer under sub-scope {@code name}, fed {@code learningRate} and, where a schedule cycles it,
   * {@code momentum} (else null).
   */
  SuperconvOptimizer create(Ops tf, String name, Operand<? extends TNumber> learningRate,
      Operand<? extends TNumber> momentum);

  @Override
  default <T extends TFloating> TrainStep build(Ops tf, List<Variable<T>> variables, Operand<T> loss,
      Operand<T> nextLoss, Operand<? extends TNumber> learningRate, Operand<? extends TNumber> momentum,
      LossScale lossScale) {
    StepBuilder step = StepBuilder.of(tf, this, variables, loss, nextLoss, lossScale);
    return step.step(List.of(step.phase(this, "optimizer", 0, learningRate, momentum)));
  }
}
