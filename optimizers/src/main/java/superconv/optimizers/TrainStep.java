package superconv.optimizers;

import java.util.List;
import java.util.Optional;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat64;

/**
 * What {@link OptimizerSpec#build} gives the training loop: one phase per optimizer (a single one unless the spec
 * switches optimizers), and every state variable of every phase (slots, step counters, tau, ...) to initialize
 * ({@code Session.initialize()} runs their initializers) and to checkpoint.
 *
 * <p>Per step j of epoch e: run {@code phaseForEpoch(e).trainOp()} feeding the learning-rate placeholder with
 * {@code schedule.rate(j)} (and the momentum placeholder with {@code schedule.momentum(j)} where the schedule
 * cycles it); fetch the diagnostics in the same run as the train op: they describe the step just taken.
 */
public record TrainStep(List<PhaseOps> phases, List<Variable<?>> stateVariables) {

  /**
   * One optimizer from epoch {@code startEpoch} (0-based) until the next phase.
   *
   * @param optimizer the optimizer's type name (e.g. {@code sgd})
   * @param trainOp the op that applies one step
   * @param updateNorm the Euclidean norm of the step's whole update Delta theta
   * @param rateNorm for optimizers that calculate per-element rates (AdaSecant variants): their Euclidean norm
   * @param rateMean for those optimizers: the mean of the rates over all parameters
   */
  public record PhaseOps(long startEpoch, String optimizer, Op trainOp, Operand<TFloat64> updateNorm,
      Optional<Operand<TFloat64>> rateNorm, Optional<Operand<TFloat64>> rateMean) {}

  public TrainStep {
    phases = List.copyOf(phases);
    stateVariables = List.copyOf(stateVariables);
    if (phases.isEmpty() || phases.get(0).startEpoch() != 0) {
      throw new IllegalArgumentException("the first phase must start at epoch 0");
    }
  }

  /** The phase that runs in epoch {@code epoch} (0-based). */
  public PhaseOps phaseForEpoch(long epoch) {
    PhaseOps current = phases.get(0);
    for (PhaseOps p : phases) {
      if (p.startEpoch() <= epoch) {
        current = p;
      }
    }
    return current;
  }

  /** The train op of a single-optimizer step (the first phase's). */
  public Op trainOp() {
    return phases.get(0).trainOp();
  }
}
