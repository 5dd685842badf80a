package superconv.optimizers;

import static superconv.optimizers.Specs.require;
import static superconv.optimizers.Specs.requireParameter;
import static superconv.optimizers.Specs.table;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 *
 * <p>With {@code momentum} mu > 0 (the thesis's outlook, ch. 5; 4.5.3 notes that "no momentum is used for the update
 * step"), heavy-ball momentum on that update step, without dampening: Delta = mu * Delta_stored - alpha g, i.e.
 * v_t = mu v_{t-1} + alpha_t g_t, theta_t = theta_{t-1} - v_t with v = -Delta and v_0 = 0 (Delta_stored is the
 * previous update, 0 before the first step: the first step's Delta_prev = -g of eq. 3.2 only seeds the rate, it is no
 * step taken). Each gradient is scaled by the rate computed when it arrived, and the secant's Delta_prev stays the
 * parameter's actual last displacement, the one that produced a = g - g_prev. PyTorch's form (b = mu b + g, theta -=
 * alpha_t b) would instead rescale the whole history by each new per-element rate, and a rate the threshold sets to 0
 * would stop the ball dead. The state is the same slots as without momentum; mu = 0 builds exactly the update above.
 *
 * <p>On a CPU, where {@link NativeKernels} are loaded, a float or double variable's update runs as one fused kernel
 * ({@code simple_adasecant_update.c}), in place; elsewhere as the TensorFlow ops below, the same operations.
 */
public final class SimpleAdaSecantOptimizer extends SuperconvOptimizer {

  /**
   * {@code { type = "simple-adasecant", threshold = 10, momentum = 0.9 }} (threshold +inf, momentum 0 when absent):
   * thesis Alg. 3.2, with heavy-ball momentum where momentum > 0.
   */
  public record Spec(double threshold, double momentum) implements CalculatedRateSpec {
    public Spec {
      require(threshold > 0, "threshold = %s is not allowed: expected a number > 0 (inf for none)", threshold);
      requireParameter(momentum >= 0 && momentum < 1, "momentum", momentum, "a number in [0, 1)");
    }

    /** Without momentum: the thesis's algorithm. */
    public Spec(double threshold) {
      this(threshold, 0.0);
    }

    /** Reads a {@code simple-adasecant} table. */
    static Spec fromTable(Table t) {
      t.allowOnly(Set.of("type", "threshold", "momentum"));
      return new Spec(t.number("threshold", Double.POSITIVE_INFINITY), t.number("momentum", 0.0));
    }

    @Override
    public String type() {
      return "simple-adasecant";
    }

    @Override
    public Map<String, Object> toTable() {
      // Without momentum the table stays what it was before momentum existed: run records keep their identity.
      return momentum == 0 ? table(type(), "threshold", threshold)
          : table(type(), "threshold", threshold, "momentum", momentum);
    }

    @Override
    public SuperconvOptimizer create(Ops tf, String name, Operand<? extends TNumber> learningRate,
        Operand<? extends TNumber> fedMomentum) {
      return new SimpleAdaSecantOptimizer(tf, name, learningRate, threshold, momentum, true);
    }
  }

  private final double threshold;
  private final double momentum;
  private final boolean fused;
  private Operand<TBool> first;

  /** Without momentum, fused where it can be: on a CPU with the native kernels loaded. */
  public SimpleAdaSecantOptimizer(Ops tf, String name, Operand<? extends TNumber> learningRate, double threshold) {
    this(tf, name, learningRate, threshold, 0.0, true);
  }

  /** {@code fused = false} always builds the update from TensorFlow ops (to compare the two). */
  SimpleAdaSecantOptimizer(Ops tf, String name, Operand<? extends TNumber> learningRate, double threshold,
      double momentum, boolean fused) {
    super(tf, name, learningRate, null);
    this.threshold = threshold;
    this.momentum = momentum;
    this.fused = fused && nativeKernelsUsable();
  }

  /** Whether float and double variables get the fused kernel. */
  boolean fused() {
    return fused;
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
    if (fused && nativeType(variable.type())) {
      return applyNative(NativeKernels.SIMPLE_ADASECANT_UPDATE, variable, List.of("previous_gradient",
          "previous_update"), List.of(gradient, constant(threshold, variable.type()),
          constant(momentum, variable.type()), first));
    }
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
    Operand<T> delta = momentum == 0 ? ops.math.neg(ops.math.mul(alpha, g))
        : ops.math.sub(ops.math.mul(constant(momentum, type), previousUpdate), ops.math.mul(alpha, g));
    recordRates(alpha);
    recordUpdate(delta);
    return commit(List.of(new Assignment<>(previousGradient, g), new Assignment<>(previousUpdate, delta),
        new Assignment<>(variable, ops.math.add(variable, delta))));
  }
}
