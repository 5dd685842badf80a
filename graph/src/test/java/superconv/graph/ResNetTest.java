package superconv.graph;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
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
}
