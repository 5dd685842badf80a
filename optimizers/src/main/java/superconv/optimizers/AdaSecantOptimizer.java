package superconv.optimizers;

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
 * AdaSecant as the thesis implemented it (Alg. 3.1 with the decisions of 3.3), per element, with g the gradient of
 * batch j and g' that of batch j+1 at the same weights; tau starts at 1, every moving average at 0, and
 * MA(m, x) = (1 - 1/tau) m + x/tau with the tau of the previous step:
 * <ol>
 *   <li>E[g] <- MA(E[g], g); E[g^2] <- MA(E[g^2], g^2)
 *   <li>a = g - g_prev, 0 on the first step
 *   <li>N <- MA(N, (g - g')(g - E[g])); D <- MA(D, (g - E[g])(g' - E[g])); gamma = N / (D + 1e-7)
 *   <li>g~ = (g + gamma E[g]) / (1 + gamma + 1e-7)
 *   <li>Delta_prev = the previous update, -g~ on the first step
 *   <li>E[Delta], E[Delta^2], E[a Delta], E[a], E[a^2] <- MA(., Delta_prev, Delta_prev^2, a Delta_prev, a, a^2)
 *   <li>alpha = sqrt(E[Delta^2]) / sqrt(E[a^2]) - E[a Delta] / E[a^2]; non-finite alpha becomes 0
 *   <li>tau <- (1 - E[Delta]^2 / (E[Delta^2] + 1e-7)) tau + 1, clamped to [1.5, 1e7]
 *   <li>tau <- 2.2 where |g - E[g]| > 2 sqrt(|E[g^2] - E[g]^2|) or |a - E[a]| > 2 sqrt(|E[a^2] - E[a]^2|)
 *   <li>Delta = -alpha g~; theta <- theta + Delta; keep g and Delta for the next step
 * </ol>
 * No gradient normalization (decision 3). The fed learning rate is ignored.
 *
 * <p>On a CPU, where {@link NativeKernels} are loaded, steps 1-10 of a float or double variable run as one fused
 * kernel ({@code adasecant_update.c}) that reads and writes every element once, in place; elsewhere (a GPU, no
 * kernels) as the TensorFlow ops below. Both compute the same operations in the same order.
 */
public final class AdaSecantOptimizer extends SuperconvOptimizer {

  /** {@code { type = "adasecant" }}: thesis Alg. 3.1 with the decisions of 3.3; needs the next batch's loss. */
  public record Spec() implements CalculatedRateSpec {
    /** Reads an {@code adasecant} table, which has nothing to set. */
    static Spec fromTable(Table t) {
      t.allowOnly(Set.of("type"));
      return new Spec();
    }

    @Override
    public String type() {
      return "adasecant";
    }

    @Override
    public Map<String, Object> toTable() {
      return table(type());
    }

    @Override
    public boolean needsNextBatch() {
      return true;
    }

    @Override
    public SuperconvOptimizer create(Ops tf, String name, Operand<? extends TNumber> learningRate,
        Operand<? extends TNumber> fedMomentum) {
      return new AdaSecantOptimizer(tf, name, learningRate);
    }
  }

  private static final String[] STATE = {
    "tau", "mean_g", "mean_g2", "numerator", "denominator", "mean_delta", "mean_delta2", "mean_a_delta", "mean_a",
    "mean_a2", "previous_gradient", "previous_update"
  };

  private final boolean fused;
  private Operand<TBool> first;

  /** Fused where it can be: on a CPU with the native kernels loaded. */
  public AdaSecantOptimizer(Ops tf, String name, Operand<? extends TNumber> learningRate) {
    this(tf, name, learningRate, true);
  }

  /** {@code fused = false} always builds the update from TensorFlow ops (to compare the two). */
  AdaSecantOptimizer(Ops tf, String name, Operand<? extends TNumber> learningRate, boolean fused) {
    super(tf, name, learningRate, null);
    this.fused = fused && nativeKernelsUsable();
  }

  /** Whether float and double variables get the fused kernel. */
  boolean fused() {
    return fused;
  }

  @Override
  protected <T extends TType> void createSlotsFor(Output<T> variable) {
    for (String slot : STATE) {
      slot(variable, slot, slot.equals("tau") ? 1.0 : 0.0);
    }
  }

