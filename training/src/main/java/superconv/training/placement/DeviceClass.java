package superconv.training.placement;

/** Where an op of a graph built for a GPU would compute, as TensorFlow's placer decides it. */
public enum DeviceClass {
  /** A GPU kernel with its data in device memory: the op runs on the card. */
  GPU("gpu"),
  /**
   * A GPU kernel that keeps every input and output in host memory: TensorFlow's rule for most int32 kernels (int32
   * tensors are taken to be shapes and indices). Placed on the GPU, it computes on the CPU.
   */
  GPU_HOST_MEMORY("gpu (host memory)"),
  /**
   * No GPU kernel for the op and its dtypes, or bound by a reference edge to an op that has none: soft placement
   * puts it on the CPU.
   */
  CPU("cpu");

  private final String label;

  DeviceClass(String label) {
    this.label = label;
  }

  /** As the audit prints it: gpu, gpu (host memory), cpu. */
  public String label() {
    return label;
  }

  /** Whether the op computes on the host although the graph asked for the GPU. */
  public boolean onHost() {
    return this != GPU;
  }
}
