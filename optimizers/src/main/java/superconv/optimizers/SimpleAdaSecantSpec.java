package superconv.optimizers;

import static superconv.optimizers.Specs.require;
import static superconv.optimizers.Specs.table;

import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/** {@code { type = "simple-adasecant", threshold = 10 }} (threshold +inf when absent): thesis Alg. 3.2. */
public record SimpleAdaSecantSpec(double threshold) implements CalculatedRateSpec {
  public SimpleAdaSecantSpec {
    require(threshold > 0, "threshold = %s is not allowed: expected a number > 0 (inf for none)", threshold);
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
