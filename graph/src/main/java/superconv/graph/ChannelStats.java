package superconv.graph;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;
import superconv.datasets.ImageSet;

/**
 * Per-channel mean and (population) standard deviation of pixel values in 0-255 scale, the constants of the
 * {@link DataProtocol#STANDARD} normalization {@code (x - mean) / std}.
 */
public record ChannelStats(double[] mean, double[] std) {

  public ChannelStats {
    checkArgument(mean.length == std.length && mean.length > 0, "mean and std need one value per channel");
    for (double s : std) {
      checkArgument(s > 0 && Double.isFinite(s), "standard deviations must be positive and finite: %s", Arrays.toString(std));
    }
    mean = mean.clone();
    std = std.clone();
  }

  /** Mean and standard deviation of every channel over all pixels of all images of {@code set}. */
  public static ChannelStats of(ImageSet set) {
    int c = set.channels();
    long[] sum = new long[c];
    long[] sumSquares = new long[c];
    byte[] pixels = set.pixels();
    for (int i = 0; i < pixels.length; i++) {
      int v = pixels[i] & 0xFF;
      sum[i % c] += v;
      sumSquares[i % c] += v * v;
    }
    double n = (double) pixels.length / c;
    double[] mean = new double[c];
    double[] std = new double[c];
    for (int k = 0; k < c; k++) {
      mean[k] = sum[k] / n;
      // A constant channel would divide by zero; leave it unscaled.
      double variance = sumSquares[k] / n - mean[k] * mean[k];
      std[k] = variance > 1e-12 ? Math.sqrt(variance) : 1.0;
    }
    return new ChannelStats(mean, std);
  }

  public int channels() {
    return mean.length;
  }

  @Override
  public double[] mean() {
    return mean.clone();
  }

  @Override
  public double[] std() {
    return std.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChannelStats other && Arrays.equals(mean, other.mean) && Arrays.equals(std, other.std);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    return "ChannelStats[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
  }
}
