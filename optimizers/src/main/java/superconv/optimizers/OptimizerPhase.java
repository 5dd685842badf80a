package superconv.optimizers;

import static superconv.optimizers.Specs.require;
import static superconv.optimizers.Specs.requireParameter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One phase of a {@link SwitchingSpec}: {@code optimizer} for {@code epochs} epochs (null: to the end of the run),
 * fed by {@code schedule}, a schedule table laid over the phase alone and read when the switching spec is laid over
 * a run (null for optimizers that ignore the fed rate).
 */
public record OptimizerPhase(Long epochs, OptimizerSpec optimizer, Map<String, Object> schedule) {
  public OptimizerPhase {
    requireParameter(epochs == null || epochs > 0, "epochs", epochs, "a whole number > 0");
    Objects.requireNonNull(optimizer, "optimizer");
    require(!(optimizer instanceof SwitchingSpec), "a phase cannot itself be a switching optimizer");
    require(schedule != null || !optimizer.usesRate(), "missing key 'schedule': %s uses the fed learning rate",
        optimizer.type());
    schedule = schedule == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(schedule));
  }
}
