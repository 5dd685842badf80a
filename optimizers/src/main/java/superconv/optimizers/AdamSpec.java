package superconv.optimizers;

import static superconv.optimizers.Specs.requireParameter;
import static superconv.optimizers.Specs.table;

import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/**
 * {@code { type = "adam", beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8 }}: PyTorch's Adam; type {@code cus-adam}
 * ({@code firstMomentCorrection} false) drops the first moment's bias correction (thesis 3.2).
 */
public record AdamSpec(double beta1, double beta2, double epsilon, boolean firstMomentCorrection)
    implements SingleOptimizerSpec {
  public AdamSpec {
    requireParameter(beta1 >= 0 && beta1 < 1, "beta1", beta1, "a number in [0, 1)");
    requireParameter(beta2 >= 0 && beta2 < 1, "beta2", beta2, "a number in [0, 1)");
    requireParameter(epsilon > 0 && Double.isFinite(epsilon), "epsilon", epsilon, "a finite number > 0");
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
