package superconv.datasets;

import static com.google.common.base.Preconditions.checkArgument;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

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
    for (int i = 0; i < labels.length; i++) {
      checkArgument(labels[i] >= 0 && labels[i] < classNames.size(),
          "%s: label %s of image %s is outside 0..%s", name, labels[i], i, classNames.size() - 1);
    }
  }

  /** Per-channel mean and population standard deviation of the pixel values, on the 0-255 scale. */
  public record ChannelStats(double[] mean, double[] std) {}

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

  /** Images per class, indexed by label. */
  public int[] labelCounts() {
    int[] counts = new int[classes()];
    for (int label : labels) {
      counts[label]++;
    }
    return counts;
  }

  /** Mean of each channel over all pixels of all images, 0-255 scale. */
  public double[] channelMean() {
    return channelStats().mean();
  }

  /** Population standard deviation of each channel over all pixels of all images, 0-255 scale. */
  public double[] channelStd() {
    return channelStats().std();
  }

  /**
   * Mean and population standard deviation per channel, in one pass. The sums of values and of squares are exact
   * integers; the variance {@code (n * sum(x^2) - sum(x)^2) / n^2} is formed exactly and rounded once to double, so
   * there is no cancellation error however large the set.
   */
  public ChannelStats channelStats() {
    long[] sum = new long[channels];
    long[] sumSquares = new long[channels];
    byte[] px = pixels;
    if (channels == 1) {
      long s = 0;
      long q = 0;
      for (byte b : px) {
        int v = b & 0xFF;
        s += v;
        q += v * v;
      }
      sum[0] = s;
      sumSquares[0] = q;
    } else {
      for (int i = 0; i < px.length; i += channels) {
        for (int c = 0; c < channels; c++) {
          int v = px[i + c] & 0xFF;
          sum[c] += v;
          sumSquares[c] += v * v;
        }
      }
    }
    long n = (long) size() * height * width;
    double[] mean = new double[channels];
    double[] std = new double[channels];
    if (n == 0) {
      Arrays.fill(mean, Double.NaN);
      Arrays.fill(std, Double.NaN);
      return new ChannelStats(mean, std);
    }
    BigInteger count = BigInteger.valueOf(n);
    double countSquared = (double) n * n;
    for (int c = 0; c < channels; c++) {
      mean[c] = (double) sum[c] / n;
      BigInteger s = BigInteger.valueOf(sum[c]);
      BigInteger numerator = count.multiply(BigInteger.valueOf(sumSquares[c])).subtract(s.multiply(s));
      std[c] = Math.sqrt(numerator.doubleValue() / countSquared);
    }
    return new ChannelStats(mean, std);
  }

  /**
   * The images at the given indices, in the given order, as a new set (pixels copied).
   *
   * @param suffix appended to the name, e.g. {@code "[first 100]"}
   */
  public ImageSet select(int[] indices, String suffix) {
    int bytes = imageBytes();
    byte[] outPixels = new byte[Math.multiplyExact(indices.length, bytes)];
    int[] outLabels = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      int index = indices[i];
      checkArgument(index >= 0 && index < size(), "index %s outside 0..%s", index, size() - 1);
      System.arraycopy(pixels, index * bytes, outPixels, i * bytes, bytes);
      outLabels[i] = labels[index];
    }
    return new ImageSet(name + suffix, height, width, channels, outPixels, outLabels, classNames);
  }

  /** The first {@code n} images (all of them when {@code n >= size()}). */
  public ImageSet first(int n) {
    checkArgument(n > 0, "a subset needs at least one image, got %s", n);
    if (n >= size()) {
      return this;
    }
    int[] indices = new int[n];
    Arrays.setAll(indices, i -> i);
    return select(indices, "[first " + n + "]");
  }

  /**
   * A seeded stratified sample of {@code n} images (all of them when {@code n >= size()}).
   *
   * <p>Exact semantics, so that a seed names one subset forever:
   * <ol>
   *   <li>Each class gets a quota proportional to its share of the set, {@code n * count_c / size}; the floors are
   *       taken first and the images still missing go one each to the classes with the largest remainders, ties to
   *       the lower label. A balanced set with {@code n} a multiple of the class count thus gets exactly
   *       {@code n / classes} per class, and no quota differs from its exact share by one or more.</li>
   *   <li>Within each class, in label order, the images are the first {@code quota} of a Fisher-Yates shuffle of that
   *       class's indices (in their original order) driven by one {@code java.util.Random(seed)} shared across the
   *       classes. {@code Random}'s algorithm is fixed by the Java specification, so the subset is the same on every
   *       JVM.</li>
   *   <li>The chosen images keep their original relative order.</li>
   * </ol>
   */
  public ImageSet limit(int n, long seed) {
    checkArgument(n > 0, "a subset needs at least one image, got %s", n);
    if (n >= size()) {
      return this;
    }
    int[] counts = labelCounts();
    int[] quota = stratifiedQuotas(counts, n, size());
    int[][] byClass = new int[counts.length][];
    for (int c = 0; c < counts.length; c++) {
      byClass[c] = new int[counts[c]];
    }
    int[] filled = new int[counts.length];
    for (int i = 0; i < labels.length; i++) {
      byClass[labels[i]][filled[labels[i]]++] = i;
    }
    Random random = new Random(seed);
    boolean[] chosen = new boolean[size()];
    for (int c = 0; c < counts.length; c++) {
      int[] members = byClass[c];
      // Partial Fisher-Yates: position k takes a uniform pick among the members not yet placed.
      for (int k = 0; k < quota[c]; k++) {
        int j = k + random.nextInt(members.length - k);
        int swap = members[k];
        members[k] = members[j];
        members[j] = swap;
        chosen[members[k]] = true;
      }
    }
    int[] indices = new int[n];
    int next = 0;
    for (int i = 0; i < chosen.length; i++) {
      if (chosen[i]) {
        indices[next++] = i;
      }
    }
    return select(indices, "[limit " + n + " seed " + seed + "]");
  }

  /** Largest-remainder apportionment of {@code n} over classes proportional to {@code counts} (which sum to total). */
  static int[] stratifiedQuotas(int[] counts, int n, int total) {
    int[] quota = new int[counts.length];
    long[] remainder = new long[counts.length];
    int assigned = 0;
    for (int c = 0; c < counts.length; c++) {
      long share = (long) n * counts[c];
      quota[c] = (int) (share / total);
      remainder[c] = share % total;
      assigned += quota[c];
    }
    for (int missing = n - assigned; missing > 0; missing--) {
      int best = -1;
      for (int c = 0; c < counts.length; c++) {
        if (quota[c] < counts[c] && (best < 0 || remainder[c] > remainder[best])) {
          best = c;
        }
      }
      quota[best]++;
      remainder[best] = -1;
    }
    return quota;
  }

  /**
   * SHA-256 (lower-case hex) of the content: height, width, channels and image count as big-endian int32, then the
   * pixel bytes, then each label as a big-endian int32. Names and class names are not part of it: two sets with the
   * same images and labels have the same checksum.
   */
  public String sha256() {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
    digest.update(ByteBuffer.allocate(16).putInt(height).putInt(width).putInt(channels).putInt(size()).flip());
    digest.update(pixels);
    ByteBuffer labelBytes = ByteBuffer.allocate(labels.length * Integer.BYTES);
    labelBytes.asIntBuffer().put(labels);
    digest.update(labelBytes);
    return HexFormat.of().formatHex(digest.digest());
  }

  @Override
  public String toString() {
    return String.format("ImageSet[%s: %d images %dx%dx%d, %d classes]", name, size(), height, width, channels, classes());
  }
}
