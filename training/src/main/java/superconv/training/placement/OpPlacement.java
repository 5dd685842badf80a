package superconv.training.placement;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One op of an audited graph and where it would run on a GPU machine.
 *
 * @param name the op's name in the graph, e.g. {@code input/batch/gather_images}
 * @param type the op type, e.g. {@code GatherV2}
 * @param dtypes the node's type attributes, e.g. {@code Tparams=int64, Tindices=int32}; empty when it has none
 * @param requestedDevice the device the graph asks for, e.g. {@code /device:GPU:0}; empty for none (gradients)
 * @param device where it computes
 * @param reason why it is not {@link DeviceClass#GPU}: the missing kernel, the reference edge, the host-memory
 *     kernel; empty for GPU ops
 * @param hostMemoryArgs the inputs and outputs the chosen kernel keeps in host memory (KernelDef.host_memory_arg);
 *     every argument of an op on the CPU is in host memory and is not listed
 */
public record OpPlacement(String name, String type, String dtypes, String requestedDevice, DeviceClass device,
    String reason, List<String> hostMemoryArgs) {

  public OpPlacement {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(dtypes, "dtypes");
    Objects.requireNonNull(requestedDevice, "requestedDevice");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(reason, "reason");
    hostMemoryArgs = List.copyOf(hostMemoryArgs);
  }

  /** Whether the graph itself puts the op on the CPU (as it does with host scalars). */
  public boolean pinnedToCpu() {
    return requestedDevice.toUpperCase(Locale.ROOT).contains("CPU");
  }
}
