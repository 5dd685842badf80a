package superconv.training.placement;

import java.util.Objects;

/**
 * A variable of a run's graph and where it lives for the whole session.
 *
 * @param name its op name
 * @param role what it holds: weights, batch-norm statistics, optimizer state, resident data, permutation cache, other
 * @param dtype its element type
 * @param bytes its size
 * @param device where its value lives: {@link DeviceClass#GPU} on the card, {@link DeviceClass#CPU} in host memory
 */
public record ResidentVariable(String name, String role, String dtype, long bytes, DeviceClass device) {

  public ResidentVariable {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(dtype, "dtype");
    Objects.requireNonNull(device, "device");
  }
}
