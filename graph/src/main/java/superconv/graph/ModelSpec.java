package superconv.graph;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Objects;

/**
 * What defines a network's variables: architecture, classes, base width (64 in the reference), input image shape,
 * activation layout and the seed of its initial weights.
 */
public record ModelSpec(
    Network network, int classes, int width, ImageShape input, DataFormat dataFormat, long seed) {

  /** The reference base width of kuangliu/pytorch-cifar. */
  public static final int REFERENCE_WIDTH = 64;

  public ModelSpec {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(dataFormat, "dataFormat");
    checkArgument(classes >= 2, "classes must be at least 2, got %s", classes);
    checkArgument(width >= 1, "width must be at least 1, got %s", width);
  }

  /** A spec with NHWC layout and seed 0. */
  public static ModelSpec of(Network network, int classes, int width, ImageShape input) {
    return new ModelSpec(network, classes, width, input, DataFormat.NHWC, 0L);
  }

  public ModelSpec withSeed(long newSeed) {
    return new ModelSpec(network, classes, width, input, dataFormat, newSeed);
  }

  public ModelSpec withDataFormat(DataFormat newFormat) {
    return new ModelSpec(network, classes, width, input, newFormat, seed);
  }
}
