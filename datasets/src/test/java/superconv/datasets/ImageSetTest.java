package superconv.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ImageSetTest {

  private static final List<String> TEN = Dataset.MNIST.classNames();

  /** Two RGB images of 1x2 pixels; channel values chosen so the statistics are easy by hand. */
  private static ImageSet tiny() {
    byte[] pixels = {
      0, (byte) 255, 1, /**/ 10, (byte) 255, 2, // image 0: pixel (0,0), pixel (0,1)
      20, (byte) 255, 3, /**/ 30, (byte) 255, 4 // image 1
    };
    return new ImageSet("tiny", 1, 2, 3, pixels, new int[] {3, 1}, TEN);
  }

  @Test
  void channelStatisticsMatchHandComputation() {
    ImageSet set = tiny();
    // R: 0, 10, 20, 30 -> mean 15, population variance (225 + 25 + 25 + 225) / 4 = 125.
    // G: all 255 -> mean 255, std 0. B: 1, 2, 3, 4 -> mean 2.5, variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25.
    assertThat(set.channelMean()).containsExactly(15.0, 255.0, 2.5);
    assertThat(set.channelStd()).containsExactly(Math.sqrt(125), 0.0, Math.sqrt(1.25));
  }

  @Test
  void channelStatisticsMatchTwoPassComputationOnRandomData() {
    SplittableRandom random = new SplittableRandom(7);
    int n = 500;
    int h = 4;
    int w = 5;
    int c = 3;
    byte[] pixels = new byte[n * h * w * c];
    for (int i = 0; i < pixels.length; i++) {
      // Skewed towards bright values so that mean^2 dominates and a naive single pass would lose digits.
      pixels[i] = (byte) (200 + random.nextInt(56));
    }
    int[] labels = new int[n];
    ImageSet set = new ImageSet("random", h, w, c, pixels, labels, TEN);

    double[] mean = new double[c];
    double[] std = new double[c];
    int perChannel = n * h * w;
    for (int ch = 0; ch < c; ch++) {
      double sum = 0;
      for (int i = ch; i < pixels.length; i += c) {
        sum += pixels[i] & 0xFF;
      }
      mean[ch] = sum / perChannel;
      double squares = 0;
      for (int i = ch; i < pixels.length; i += c) {
        double d = (pixels[i] & 0xFF) - mean[ch];
        squares += d * d;
      }
      std[ch] = Math.sqrt(squares / perChannel);
    }
    for (int ch = 0; ch < c; ch++) {
      assertThat(set.channelMean()[ch]).isCloseTo(mean[ch], within(1e-12));
      assertThat(set.channelStd()[ch]).isCloseTo(std[ch], within(1e-12));
    }
  }

  @Test
  void countsLabels() {
    ImageSet set = new ImageSet("s", 1, 1, 1, new byte[6], new int[] {2, 2, 0, 9, 2, 0}, TEN);
    assertThat(set.labelCounts()).containsExactly(2, 0, 3, 0, 0, 0, 0, 0, 0, 1);
  }

  @Test
  void refusesLabelsOutsideTheClasses() {
    assertThatThrownBy(() -> new ImageSet("s", 1, 1, 1, new byte[2], new int[] {0, 10}, TEN))
        .hasMessageContaining("label 10 of image 1 is outside 0..9");
  }

  @Test
  void firstTakesTheLeadingImages() {
    ImageSet set = numbered(30, 10);
    ImageSet first = set.first(4);
    assertThat(first.size()).isEqualTo(4);
    assertThat(first.labels()).containsExactly(0, 1, 2, 3);
    assertThat(first.pixels()).containsExactly(0, 0, 1, 0, 2, 0, 3, 0);
    assertThat(set.first(30)).isSameAs(set);
    assertThat(set.first(31)).isSameAs(set);
    assertThatThrownBy(() -> set.first(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void limitIsStratifiedSeededAndKeepsOrder() {
    ImageSet set = numbered(1000, 10); // 100 per class; image i has label i % 10, pixels (i, i / 256)
    ImageSet subset = set.limit(50, 42);

    assertThat(subset.size()).isEqualTo(50);
    assertThat(subset.labelCounts()).containsOnly(5);
    int previous = -1;
    for (int k = 0; k < subset.size(); k++) {
      int original = (subset.pixels()[2 * k] & 0xFF) + 256 * (subset.pixels()[2 * k + 1] & 0xFF);
      assertThat(original).isGreaterThan(previous); // original order kept, no image twice
      assertThat(subset.labels()[k]).isEqualTo(original % 10); // each image keeps its own label
      previous = original;
    }
    assertThat(set.limit(50, 42).pixels()).isEqualTo(subset.pixels());
    assertThat(set.limit(50, 43).pixels()).isNotEqualTo(subset.pixels());
    assertThat(set.limit(1000, 1)).isSameAs(set);
    assertThat(subset.name()).isEqualTo("numbered[limit 50 seed 42]");
  }

  @Test
  void limitDrawsEveryImageOfAClassWithEqualChance() {
    ImageSet set = numbered(40, 2); // 20 per class
    Map<Integer, Integer> picks = new HashMap<>();
    int draws = 4000;
    for (long seed = 0; seed < draws; seed++) {
      ImageSet subset = set.limit(4, seed);
      for (int k = 0; k < subset.size(); k++) {
        picks.merge(subset.pixels()[2 * k] & 0xFF, 1, Integer::sum);
      }
    }
    // Each image is picked with probability 2/20: expect 400 of 4000, standard deviation 19.
    for (int image = 0; image < 40; image++) {
      assertThat(picks.getOrDefault(image, 0)).as("image %d", image).isBetween(400 - 100, 400 + 100);
    }
  }

  @Test
  void stratifiedQuotasFollowLargestRemainders() {
    // Balanced: 15 over 10 equal classes -> 1 each, the 5 extra to the lowest labels (equal remainders).
    assertThat(ImageSet.stratifiedQuotas(new int[] {6, 6, 6, 6, 6, 6, 6, 6, 6, 6}, 15, 60))
        .containsExactly(2, 2, 2, 2, 2, 1, 1, 1, 1, 1);
    // Unbalanced 70/20/10 of 100, n = 7: exact shares 4.9, 1.4, 0.7 -> floors 4, 1, 0; remainders .9, .4, .7.
    assertThat(ImageSet.stratifiedQuotas(new int[] {70, 20, 10}, 7, 100)).containsExactly(5, 1, 1);
    // A class with no images gets none.
    assertThat(ImageSet.stratifiedQuotas(new int[] {5, 0, 5}, 3, 10)).containsExactly(2, 0, 1);
  }

  @Test
  void sha256CoversShapePixelsAndLabelsAsDocumented() throws Exception {
    ImageSet set = tiny();
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    digest.update(new byte[] {0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 2});
    digest.update(set.pixels());
    digest.update(new byte[] {0, 0, 0, 3, 0, 0, 0, 1});
    assertThat(set.sha256()).isEqualTo(HexFormat.of().formatHex(digest.digest()));

    byte[] changed = set.pixels().clone();
    changed[5] = 3;
    assertThat(new ImageSet("other name", 1, 2, 3, changed, set.labels(), TEN).sha256()).isNotEqualTo(set.sha256());
    assertThat(new ImageSet("other name", 1, 2, 3, set.pixels().clone(), set.labels(), TEN).sha256())
        .isEqualTo(set.sha256());
    assertThat(new ImageSet("s", 1, 2, 3, set.pixels(), new int[] {3, 2}, TEN).sha256()).isNotEqualTo(set.sha256());
  }

  /** {@code n} images of 1x2x1 whose two pixels spell the image's index (low byte, high byte); label = index % classes. */
  private static ImageSet numbered(int n, int classes) {
    byte[] pixels = new byte[2 * n];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      ByteBuffer.wrap(pixels, 2 * i, 2).put((byte) i).put((byte) (i >> 8));
      labels[i] = i % classes;
    }
    return new ImageSet("numbered", 1, 2, 1, pixels, labels, TEN.subList(0, classes));
  }
}
