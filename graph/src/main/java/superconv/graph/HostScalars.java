package superconv.graph;

import org.tensorflow.DeviceSpec;
import org.tensorflow.op.Ops;

/**
 * Ops pinned to the CPU, for the small values that TensorFlow's GPU kernels read from host memory anyway: the seeds
 * of the stateless random ops, slice bounds and the value a pad fills with. Computed where they are read, they never
 * cross to the GPU and back within a step; on a CPU-only run the pin changes nothing.
 */
final class HostScalars {

  private static final DeviceSpec CPU = DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.CPU).build();

  private HostScalars() {}

  /** {@code s}'s scope (names, control dependencies), with its ops on the CPU. */
  static Ops of(Ops s) {
    return s.withDevice(CPU);
  }
}
