package superconv.optimizers;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.family.TFloating;
import org.tensorflow.types.family.TNumber;

/**
 * A validated optimizer table ({@link Optimizers#fromTable}) that builds the train step of a graph. Immutable; the
 * same spec builds the same step in any graph.
 */
public sealed interface OptimizerSpec
    permits SingleOptimizerSpec, SwitchingSpec {

  /** The {@code type} of its table: sgd, adam, cus-adam, simple-adasecant, adasecant, switching. */
  String type();

  /** The table exactly as it runs (defaults filled in). */
  Map<String, Object> toTable();

  /** Whether {@link #build} needs {@code nextLoss}: the loss of batch j+1 at the same weights (AdaSecant). */
  boolean needsNextBatch();

  /** Whether the fed learning rate matters (false for the AdaSecant variants, which calculate theirs). */
  boolean usesRate();

  /** Whether a fed momentum (a schedule with cyclical momentum) can drive it: SGD's mu, Adam's beta1. */
  boolean acceptsMomentum();

  /** Whether its update runs as one of {@link NativeKernels} where they are loaded, on a CPU (the AdaSecant variants). */
  default boolean usesNativeKernels() {
    return false;
  }

  /**
   * The schedule this optimizer brings itself (a switching spec whose phases carry schedules), laid over the run;
   * empty when the run's own {@code schedule} table applies. See {@link Optimizers#schedule}.
   */
  default Optional<Schedule> schedule(RunLength run) {
    return Optional.empty();
  }

  /**
   * Builds the train step for an explicit list of trainable variables.
   *
   * @param tf the graph's ops (a device scope in them is kept)
   * @param variables the trainable variables, float32 or float64 (never batch-norm statistics or data)
   * @param loss the loss of the current batch
   * @param nextLoss the loss of the next batch at the same weights when {@link #needsNextBatch()}, else null
   * @param learningRate the scalar placeholder fed with the schedule's rate every step (any floating type)
   * @param momentum a scalar placeholder fed with the schedule's momentum when it cycles one, else null
   */
  default <T extends TFloating> TrainStep build(Ops tf, List<Variable<T>> variables, Operand<T> loss,
      Operand<T> nextLoss, Operand<? extends TNumber> learningRate, Operand<? extends TNumber> momentum) {
    return build(tf, variables, loss, nextLoss, learningRate, momentum, null);
  }

  /**
   * As {@link #build(Ops, List, Operand, Operand, Operand, Operand)}, with dynamic loss scaling when
   * {@code lossScale} is not null (float16 compute): the scale and its counter are state variables of the step.
   */
  <T extends TFloating> TrainStep build(Ops tf, List<Variable<T>> variables, Operand<T> loss, Operand<T> nextLoss,
      Operand<? extends TNumber> learningRate, Operand<? extends TNumber> momentum, LossScale lossScale);
}
