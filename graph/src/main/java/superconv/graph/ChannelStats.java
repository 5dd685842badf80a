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

  /**
   * Mean and population standard deviation of every channel over all pixels of all images of {@code set} (computed
   * by {@link ImageSet#channelStats()}). A constant channel (standard deviation 0) is left unscaled (std 1).
   */
  public static ChannelStats of(ImageSet set) {
    ImageSet.ChannelStats stats = set.channelStats();
    double[] std = stats.std().clone();
    for (int c = 0; c < std.length; c++) {
      if (!(std[c] > 1e-6)) {
        std[c] = 1.0;
      }
    }
    return new ChannelStats(stats.mean(), std);
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
