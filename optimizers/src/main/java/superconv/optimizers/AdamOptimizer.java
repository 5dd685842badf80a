package superconv.optimizers;

import static superconv.optimizers.Specs.requireParameter;
import static superconv.optimizers.Specs.table;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TNumber;
import org.tensorflow.types.family.TType;

/**
 * PyTorch's Adam with a fed learning rate (the thesis's CLR-Adam when the rate cycles), t the step count from 1:
 * m <- b1 m + (1-b1) g; v <- b2 v + (1-b2) g^2; theta <- theta - (lr / (1 - b1^t)) m / (sqrt(v)/sqrt(1 - b2^t) + eps).
 * Without first-moment bias correction (1 - b1^t replaced by 1) it is the thesis's CUS-Adam (3.2). A fed momentum
 * replaces b1 (cyclical momentum).
 */
public final class AdamOptimizer extends SuperconvOptimizer {

  /**
   * {@code { type = "adam", beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8 }}: PyTorch's Adam; type {@code cus-adam}
   * ({@code firstMomentCorrection} false) drops the first moment's bias correction (thesis 3.2).
   */
  public record Spec(double beta1, double beta2, double epsilon, boolean firstMomentCorrection)
      implements SingleOptimizerSpec {
    public Spec {
      requireParameter(beta1 >= 0 && beta1 < 1, "beta1", beta1, "a number in [0, 1)");
      requireParameter(beta2 >= 0 && beta2 < 1, "beta2", beta2, "a number in [0, 1)");
      requireParameter(epsilon > 0 && Double.isFinite(epsilon), "epsilon", epsilon, "a finite number > 0");
    }

    /** Reads an {@code adam} table. */
    static Spec adam(Table t) {
      return fromTable(t, true);
    }

    /** Reads a {@code cus-adam} table: the same keys as adam's. */
    static Spec cusAdam(Table t) {
      return fromTable(t, false);
    }

    private static Spec fromTable(Table t, boolean firstMomentCorrection) {
      t.allowOnly(Set.of("type", "beta1", "beta2", "epsilon"));
      return new Spec(t.number("beta1", 0.9), t.number("beta2", 0.999), t.number("epsilon", 1e-8),
          firstMomentCorrection);
    }

    @Override
    public String type() {
      return firstMomentCorrection ? "adam" : "cus-adam";
    }

    @Override
    public Map<String, Object> toTable() {
      return table(type(), "beta1", beta1, "beta2", beta2, "epsilon", epsilon);
    }

    @Override
    public SuperconvOptimizer create(Ops tf, String name, Operand<? extends TNumber> learningRate,
        Operand<? extends TNumber> fedMomentum) {
      return new AdamOptimizer(tf, name, learningRate, fedMomentum, beta1, beta2, epsilon, firstMomentCorrection);
    }
  }

  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final boolean firstMomentCorrection;
  private Variable<TFloat64> steps;
  private Operand<TFloat64> t;

  public AdamOptimizer(Ops tf, String name, Operand<? extends TNumber> learningRate,
      Operand<? extends TNumber> fedMomentum, double beta1, double beta2, double epsilon,
      boolean firstMomentCorrection) {
    super(tf, name, learningRate, fedMomentum);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.firstMomentCorrection = firstMomentCorrection;
  }

  @Override
  protected <T extends TType> void createSlotsFor(Output<T> variable) {
    slot(variable, "m", 0.0);
    slot(variable, "v", 0.0);
  }

  @Override
  protected java.util.Optional<Op> prepare(String scopeName) {
    steps = globalState("step", 0.0);
    t = ops.math.add(steps, ops.constant(1.0));
    return java.util.Optional.empty();
  }

  @Override
  protected <T extends TType> Op applyDense(Ops unused, Output<T> gradient, Output<T> variable) {
    Class<T> type = variable.type();
    // Bias corrections in double, as PyTorch computes them in Python floats.
    Operand<TFloat64> b1d = momentumFed() ? fedMomentum(TFloat64.class) : ops.constant(beta1);
    Operand<TFloat64> one = ops.constant(1.0);
    Operand<TFloat64> correction1 =
        firstMomentCorrection ? ops.math.sub(one, ops.math.pow(b1d, t)) : one;
    Operand<TFloat64> correction2 = ops.math.sub(one, ops.math.pow(ops.constant(beta2), t));
    Operand<T> stepSize = ops.dtypes.cast(ops.math.div(learningRate(TFloat64.class), correction1), type);
    Operand<T> correction2Sqrt = ops.dtypes.cast(ops.math.sqrt(correction2), type);

    Operand<T> b1 = momentumFed() ? fedMomentum(type) : constant(beta1, type);
    Operand<T> oneMinusB1 = momentumFed() ? ops.math.sub(constant(1.0, type), b1) : constant(1.0 - beta1, type);
    Operand<T> m = slotOf(variable, "m");
    Operand<T> v = slotOf(variable, "v");
    Operand<T> newM = ops.math.add(ops.math.mul(b1, m), ops.math.mul(oneMinusB1, gradient));
    Operand<T> newV = ops.math.add(ops.math.mul(constant(beta2, type), v),
        ops.math.mul(constant(1.0 - beta2, type), ops.math.mul(gradient, gradient)));
    Operand<T> denominator = ops.math.add(ops.math.div(ops.math.sqrt(newV), correction2Sqrt), constant(epsilon, type));
    Operand<T> delta = ops.math.mul(ops.math.neg(stepSize), ops.math.div(newM, denominator));
    recordUpdate(delta);
    return commit(List.of(new Assignment<>(m, newM), new Assignment<>(v, newV),
        new Assignment<>(variable, ops.math.add(variable, delta))));
  }

  @Override
  protected List<Op> afterUpdates(List<Op> updates) {
    return List.of(ops.withControlDependencies(updates).assign(steps, unlessSkipped(t, steps)));
  }
}
