package superconv.optimizers;

import static superconv.optimizers.Specs.require;
import static superconv.optimizers.Specs.requireParameter;
import static superconv.optimizers.Specs.table;

import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TNumber;

/** {@code { type = "sgd", momentum = 0, nesterov = false, weight_decay = 0 }}: PyTorch's SGD. */
public record SgdSpec(double momentum, boolean nesterov, double weightDecay) implements SingleOptimizerSpec {
  public SgdSpec {
    requireParameter(momentum >= 0 && momentum < 1, "momentum", momentum, "a number in [0, 1)");
    requireParameter(weightDecay >= 0 && Double.isFinite(weightDecay), "weight_decay", weightDecay,
        "a finite number >= 0");
    require(!nesterov || momentum > 0, "nesterov = true is not allowed with momentum = 0: expected momentum > 0");
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
