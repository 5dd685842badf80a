package superconv.training.placement;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one list of the ops that compute on the host on a GPU machine on purpose, each kind with its reason. The
 * placement audit marks them, {@code graph summary --placement} prints their reasons, and the placement test fails on
 * any op of a training step, an evaluation slice or a serving call that computes on the host and is not listed here.
 */
public final class DeliberateHostOps {

  /** The scopes TensorFlow's C++ gradient builder puts its ops in: gradients, gradients_1, ... */
  private static final Pattern GRADIENTS = Pattern.compile("gradients(_\\d+)?/.*");

  /**
   * One kind of deliberate host op.
   *
   * @param what a short name for the kind, as printed
   * @param reason why it stays on the host
   * @param devices where such ops compute
   * @param pinned whether the graph itself must ask for the CPU (as {@code HostScalars} does)
   * @param types op types it covers; empty for any
   * @param names the op names it covers
   */
  public record Entry(String what, String reason, Set<DeviceClass> devices, boolean pinned, Set<String> types,
      Pattern names) {

    public Entry {
      devices = Set.copyOf(devices);
      types = Set.copyOf(types);
    }

    /** Whether {@code op} is of this kind. */
    public boolean covers(OpPlacement op) {
      return devices.contains(op.device()) && (!pinned || op.pinnedToCpu())
          && (types.isEmpty() || types.contains(op.type())) && names.matcher(op.name()).matches();
    }
  }

  /** Every kind, in the order they are checked. */
  public static final List<Entry> ENTRIES = List.of(
      new Entry("constants",
          "a constant computes nothing; TensorFlow keeps an int32 one (a shape, an axis, a size) in host memory, where"
              + " the kernels that read such values want it, and the graph makes host scalars' constants on the CPU",
          Set.of(DeviceClass.CPU, DeviceClass.GPU_HOST_MEMORY), false, Set.of("Const"), Pattern.compile(".*")),
      new Entry("host scalars",
          "scalar arithmetic the graph pins to the CPU because GPU kernels read its results from host memory: the"
              + " global step and the stateless random ops' seeds, slice bounds, the permutation cache's hit-or-miss"
              + " switch and the value pads fill with; computed there, none of it crosses PCIe",
          Set.of(DeviceClass.CPU), true, Set.of(),
          Pattern.compile("input/(feed|batch|next_batch|eval_batch|permutation)/.*"
              + "|(train|train_next|eval|inference)/.*/conv\\d*/Cast(_\\d+)?")),
      new Entry("gradient shape arithmetic",
          "TensorFlow's C++ gradients compute the shapes they broadcast and reduce over as int32 tensors, which its GPU"
              + " kernels keep in host memory; Grappler's constant folding turns most of it into constants when the"
              + " shapes are static, as every shape of a training step is",
          Set.of(DeviceClass.GPU_HOST_MEMORY), false, Set.of(), GRADIENTS));

  private DeliberateHostOps() {}

  /** The kind {@code op} is of; empty for an op that is not deliberately on the host (or not on the host at all). */
  public static Optional<Entry> entryFor(OpPlacement op) {
    if (!op.device().onHost()) {
      return Optional.empty();
    }
    return ENTRIES.stream().filter(e -> e.covers(op)).findFirst();
  }

  /** Whether {@code op} computes on the host without a listed reason. */
  public static boolean unexpected(OpPlacement op) {
    return op.device().onHost() && entryFor(op).isEmpty();
  }

  /** Whether a tensor crossing between two ops is TensorFlow's gradient shape arithmetic (see {@link #ENTRIES}). */
  static boolean gradientShapeArithmetic(Transfer transfer) {
    return GRADIENTS.matcher(transfer.tensor()).matches() && GRADIENTS.matcher(transfer.consumer()).matches();
  }
}
