package superconv.training.placement;

import java.util.Objects;

/**
 * A tensor that crosses between host and GPU memory (PCIe) when a session run executes: a fed value going to an op
 * that reads it in device memory, a fetched value coming back from device memory, or an edge between two ops whose
 * kernels keep it in different memories.
 *
 * @param tensor the tensor, {@code op:output}
 * @param dtype its element type
 * @param elementBytes bytes per element
 * @param shape its static shape, {@code -1} for a dimension known only when the graph runs
 * @param direction which way it crosses
 * @param kind a fed value, a fetched value, or an edge between two ops
 * @param consumer the op that reads it on the other side (empty for a fetched value, which the caller reads)
 * @param conditional whether it lies inside a Switch/Merge branch, so that it crosses only when that branch runs
 */
public record Transfer(String tensor, String dtype, int elementBytes, long[] shape, Direction direction, Kind kind,
    String consumer, boolean conditional) {

  /** Why a tensor crosses. */
  public enum Kind {
    /** The session's caller feeds it (from host memory) and an op reads it in device memory. */
    FEED,
    /** The caller fetches it (into host memory) and an op wrote it in device memory. */
    FETCH,
    /** One op writes it in one memory and the next reads it in the other. */
    EDGE
  }

  /** Which way a tensor crosses. */
  public enum Direction {
    TO_DEVICE("host -> gpu"),
    TO_HOST("gpu -> host");

    private final String label;

    Direction(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public Transfer {
    Objects.requireNonNull(tensor, "tensor");
    Objects.requireNonNull(dtype, "dtype");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(consumer, "consumer");
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** Its bytes, with {@code unknownDimension} for each dimension the graph leaves open (an evaluation slice's size). */
  public long bytes(long unknownDimension) {
    long n = elementBytes;
    for (long d : shape) {
      n *= d < 0 ? unknownDimension : d;
    }
    return n;
  }

  /** The shape as {@code [128, 32, 32, 3]}, {@code ?} for open dimensions, {@code []} for a scalar. */
  public String shapeText() {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < shape.length; i++) {
      b.append(i == 0 ? "" : ", ").append(shape[i] < 0 ? "?" : Long.toString(shape[i]));
    }
    return b.append(']').toString();
  }
}
