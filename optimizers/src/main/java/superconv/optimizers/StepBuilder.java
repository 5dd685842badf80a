package superconv.optimizers;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.framework.optimizers.Optimizer.GradAndVar;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.family.TFloating;
import org.tensorflow.types.family.TNumber;
import org.tensorflow.types.family.TType;

/**
 * Builds a {@link TrainStep}: the gradients of one step, computed once and shared by every phase, and each phase's
 * optimizer applied to them, collecting the state variables of all.
 */
final class StepBuilder {

  private final Ops tf;
  private final List<GradAndVar<? extends TType>> pairs;
  /** The next batch's gradients, or null when no optimizer of the spec needs them. */
  private final List<Output<?>> next;
  private final List<Op> losses;
  private final LossScaling scaling;
  private final List<Variable<?>> state = new ArrayList<>();

  private StepBuilder(Ops tf, List<GradAndVar<? extends TType>> pairs, List<Output<?>> next, List<Op> losses,
      LossScaling scaling) {
    this.tf = tf;
    this.pairs = pairs;
    this.next = next;
    this.losses = losses;
    this.scaling = scaling;
    if (scaling != null) {
      state.addAll(List.of(scaling.scale, scaling.goodSteps));
    }
  }

  /** The gradients {@code spec} needs, loss-scaled when {@code lossScale} is not null. */
  static <T extends TFloating> StepBuilder of(Ops tf, OptimizerSpec spec, List<Variable<T>> variables,
      Operand<T> loss, Operand<T> nextLoss, LossScale lossScale) {
    if (variables.isEmpty()) {
      throw new IllegalArgumentException("no trainable variables to optimize");
    }
    if (spec.needsNextBatch() && nextLoss == null) {
      throw new IllegalArgumentException(spec.type() + " needs the loss of the next batch (nextLoss)");
    }
    LossScaling scaling = lossScale == null ? null : new LossScaling(tf.withSubScope("loss_scale"), lossScale);
    List<Output<?>> grads = scaling == null ? Gradients.of(tf, loss, variables) : scaling.gradients(loss, variables);
    List<GradAndVar<? extends TType>> pairs = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      pairs.add(pair(grads.get(i), variables.get(i).asOutput()));
    }
    List<Output<?>> next = !spec.needsNextBatch() ? null
        : scaling == null ? Gradients.of(tf, nextLoss, variables) : scaling.gradients(nextLoss, variables);
    List<Op> losses = spec.needsNextBatch() ? List.of(loss, nextLoss) : List.of(loss);
    return new StepBuilder(tf, pairs, next, losses, scaling);
  }

  @SuppressWarnings("unchecked")
  private static <T extends TType> GradAndVar<T> pair(Output<?> gradient, Output<T> variable) {
    return new GradAndVar<>((Output<T>) gradient, variable);
  }

  /** The ops of {@code spec}'s optimizer, under sub-scope {@code name}, for the phase from {@code startEpoch}. */
  TrainStep.PhaseOps phase(SingleOptimizerSpec spec, String name, long startEpoch,
      Operand<? extends TNumber> learningRate, Operand<? extends TNumber> momentum) {
    SuperconvOptimizer optimizer = spec.create(tf, name, learningRate, spec.acceptsMomentum() ? momentum : null);
    if (scaling != null) {
      optimizer.applyOnlyIf(scaling.finite());
    }
    Op op = optimizer.applyGradients(pairs, spec.needsNextBatch() ? next : null, losses, "train");
    if (scaling != null) {
      op = tf.withSubScope(name).withName("train_and_rescale").withControlDependencies(List.of(op, scaling.update(op)))
          .noOp();
    }
    state.addAll(optimizer.stateVariables());
    return new TrainStep.PhaseOps(startEpoch, spec.type(), op, optimizer.updateNorm(), optimizer.rateNorm(),
        optimizer.rateMean());
  }

  /** The train step of these phases, with the state variables of every one built so far. */
  TrainStep step(List<TrainStep.PhaseOps> phases) {
    return new TrainStep(phases, state);
  }
}
