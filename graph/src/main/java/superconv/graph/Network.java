package superconv.graph;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The two residual networks of kuangliu/pytorch-cifar that the thesis trains: stages of widths w, 2w, 4w, 8w with
 * strides 1, 2, 2, 2, built from basic blocks (ResNet18) or bottleneck blocks with expansion 4 (ResNet50).
 */
public enum Network {
  RESNET18("resnet18", false, List.of(2, 2, 2, 2)),
  RESNET50("resnet50", true, List.of(3, 4, 6, 3));

  private final String id;
  private final boolean bottleneck;
  private final List<Integer> blocksPerStage;

  Network(String id, boolean bottleneck, List<Integer> blocksPerStage) {
    this.id = id;
    this.bottleneck = bottleneck;
    this.blocksPerStage = blocksPerStage;
  }

  /** The name used on the command line and in manifests: {@code resnet18}, {@code resnet50}. */
  public String id() {
    return id;
  }

  /** Whether the blocks are bottlenecks (1x1, 3x3, 1x1 with expansion 4) rather than two 3x3 convolutions. */
  public boolean bottleneck() {
    return bottleneck;
  }

  /** Output channels of a block relative to its planes: 4 for bottlenecks, 1 for basic blocks. */
  public int expansion() {
    return bottleneck ? 4 : 1;
  }

  /** Blocks in each of the four stages. */
  public List<Integer> blocksPerStage() {
    return blocksPerStage;
  }

  /** Looks a network up by its id, case-insensitively; the error lists the valid ids. */
  public static Network parse(String id) {
    for (Network network : values()) {
      if (network.id.equalsIgnoreCase(id.trim())) {
        return network;
      }
    }
    throw new IllegalArgumentException(
        "unknown network '" + id + "'; valid: "
            + Arrays.stream(values()).map(Network::id).collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return id.toLowerCase(Locale.ROOT);
  }
}
