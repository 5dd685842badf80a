package superconv.optimizers;

import static superconv.optimizers.Specs.table;

import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/** {@code { type = "adasecant" }}: thesis Alg. 3.1 with the decisions of 3.3; needs the next batch's loss. */
public record AdaSecantSpec() implements CalculatedRateSpec {
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
