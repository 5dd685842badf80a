package superconv.optimizers;

import static superconv.optimizers.Specs.require;
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
 * <p>On a CPU, where {@link NativeKernels} are loaded, a float or double variable's update runs as one fused kernel
 * ({@code simple_adasecant_update.c}), in place; elsewhere as the TensorFlow ops below, the same operations.
 */
public final class SimpleAdaSecantOptimizer extends SuperconvOptimizer {

  /** {@code { type = "simple-adasecant", threshold = 10 }} (threshold +inf when absent): thesis Alg. 3.2. */
  public record Spec(double threshold) implements CalculatedRateSpec {
    public Spec {
      require(threshold > 0, "threshold = %s is not allowed: expected a number > 0 (inf for none)", threshold);
    }

    /** Reads a {@code simple-adasecant} table. */
    static Spec fromTable(Table t) {
      t.allowOnly(Set.of("type", "threshold"));
      return new Spec(t.number("threshold", Double.POSITIVE_INFINITY));
    }

    @Override
    public String type() {
      return "simple-adasecant";
    }

    @Override
    public Map<String, Object> toTable() {
      return table(type(), "threshold", threshold);
    }

    @Override
    public SuperconvOptimizer create(Ops tf, String name, Operand<? extends TNumber> learningRate,
        Operand<? extends TNumber> fedMomentum) {
      return new SimpleAdaSecantOptimizer(tf, name, learningRate, threshold);
    }
  }

  private final double threshold;
  private final boolean fused;
  private Operand<TBool> first;

  /** Fused where it can be: on a CPU with the native kernels loaded. */
  public SimpleAdaSecantOptimizer(Ops tf, String name, Operand<? extends TNumber> learningRate, double threshold) {
    this(tf, name, learningRate, threshold, true);
  }

  /** {@code fused = false} always builds the update from TensorFlow ops (to compare the two). */
  SimpleAdaSecantOptimizer(Ops tf, String name, Operand<? extends TNumber> learningRate, double threshold,
      boolean fused) {
    super(tf, name, learningRate, null);
    this.threshold = threshold;
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
          "previous_update"), List.of(gradient, constant(threshold, variable.type()), first));
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
    Operand<T> delta = ops.math.neg(ops.math.mul(alpha, g));
    recordRates(alpha);
    recordUpdate(delta);
    return commit(List.of(new Assignment<>(previousGradient, g), new Assignment<>(previousUpdate, delta),
        new Assignment<>(variable, ops.math.add(variable, delta))));
  }
}
