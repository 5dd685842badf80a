package superconv.graph;

import static com.google.common.base.Preconditions.checkArgument;

import superconv.datasets.ImageSet;

/** Height, width and channels of the images a network takes. */
public record ImageShape(int height, int width, int channels) {

  public ImageShape {
    checkArgument(height > 0 && width > 0 && channels > 0, "image shape must be positive: %sx%sx%s", height, width, channels);
  }

  /** The shape of the images in a data set. */
  public static ImageShape of(ImageSet set) {
    return new ImageShape(set.height(), set.width(), set.channels());
  }

  /** Bytes (uint8 values) per image. */
  public int pixels() {
    return height * width * channels;
  }

  @Override
  public String toString() {
    return height + "x" + width + "x" + channels;
  }
}
