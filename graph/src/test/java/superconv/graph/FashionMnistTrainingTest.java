package superconv.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import superconv.datasets.DataSplits;
import superconv.datasets.Dataset;
import superconv.datasets.Datasets;

/**
 * A width-4 ResNet18 trained for a few epochs on 512 real Fashion-MNIST images through the resident pipeline (standard
 * protocol: normalization, crops, flips), with a plain gradient-descent update built here (rate fed per step).
 */
class FashionMnistTrainingTest {

  static final Path FOLDER = Path.of("/usr/share/datasets/fashion-mnist");

  @Test
  void lossFallsOnRealData() {
    assumeThat(Files.isDirectory(FOLDER)).as("Fashion-MNIST at " + FOLDER).isTrue();
    DataSplits data = Datasets.read(Dataset.FASHION_MNIST, FOLDER);
    var train = data.train().first(512);
    var test = data.test().first(200);
    ModelSpec model = ModelSpec.of(Network.RESNET18, 10, 4, ImageShape.of(train)).withSeed(1);
    TrainingGraphSpec spec =
        TrainingGraphSpec.of(model, train, test, 32).withStandardProtocol(ChannelStats.of(train)).withEvalBatchSize(128);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      TrainingGraph tg = TrainingGraph.build(tf, spec);
      Placeholder<TFloat32> rate = tf.withName("learning_rate").placeholder(TFloat32.class);
      List<Variable<TFloat32>> vars = tg.trainableVariables();
      Output<?>[] grads = g.addGradients(tg.loss().asOutput(), vars.stream().map(Variable::asOutput).toArray(Output[]::new));
      // Every update waits for every gradient (as SuperconvOptimizer gates its assignments): an assignSub racing a
      // gradient op that still reads the same variable makes the step, and so the test, vary from run to run.
      Ops gated = tf.withControlDependencyOps(Arrays.stream(grads).map(Output::op).toList());
      List<Op> updates = new ArrayList<>(tg.batchNormUpdates());
      for (int i = 0; i < grads.length; i++) {
        @SuppressWarnings("unchecked")
        Operand<TFloat32> grad = (Operand<TFloat32>) grads[i];
        updates.add(gated.assignSub(vars.get(i), gated.math.mul(grad, rate)));
      }
      Op trainOp = tf.withControlDependencies(updates).noOp();
      s.run(tg.initializer());
      tg.uploadData(s, train, test);
      TrainingGraph.Evaluation before = tg.evaluate(s);
      double[] epochLoss = new double[4];
      try (TFloat32 lr = TFloat32.scalarOf(0.1f)) {
        for (int epoch = 0; epoch < epochLoss.length; epoch++) {
          for (int step = 0; step < tg.stepsPerEpoch(); step++) {
            try (var feed = tg.feed(epoch, step);
                Result r = feed.apply(s.runner()).feed(rate, lr).addTarget(trainOp).fetch(tg.loss()).run()) {
              epochLoss[epoch] += ((TFloat32) r.get(0)).getFloat() / tg.stepsPerEpoch();
            }
          }
        }
      }
      TrainingGraph.Evaluation after = tg.evaluate(s);
      assertThat(epochLoss[3]).isLessThan(0.8 * epochLoss[0]);
      assertThat(after.loss()).isLessThan(before.loss());
      assertThat(after.accuracy()).isGreaterThan(0.4);
      assertThat(after.count()).isEqualTo(200);
    }
  }
}
