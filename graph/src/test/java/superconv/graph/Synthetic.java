package superconv.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import superconv.datasets.ImageSet;

/** Small learnable image sets for tests: the class decides which channel is bright and where. */
final class Synthetic {

  private Synthetic() {}

  static ImageSet images(String name, int count, int size, int channels, int classes, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] pixels = new byte[count * size * size * channels];
    int[] labels = new int[count];
    List<String> names = new ArrayList<>();
    for (int k = 0; k < classes; k++) {
      names.add("class" + k);
    }
    for (int i = 0; i < count; i++) {
      int label = random.nextInt(classes);
      labels[i] = label;
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          for (int c = 0; c < channels; c++) {
            int noise = random.nextInt(60);
            // class k: a bright band in row block k (mod size), other pixels noise
            boolean band = (y * classes / size) == label && (c == label % channels);
            int v = band ? 180 + noise : noise;
            pixels[((i * size + y) * size + x) * channels + c] = (byte) v;
          }
        }
      }
    }
    return new ImageSet(name, size, size, channels, pixels, labels, names);
  }
}
