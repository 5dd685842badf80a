package superconv.datasets;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.List;

/**
 * One split of an image data set held in memory: uint8 pixels in NHWC order and one int label per image.
 *
 * <p>The pixel array is shared, not copied, for speed: treat it as read-only.
 */
public record ImageSet(
    String name, int height, int width, int channels, byte[] pixels, int[] labels, List<String> classNames) {

  public ImageSet {
    checkArgument(height > 0 && width > 0 && channels > 0, "image shape must be positive: %sx%sx%s", height, width, channels);
    checkArgument(
        pixels.length == (long) labels.length * height * width * channels,
        "%s: %s pixel bytes do not hold %s images of %sx%sx%s",
        name, pixels.length, labels.length, height, width, channels);
    classNames = List.copyOf(classNames);
  }

  /** Number of images. */
  public int size() {
    return labels.length;
  }

  /** Number of classes. */
  public int classes() {
    return classNames.size();
  }

  /** Bytes per image: height * width * channels. */
  public int imageBytes() {
    return height * width * channels;
  }
}
