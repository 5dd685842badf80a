package superconv.graph;

/**
 * Memory layout of activations. The pipeline always produces NHWC batches; with {@link #NCHW} the network
 * transposes once at its input. TensorFlow's CPU convolutions only run NHWC; cuDNN is usually faster with NCHW.
 */
public enum DataFormat {
  NHWC,
  NCHW;

  /** The value of TensorFlow's {@code data_format} attribute. */
  public String attribute() {
    return name();
  }

  /** Axis of the channels in a 4-D activation. */
  public int channelAxis() {
    return this == NHWC ? 3 : 1;
  }

  /** The two spatial axes of a 4-D activation. */
  public int[] spatialAxes() {
    return this == NHWC ? new int[] {1, 2} : new int[] {2, 3};
  }

  /** A per-axis list (stride, padding) for the two spatial axes, the others 1 (or 0 for paddings). */
  long[] spatial(long value, long other) {
    return this == NHWC
        ? new long[] {other, value, value, other}
        : new long[] {other, other, value, value};
  }
}
