package superconv.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat64;

/** Gradients of a width-2 float64 ResNet (train-mode batch norm) against central finite differences. */
class GradientCheckTest {

  @Test
  void analyticGradientsMatchCentralDifferences() {
    for (Network network : Network.values()) {
      check(network);
    }
  }

  private static void check(Network network) {
    int batch = 4;
    ImageShape shape = new ImageShape(6, 6, 2);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      ResNet<TFloat64> net = ResNet.create(tf, ModelSpec.of(network, 3, 2, shape).withSeed(11), TFloat64.class);
      Placeholder<TFloat64> images = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(batch, 6, 6, 2)));
      Operand<TFloat64> logits = net.forward(images, ResNet.Mode.TRAIN, "train").logits();
      Operand<TFloat64> targets =
          tf.oneHot(tf.constant(new int[] {0, 1, 2, 1}), tf.constant(3), tf.constant(1.0), tf.constant(0.0));
      // Cross-entropy from log-softmax: the C++ gradient of SoftmaxCrossEntropyWithLogits breaks in float64.
      Operand<TFloat64> perImage = tf.math.neg(tf.reduceSum(tf.math.mul(targets, tf.nn.logSoftmax(logits)), tf.constant(1)));
      Operand<TFloat64> loss = tf.math.mean(perImage, tf.constant(0));
      List<Variable<TFloat64>> vars = net.trainableVariables();
      Output<?>[] grads = g.addGradients(loss.asOutput(), vars.stream().map(Variable::asOutput).toArray(Output[]::new));
      s.run(net.initializer());

      SplittableRandom random = new SplittableRandom(5);
      double[] input = new double[batch * shape.pixels()];
      for (int i = 0; i < input.length; i++) {
        input[i] = random.nextDouble(-1, 1);
      }
      try (TFloat64 x = TFloat64.tensorOf(Shape.of(batch, 6, 6, 2), DataBuffers.of(input, true, false))) {
        double[][] values = new double[vars.size()][];
        double[][] analytic = new double[vars.size()][];
        var runner = s.runner().feed(images, x);
        vars.forEach(runner::fetch);
        for (Output<?> grad : grads) {
          runner.fetch(grad);
        }
        try (Result r = runner.run()) {
          for (int v = 0; v < vars.size(); v++) {
            values[v] = doubles((TFloat64) r.get(v));
            analytic[v] = doubles((TFloat64) r.get(vars.size() + v));
          }
        }
        int checked = 0;
        // Every variable of ResNet18; every third of ResNet50 (its blocks repeat) plus the head: keeps the test fast.
        int stride = network == Network.RESNET18 ? 1 : 3;
        double h = 1e-7;
        for (int v = 0; v < vars.size(); v++) {
          if (v % stride != 0 && v < vars.size() - 2) {
            continue;
          }
          {
            int k = random.nextInt(values[v].length);
            double original = values[v][k];
            values[v][k] = original + h;
            double plus = lossWith(s, loss, images, x, vars, values);
            values[v][k] = original - h;
            double minus = lossWith(s, loss, images, x, vars, values);
            values[v][k] = original;
            double numeric = (plus - minus) / (2 * h);
            double a = analytic[v][k];
            assertThat(Math.abs(numeric - a))
                .as("%s d loss / d %s[%s]: analytic %s numeric %s", network, vars.get(v).op().name(), k, a, numeric)
                .isLessThanOrEqualTo(1e-6 + 1e-4 * Math.abs(a));
            checked++;
          }
        }
        assertThat(checked).isGreaterThanOrEqualTo(vars.size() / stride);
      }
    }
  }

  /** Feeds every variable (one feed signature, so the session prunes and compiles the graph once). */
  private static double lossWith(
      Session s, Operand<TFloat64> loss, Placeholder<TFloat64> images, TFloat64 x, List<Variable<TFloat64>> vars, double[][] values) {
    List<TFloat64> tensors = new ArrayList<>();
    try {
      var runner = s.runner().feed(images, x);
      for (int v = 0; v < vars.size(); v++) {
        TFloat64 t = TFloat64.tensorOf(vars.get(v).shape(), DataBuffers.of(values[v], true, false));
        tensors.add(t);
        runner.feed(vars.get(v), t);
      }
      try (Result r = runner.fetch(loss).run()) {
        return ((TFloat64) r.get(0)).getDouble();
      }
    } finally {
      tensors.forEach(TFloat64::close);
    }
  }

  private static double[] doubles(TFloat64 t) {
    double[] out = new double[(int) t.size()];
    t.asRawTensor().data().asDoubles().read(out);
    return out;
  }
}
