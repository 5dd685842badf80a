package superconv.graph;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class ResNetTest {

  @ParameterizedTest
  @CsvSource({
    "resnet18, 10, 11173962",
    "resnet18, 100, 11220132",
    "resnet50, 10, 23520842",
    "resnet50, 100, 23705252"
  })
  void referenceParameterCountsAndShapes(String network, int classes, long parameters) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      ResNet<TFloat32> net = ResNet.create(tf, ModelSpec.of(Network.parse(network), classes, 64, new ImageShape(32, 32, 3)));
      assertThat(net.parameters()).isEqualTo(parameters);
      var images = tf.placeholder(TFloat32.class, org.tensorflow.op.core.Placeholder.shape(Shape.of(-1, 32, 32, 3)));
      var tower = net.forward(images, ResNet.Mode.TRAIN, "train");
      assertThat(tower.logits().shape().asArray()).containsExactly(-1, classes);
      int expansion = Network.parse(network).expansion();
      assertThat(net.stages().get(4).channels()).isEqualTo(512 * expansion);
      assertThat(net.stages().get(4).height()).isEqualTo(4);
      assertThat(g.operation("stage2/block0/shortcut/bn/moving_mean")).isNotNull();
      assertThat(g.operation("stem/conv/kernel")).isNotNull();
      assertThat(g.operation("head/dense/bias")).isNotNull();
    }
  }

  @Test
  void nchwLayoutComputesTheSameLogitsAsNhwc() {
    float[][] logits = new float[2][];
    for (DataFormat format : DataFormat.values()) {
      try (Graph g = new Graph(); Session s = new Session(g)) {
        Ops tf = Ops.create(g);
        ResNet<TFloat32> net = ResNet.create(tf, new ModelSpec(Network.RESNET50, 5, 2, new ImageShape(8, 8, 3), format, 4));
        Operand<TFloat32> x =
            tf.random.statelessRandomUniform(tf.constant(new int[] {4, 8, 8, 3}), tf.constant(new long[] {1, 2}), TFloat32.class);
        Operand<TFloat32> train = net.forward(x, ResNet.Mode.TRAIN, "train").logits();
        Operand<TFloat32> eval = net.forward(x, ResNet.Mode.EVAL, "eval").logits();
        s.run(net.initializer());
        try (Result r = s.runner().fetch(train).fetch(eval).run()) {
          float[] a = BatchNormTest.floats((TFloat32) r.get(0));
          float[] b = BatchNormTest.floats((TFloat32) r.get(1));
          logits[format.ordinal()] = new float[a.length + b.length];
          System.arraycopy(a, 0, logits[format.ordinal()], 0, a.length);
          System.arraycopy(b, 0, logits[format.ordinal()], a.length, b.length);
        }
      }
    }
    // Same math in another summation order: float rounding only (a layout bug would differ by O(1)).
    for (int i = 0; i < logits[0].length; i++) {
      assertThat(logits[1][i]).isCloseTo(logits[0][i], within(1e-3f * Math.max(1, Math.abs(logits[0][i]))));
    }
  }

  /**
   * oneDNN 3.5's strided 1x1 weight gradient writes past its buffer below 16 input channels (NHWC, AVX-512): the fork
   * died with heap corruption on such CPUs. Narrow strided shortcuts subsample first, so this trains; wide ones stay
   * one strided op.
   */
  @Test
  void narrowStridedShortcutsTrainWithOneDnn() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      ResNet<TFloat32> net = ResNet.create(tf, ModelSpec.of(Network.RESNET18, 10, 2, new ImageShape(32, 32, 3)));
      Operand<TFloat32> x =
          tf.random.statelessRandomUniform(tf.constant(new int[] {16, 32, 32, 3}), tf.constant(new long[] {3, 4}), TFloat32.class);
      Operand<TFloat32> logits = net.forward(x, ResNet.Mode.TRAIN, "train").logits();
      Operand<TFloat32> loss = tf.reduceSum(tf.math.square(logits), tf.constant(new int[] {0, 1}));
      var variables = net.trainableVariables();
      var gradients = tf.gradients(loss, variables);
      s.run(net.initializer());
      for (int step = 0; step < 3; step++) {
        Session.Runner runner = s.runner();
        for (int v = 0; v < variables.size(); v++) {
          runner.fetch(gradients.dy(v));
        }
        try (Result r = runner.run()) {
          for (int v = 0; v < variables.size(); v++) {
            for (float value : BatchNormTest.floats((TFloat32) r.get(v))) {
              assertThat(value).isFinite();
            }
          }
        }
      }
      assertThat(g.operation("train/stage2/block0/shortcut/conv/subsample")).isNotNull();
    }
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      ResNet<TFloat32> net = ResNet.create(tf, ModelSpec.of(Network.RESNET18, 10, 16, new ImageShape(32, 32, 3)));
      net.forward(tf.placeholder(TFloat32.class, org.tensorflow.op.core.Placeholder.shape(Shape.of(-1, 32, 32, 3))),
          ResNet.Mode.TRAIN, "train");
      assertThat(g.operation("train/stage2/block0/shortcut/conv/subsample")).isNull();
    }
  }

  @Test
  void aSeedGivesTheSameWeightsAndInitializationFollowsPyTorchBounds() {
    float[] first = stemKernel(9);
    assertThat(stemKernel(9)).containsExactly(first);
    assertThat(stemKernel(10)).isNotEqualTo(first);
    double bound = 1 / Math.sqrt(3 * 3 * 3); // fan_in of the stem conv: 3 input channels x 3 x 3
    double max = 0;
    double sum = 0;
    for (float w : first) {
      max = Math.max(max, Math.abs(w));
      sum += w * w;
    }
    assertThat(max).isLessThanOrEqualTo(bound).isGreaterThan(0.9 * bound);
    // uniform(-b, b) has variance b^2 / 3; 27 x 16 = 432 draws
    assertThat(sum / first.length).isCloseTo(bound * bound / 3, within(0.25 * bound * bound / 3));
  }

  private static float[] stemKernel(long seed) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      ResNet<TFloat32> net = ResNet.create(Ops.create(g), ModelSpec.of(Network.RESNET18, 10, 16, new ImageShape(32, 32, 3)).withSeed(seed));
      s.run(net.initializer());
      try (Result r = s.runner().fetch("stem/conv/kernel").fetch("stem/bn/gamma").fetch("stem/bn/moving_variance").run()) {
        assertThat(BatchNormTest.floats((TFloat32) r.get(1))).containsOnly(1f);
        assertThat(BatchNormTest.floats((TFloat32) r.get(2))).containsOnly(1f);
        return BatchNormTest.floats((TFloat32) r.get(0));
      }
    }
  }
}
