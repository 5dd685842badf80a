package superconv.optimizers;

import static superconv.optimizers.Specs.require;
import static superconv.optimizers.Specs.requireParameter;
import static superconv.optimizers.Specs.table;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;
import org.tensorflow.types.family.TType;

/**
 * PyTorch's SGD with a fed learning rate: g <- g + wd*theta; with momentum b <- mu*b + g (b starts at 0, so the
 * first step gives b = g exactly as PyTorch's clone); the step is b, or g + mu*b with Nesterov; theta <- theta -
 * lr*step. A fed momentum (cyclical, from a one-cycle schedule) replaces the constant mu.
 */
public final class SgdOptimizer extends SuperconvOptimizer {

  /** {@code { type = "sgd", momentum = 0, nesterov = false, weight_decay = 0 }}: PyTorch's SGD. */
  public record Spec(double momentum, boolean nesterov, double weightDecay) implements SingleOptimizerSpec {
    public Spec {
      requireParameter(momentum >= 0 && momentum < 1, "momentum", momentum, "a number in [0, 1)");
      requireParameter(weightDecay >= 0 && Double.isFinite(weightDecay), "weight_decay", weightDecay,
          "a finite number >= 0");
      require(!nesterov || momentum > 0, "nesterov = true is not allowed with momentum = 0: expected momentum > 0");
    }

    /** Reads an {@code sgd} table. */
    static Spec fromTable(Table t) {
      t.allowOnly(Set.of("type", "momentum", "nesterov", "weight_decay"));
      return new Spec(t.number("momentum", 0.0), t.bool("nesterov", false), t.number("weight_decay", 0.0));
    }

    @Override
    public String type() {
      return "sgd";
    }

    @Override
    public Map<String, Object> toTable() {
      return table(type(), "momentum", momentum, "nesterov", nesterov, "weight_decay", weightDecay);
    }

    @Override
    public SuperconvOptimizer create(Ops tf, String name, Operand<? extends TNumber> learningRate,
        Operand<? extends TNumber> fedMomentum) {
      return new SgdOptimizer(tf, name, learningRate, fedMomentum, momentum, nesterov, weightDecay);
    }
  }

  private final double momentum;
  private final boolean nesterov;
  private final double weightDecay;

  public SgdOptimizer(Ops tf, String name, Operand<? extends TNumber> learningRate,
      Operand<? extends TNumber> fedMomentum, double momentum, boolean nesterov, double weightDecay) {
    super(tf, name, learningRate, fedMomentum);
    this.momentum = momentum;
    this.nesterov = nesterov;
    this.weightDecay = weightDecay;
  }

  private boolean usesBuffer() {
    return momentum != 0 || momentumFed();
  }

  @Override
  protected <T extends TType> void createSlotsFor(Output<T> variable) {
    if (usesBuffer()) {
      slot(variable, "momentum", 0.0);
    }
  }

  @Override
  protected <T extends TType> Op applyDense(Ops unused, Output<T> gradient, Output<T> variable) {
    Class<T> type = variable.type();
    List<Assignment<?>> updates = new ArrayList<>();
    Operand<T> d = gradient;
    if (weightDecay != 0) {
      d = ops.math.add(d, ops.math.mul(constant(weightDecay, type), variable));
    }
    Operand<T> step = d;
    if (usesBuffer()) {
      Operand<T> mu = momentumFed() ? fedMomentum(type) : constant(momentum, type);
      Operand<T> buffer = slotOf(variable, "momentum");
      Operand<T> newBuffer = ops.math.add(ops.math.mul(mu, buffer), d);
      updates.add(new Assignment<>(buffer, newBuffer));
      step = nesterov ? ops.math.add(d, ops.math.mul(mu, newBuffer)) : newBuffer;
    }
    // Delta only feeds the update-norm diagnostic and is computed when that is fetched; it depends on the step's
    // value, never on theta after the update.
    recordUpdate(ops.math.mul(ops.math.neg(learningRate(type)), step));
    // theta <- theta - lr * step in place: one fused kernel instead of Mul, Add and an Assign of a fresh tensor.
    Operand<T> applied = unlessSkipped(step, ops.zerosLike(step));
    Op theta = afterGradients(List.of(applied)).train.applyGradientDescent(variable, learningRate(type), applied);
    return updates.isEmpty() ? theta : ops.withControlDependencies(List.of(theta, commit(updates))).noOp();
  }
}
