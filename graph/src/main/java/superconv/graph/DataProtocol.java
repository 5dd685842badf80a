package superconv.graph;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How training and test images become network input. */
public enum DataProtocol {
  /** Raw 0-255 pixel values as floats, no augmentation: what the thesis ran. */
  THESIS("thesis"),
  /**
   * Per-channel normalization by the training set's mean and standard deviation; training images zero-padded by 4,
   * randomly cropped back and randomly flipped left-right; evaluation images normalized only.
   */
  STANDARD("standard");

  /** Pixels of zero padding on each side before the random crop of {@link #STANDARD}. */
  public static final int CROP_PADDING = 4;

  private final String id;

  DataProtocol(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /** Looks a protocol up by its id, case-insensitively; the error lists the valid ids. */
  public static DataProtocol parse(String id) {
    for (DataProtocol p : values()) {
      if (p.id.equalsIgnoreCase(id.trim())) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown data protocol '" + id + "'; valid: "
            + Arrays.stream(values()).map(DataProtocol::id).collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return id;
  }
}