  @Override
  protected Optional<Op> prepare(String scopeName) {
    first = ops.math.equal(stepCounter(), ops.constant(0.0));
    return Optional.empty();
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  protected <T extends TType> Op applyDense(Ops unused, Output<T> gradient, Output<T> variable) {
    if (fused && nativeType(variable.type())) {
      // Steps 1-10 as one kernel, in place on the variable and its state (STATE is the kernel's input order).
      return applyNative(NativeKernels.ADASECANT_UPDATE, variable, List.of(STATE),
          List.of(gradient, nextGradient(variable), first));
    }
    // The math below needs a number type; the framework hands out TType.
    return applyNumber((Output) gradient, (Output) nextGradient(variable), (Output) variable);
  }

  private <T extends TNumber> Op applyNumber(Output<T> g, Output<T> gNext, Output<T> variable) {
    Class<T> type = variable.type();
    Operand<T> tau = slotOf(variable, "tau");
    Operand<T> tiny = constant(1e-7, type);
    Operand<T> one = constant(1.0, type);
    Operand<T> two = constant(2.0, type);
    Operand<T> keep = ops.math.sub(one, ops.math.div(one, tau));
    Averager<T> ma = (name, x) -> ops.math.add(ops.math.mul(keep, slotOf(variable, name)), ops.math.div(x, tau));

    // 1
    Operand<T> meanG = ma.next("mean_g", g);
    Operand<T> meanG2 = ma.next("mean_g2", ops.math.mul(g, g));
    // 2
    Operand<T> a = ops.select(first, ops.zerosLike(g), ops.math.sub(g, slotOf(variable, "previous_gradient")));
    // 3
    Operand<T> centred = ops.math.sub(g, meanG);
    Operand<T> numerator = ma.next("numerator", ops.math.mul(ops.math.sub(g, gNext), centred));
    Operand<T> denominator = ma.next("denominator", ops.math.mul(centred, ops.math.sub(gNext, meanG)));
    Operand<T> gamma = ops.math.div(numerator, ops.math.add(denominator, tiny));
    // 4
    Operand<T> corrected = ops.math.div(ops.math.add(g, ops.math.mul(gamma, meanG)),
        ops.math.add(ops.math.add(one, gamma), tiny));
    // 5
    Operand<T> deltaPrevious = ops.select(first, ops.math.neg(corrected), slotOf(variable, "previous_update"));
    // 6
    Operand<T> meanDelta = ma.next("mean_delta", deltaPrevious);
    Operand<T> meanDelta2 = ma.next("mean_delta2", ops.math.mul(deltaPrevious, deltaPrevious));
    Operand<T> meanADelta = ma.next("mean_a_delta", ops.math.mul(a, deltaPrevious));
    Operand<T> meanA = ma.next("mean_a", a);
    Operand<T> meanA2 = ma.next("mean_a2", ops.math.mul(a, a));
    // 7
    Operand<T> alpha = ops.math.sub(ops.math.div(ops.math.sqrt(meanDelta2), ops.math.sqrt(meanA2)),
        ops.math.div(meanADelta, meanA2));
    alpha = ops.select(ops.math.isFinite(alpha), alpha, ops.zerosLike(alpha));
    // 8
    Operand<T> newTau = ops.math.add(ops.math.mul(
        ops.math.sub(one, ops.math.div(ops.math.mul(meanDelta, meanDelta), ops.math.add(meanDelta2, tiny))), tau), one);
    newTau = ops.math.minimum(ops.math.maximum(newTau, constant(1.5, type)), constant(1e7, type));
    // 9
    Operand<TBool> outlierG = ops.math.greater(ops.math.abs(centred),
        ops.math.mul(two, ops.math.sqrt(ops.math.abs(ops.math.sub(meanG2, ops.math.mul(meanG, meanG))))));
    Operand<TBool> outlierA = ops.math.greater(ops.math.abs(ops.math.sub(a, meanA)),
        ops.math.mul(two, ops.math.sqrt(ops.math.abs(ops.math.sub(meanA2, ops.math.mul(meanA, meanA))))));
    newTau = ops.select(ops.math.logicalOr(outlierG, outlierA), ops.fill(ops.shape(newTau), constant(2.2, type)), newTau);
    // 10
    Operand<T> delta = ops.math.neg(ops.math.mul(alpha, corrected));
    recordRates(alpha);
    recordUpdate(delta);
    return commit(List.of(
        new Assignment<>(slotOf(variable, "mean_g"), meanG),
        new Assignment<>(slotOf(variable, "mean_g2"), meanG2),
        new Assignment<>(slotOf(variable, "numerator"), numerator),
        new Assignment<>(slotOf(variable, "denominator"), denominator),
        new Assignment<>(slotOf(variable, "mean_delta"), meanDelta),
        new Assignment<>(slotOf(variable, "mean_delta2"), meanDelta2),
        new Assignment<>(slotOf(variable, "mean_a_delta"), meanADelta),
        new Assignment<>(slotOf(variable, "mean_a"), meanA),
        new Assignment<>(slotOf(variable, "mean_a2"), meanA2),
        new Assignment<>(tau, newTau),
        new Assignment<>(slotOf(variable, "previous_gradient"), g),
        new Assignment<>(slotOf(variable, "previous_update"), delta),
        new Assignment<>(variable, ops.math.add(variable, delta))));
  }

  /** MA(slot, x) with this step's tau. */
  private interface Averager<T extends TNumber> {
    Operand<T> next(String slot, Operand<T> x);
  }
}
