package superconv.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class BatchNormTest {

  /**
   * Runs k steps of the moving-statistics updates of the stem's batch norm and compares with PyTorch's update
   * computed here in double precision: moving = 0.9 moving + 0.1 batch, batch variance unbiased.
   */
  @Test
  void movingStatisticsFollowPyTorchAfterSeveralSteps() {
    TrainingGraphSpec spec = TrainingGraphTest.spec(3, 10);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      TrainingGraph tg = TrainingGraph.build(Ops.create(g), spec);
      s.run(tg.initializer());
      tg.uploadData(s, TrainingGraphTest.TRAIN, TrainingGraphTest.TEST);
      Output<?> conv = g.operation("train/stem/conv/Conv2d").output(0);
      int channels = 3;
      double[] mean = new double[channels];
      double[] variance = {1, 1, 1};
      for (int step = 0; step < 4; step++) {
        float[] x;
        try (var feed = tg.feed(0, step)) {
          var runner = feed.apply(s.runner()).fetch(conv);
          tg.batchNormUpdates().forEach(runner::addTarget);
          try (Result r = runner.run()) {
            x = floats((TFloat32) r.get(0));
          }
        }
        int n = x.length / channels;
        for (int c = 0; c < channels; c++) {
          double sum = 0;
          for (int i = c; i < x.length; i += channels) {
            sum += x[i];
          }
          double batchMean = sum / n;
          double squares = 0;
          for (int i = c; i < x.length; i += channels) {
            squares += (x[i] - batchMean) * (x[i] - batchMean);
          }
          mean[c] = 0.9 * mean[c] + 0.1 * batchMean;
          variance[c] = 0.9 * variance[c] + 0.1 * squares / (n - 1);
        }
      }
      try (Result r = s.runner().fetch("stem/bn/moving_mean").fetch("stem/bn/moving_variance").run()) {
        float[] movingMean = floats((TFloat32) r.get(0));
        float[] movingVariance = floats((TFloat32) r.get(1));
        for (int c = 0; c < channels; c++) {
          assertThat((double) movingMean[c]).isCloseTo(mean[c], within(1e-4 * Math.max(1, Math.abs(mean[c]))));
          assertThat((double) movingVariance[c]).isCloseTo(variance[c], within(1e-4 * variance[c]));
        }
        // Not the biased variance: the two differ by a factor n / (n - 1) = 640 / 639 in the batch term.
        assertThat(variance[0]).isNotEqualTo(1.0);
      }
    }
  }

  static float[] floats(TFloat32 t) {
    float[] out = new float[(int) t.size()];
    t.asRawTensor().data().asFloats().read(out);
    return out;
  }
}
