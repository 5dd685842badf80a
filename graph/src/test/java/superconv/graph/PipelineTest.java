package superconv.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import superconv.datasets.ImageSet;

class PipelineTest {

  /** Every image the same: pixel (y, x) = 1 + 8x + y, so a crop's position and flip can be read off its pixels. */
  static ImageSet pattern(int count) {
    int size = 8;
    byte[] pixels = new byte[count * size * size];
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      labels[i] = i % 2;
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          pixels[(i * size + y) * size + x] = (byte) (1 + 8 * x + y);
        }
      }
    }
    return new ImageSet("pattern", size, size, 1, pixels, labels, List.of("a", "b"));
  }

  @Test
  void cropOffsetsAndFlipsAreUniformAndAPureFunctionOfTheStep() {
    ImageSet set = pattern(40);
    ModelSpec model = ModelSpec.of(Network.RESNET18, 2, 2, ImageShape.of(set)).withSeed(3);
    TrainingGraphSpec spec =
        TrainingGraphSpec.of(model, set, set, 20).withStandardProtocol(new ChannelStats(new double[] {0}, new double[] {1}));
    int[] offsetCounts = new int[9];
    int flips = 0;
    int images = 0;
    try (Graph g = new Graph(); Session s = new Session(g)) {
      TrainingGraph tg = TrainingGraph.build(Ops.create(g), spec);
      tg.uploadData(s, set, set);
      for (int epoch = 0; epoch < 10; epoch++) {
        for (int step = 0; step < 2; step++) {
          float[] batch = fetchImages(s, tg, epoch, step);
          assertThat(fetchImages(s, tg, epoch, step)).containsExactly(batch);
          for (int i = 0; i < 20; i++) {
            int[] found = locate(batch, i * 64);
            offsetCounts[found[0]]++;
            offsetCounts[found[1]]++;
            flips += found[2];
            images++;
          }
        }
      }
    }
    // 400 images: flip probability 1/2 (sd 0.025), each of the 9 offsets 1/9 of 800 draws (about 89, sd 9).
    assertThat((double) flips / images).isCloseTo(0.5, within(0.1));
    for (int count : offsetCounts) {
      assertThat(count).isBetween(50, 130);
    }
  }

  /** Finds (top, left, flip) such that the crop of the zero-padded pattern equals the image at {@code base}. */
  private static int[] locate(float[] batch, int base) {
    for (int top = 0; top <= 8; top++) {
      for (int left = 0; left <= 8; left++) {
        for (int flip = 0; flip < 2; flip++) {
          boolean match = true;
          for (int r = 0; r < 8 && match; r++) {
            for (int c = 0; c < 8 && match; c++) {
              int py = top + r - 4;
              int px = left + (flip == 1 ? 7 - c : c) - 4;
              float expected = py >= 0 && py < 8 && px >= 0 && px < 8 ? 1 + 8 * px + py : 0;
              match = batch[base + r * 8 + c] == expected;
            }
          }
          if (match) {
            return new int[] {top, left, flip};
          }
        }
      }
    }
    throw new AssertionError("image at " + base + " is no crop of the padded pattern");
  }

  private static float[] fetchImages(Session s, TrainingGraph tg, long epoch, int step) {
    try (var feed = tg.feed(epoch, step); Result r = feed.apply(s.runner()).fetch(tg.pipeline().batch().images()).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      float[] out = new float[(int) t.size()];
      t.asRawTensor().data().asFloats().read(out);
      return out;
    }
  }

  @Test
  void standardNormalizationUsesTheChannelStatistics() {
    ImageSet set = Synthetic.images("s", 12, 8, 3, 3, 5);
    ChannelStats stats = ChannelStats.of(set);
    double[] mean = new double[3];
    for (int i = 0; i < set.pixels().length; i++) {
      mean[i % 3] += (set.pixels()[i] & 0xFF) / (set.pixels().length / 3.0);
    }
    assertThat(stats.mean()).containsExactly(mean, within(1e-9));
    ModelSpec model = ModelSpec.of(Network.RESNET18, 3, 2, ImageShape.of(set));
    TrainingGraphSpec spec = TrainingGraphSpec.of(model, set, set, 4).withStandardProtocol(stats).withEvalBatchSize(5);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      TrainingGraph tg = TrainingGraph.build(Ops.create(g), spec);
      tg.uploadData(s, set, set);
      try (TInt32 start = TInt32.scalarOf(10);
          Result r = s.runner().feed(tg.evalStart(), start).fetch(tg.pipeline().evalBatch().images()).fetch(tg.evalCount()).run()) {
        assertThat(((TInt32) r.get(1)).getInt()).isEqualTo(2);
        TFloat32 images = (TFloat32) r.get(0);
        assertThat(images.shape().asArray()).containsExactly(2, 8, 8, 3);
        for (int k = 0; k < 2 * 192; k++) {
          int c = k % 3;
          double expected = ((set.pixels()[10 * 192 + k] & 0xFF) - stats.mean()[c]) / stats.std()[c];
          assertThat((double) images.getFloat(k / 192, (k % 192) / 24, (k % 24) / 3, c)).isCloseTo(expected, within(1e-4));
        }
      }
    }
  }

  @Test
  void residentImagesRoundTripExactlyThroughTheirPackedStorage() {
    // 5x5x1 = 25 bytes per image: not a multiple of the 8-byte words the data is stored in
    java.util.SplittableRandom random = new java.util.SplittableRandom(8);
    int n = 13;
    byte[] pixels = new byte[n * 25];
    int[] labels = new int[n];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) random.nextInt(256);
    }
    for (int i = 0; i < n; i++) {
      labels[i] = i % 2;
    }
    ImageSet set = new ImageSet("odd", 5, 5, 1, pixels, labels, List.of("a", "b"));
    TrainingGraphSpec spec = TrainingGraphSpec.of(ModelSpec.of(Network.RESNET18, 2, 2, ImageShape.of(set)), set, set, 4).withEvalBatchSize(5);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      TrainingGraph tg = TrainingGraph.build(Ops.create(g), spec);
      tg.uploadData(s, set, set);
      try (var feed = tg.feed(0, 2);
          Result r = feed.apply(s.runner()).fetch(tg.pipeline().batch().images()).fetch(tg.pipeline().batch().indices())
              .fetch(tg.pipeline().batch().labels()).run()) {
        float[] images = BatchNormTest.floats((TFloat32) r.get(0));
        TInt32 indices = (TInt32) r.get(1);
        TInt32 batchLabels = (TInt32) r.get(2);
        for (int i = 0; i < 4; i++) {
          int index = indices.getInt(i);
          assertThat(batchLabels.getInt(i)).isEqualTo(labels[index]);
          for (int p = 0; p < 25; p++) {
            assertThat(images[i * 25 + p]).isEqualTo(pixels[index * 25 + p] & 0xFF);
          }
        }
      }
      try (TInt32 start = TInt32.scalarOf(10);
          Result r = s.runner().feed(tg.evalStart(), start).fetch(tg.pipeline().evalBatch().images()).run()) {
        float[] images = BatchNormTest.floats((TFloat32) r.get(0));
        assertThat(images).hasSize(3 * 25);
        for (int p = 0; p < 75; p++) {
          assertThat(images[p]).isEqualTo(pixels[10 * 25 + p] & 0xFF);
        }
      }
    }
  }
}
