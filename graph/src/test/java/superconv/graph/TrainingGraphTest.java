package superconv.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import superconv.datasets.ImageSet;

class TrainingGraphTest {

  static final ImageSet TRAIN = Synthetic.images("train", 70, 8, 3, 3, 1);
  static final ImageSet TEST = Synthetic.images("test", 23, 8, 3, 3, 2);

  static TrainingGraphSpec spec(int width, int batch) {
    ModelSpec model = ModelSpec.of(Network.RESNET18, 3, width, ImageShape.of(TRAIN)).withSeed(7);
    return TrainingGraphSpec.of(model, TRAIN, TEST, batch).withEvalBatchSize(10);
  }

  @Test
  void plainGradientDescentLowersTheLossOnResidentData() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      TrainingGraph tg = TrainingGraph.build(tf, spec(4, 10));
      List<Op> updates = new ArrayList<>(tg.batchNormUpdates());
      Output<?>[] grads = g.addGradients(tg.loss().asOutput(), tg.trainableVariables().stream().map(Variable::asOutput).toArray(Output[]::new));
      // Every update waits for every gradient: an assignSub racing a gradient op that reads the same variable
      // makes the step nondeterministic.
      Ops gated = tf.withControlDependencyOps(Arrays.stream(grads).map(Output::op).toList());
      for (int i = 0; i < grads.length; i++) {
        @SuppressWarnings("unchecked")
        Operand<TFloat32> grad = (Operand<TFloat32>) grads[i];
        updates.add(gated.assignSub(tg.trainableVariables().get(i), gated.math.mul(grad, gated.constant(0.05f))));
      }
      Op train = tf.withControlDependencies(updates).noOp();
      s.run(tg.initializer());
      tg.uploadData(s, TRAIN, TEST);
      assertThat(tg.stepsPerEpoch()).isEqualTo(7);
      double first = epochLoss(s, tg, 0);
      for (int epoch = 0; epoch < 6; epoch++) {
        for (int step = 0; step < tg.stepsPerEpoch(); step++) {
          try (var feed = tg.feed(epoch, step); Result r = feed.apply(s.runner()).addTarget(train).fetch(tg.loss()).run()) {
            assertThat(((TFloat32) r.get(0)).getFloat()).isFinite();
          }
        }
      }
      double last = epochLoss(s, tg, 6);
      assertThat(last).isLessThan(first * 0.7);
      TrainingGraph.Evaluation eval = tg.evaluate(s);
      assertThat(eval.count()).isEqualTo(TEST.size());
      assertThat(eval.loss()).isFinite();
      assertThat(eval.accuracy()).isBetween(0.0, 1.0);
    }
  }

  private static double epochLoss(Session s, TrainingGraph tg, long epoch) {
    double sum = 0;
    for (int step = 0; step < tg.stepsPerEpoch(); step++) {
      try (var feed = tg.feed(epoch, step); Result r = feed.apply(s.runner()).fetch(tg.loss()).run()) {
        sum += ((TFloat32) r.get(0)).getFloat();
      }
    }
    return sum / tg.stepsPerEpoch();
  }

  @Test
  void batchesCoverEachIndexOncePerEpochAndRepeatForTheSameSeed() {
    int[][] first = batches(spec(2, 10), 0);
    int[][] again = batches(spec(2, 10), 0);
    int[][] epoch1 = batches(spec(2, 10), 1);
    assertThat(again).isDeepEqualTo(first);
    assertThat(epoch1).isNotEqualTo(first);
    for (int[][] epoch : List.of(first, epoch1)) {
      int[] all = Arrays.stream(epoch).flatMapToInt(Arrays::stream).sorted().toArray();
      assertThat(all).doesNotHaveDuplicates().hasSize(70);
      assertThat(all[0]).isZero();
      assertThat(all[69]).isEqualTo(69);
    }
  }

  private static int[][] batches(TrainingGraphSpec spec, long epoch) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      TrainingGraph tg = TrainingGraph.build(Ops.create(g), spec);
      int[][] out = new int[tg.stepsPerEpoch()][];
      for (int step = 0; step < tg.stepsPerEpoch(); step++) {
        try (var feed = tg.feed(epoch, step); Result r = feed.apply(s.runner()).fetch(tg.pipeline().batch().indices()).run()) {
          TInt32 t = (TInt32) r.get(0);
          out[step] = new int[(int) t.size()];
          t.asRawTensor().data().asInts().read(out[step]);
        }
      }
      return out;
    }
  }

  @Test
  void evaluationCoversEveryTestImageIncludingTheLastPartialSlice() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      TrainingGraph tg = TrainingGraph.build(Ops.create(g), spec(2, 10));
      s.run(tg.initializer());
      tg.uploadData(s, TRAIN, TEST);
      assertThat(tg.evalStarts()).containsExactly(0, 10, 20);
      double lossSum = 0;
      int correct = 0;
      int count = 0;
      for (int start : tg.evalStarts()) {
        try (TInt32 st = TInt32.scalarOf(start); Result r = s.runner().feed(tg.evalStart(), st).fetch(tg.evalLogits()).run()) {
          float[] logits = BatchNormTest.floats((TFloat32) r.get(0));
          int n = logits.length / 3;
          for (int i = 0; i < n; i++) {
            int label = TEST.labels()[start + i];
            double max = Math.max(logits[3 * i], Math.max(logits[3 * i + 1], logits[3 * i + 2]));
            double z = 0;
            int best = 0;
            for (int k = 0; k < 3; k++) {
              z += Math.exp(logits[3 * i + k] - max);
              best = logits[3 * i + k] > logits[3 * i + best] ? k : best;
            }
            lossSum += Math.log(z) + max - logits[3 * i + label];
            correct += best == label ? 1 : 0;
          }
          count += n;
        }
      }
      assertThat(count).isEqualTo(23);
      TrainingGraph.Evaluation eval = tg.evaluate(s);
      assertThat(eval.count()).isEqualTo(23);
      assertThat(eval.loss()).isCloseTo(lossSum / 23, within(1e-5));
      assertThat(eval.accuracy()).isEqualTo(correct / 23.0);
    }
  }

  @Test
  void hostFedPathComputesTheSameLossAsResidentData() {
    TrainingGraphSpec resident = spec(2, 10).withNextBatch(true);
    float[] expected = new float[4];
    try (Graph g = new Graph(); Session s = new Session(g)) {
      TrainingGraph tg = TrainingGraph.build(Ops.create(g), resident);
      s.run(tg.initializer());
      tg.uploadData(s, TRAIN, TEST);
      try (var feed = tg.feed(1, 6); Result r = feed.apply(s.runner()).fetch(tg.loss()).fetch(tg.nextLoss().orElseThrow()).run()) {
        expected[0] = ((TFloat32) r.get(0)).getFloat();
        expected[1] = ((TFloat32) r.get(1)).getFloat();
      }
      TrainingGraph.Evaluation e = tg.evaluate(s);
      expected[2] = (float) e.loss();
      expected[3] = (float) e.accuracy();
    }
    try (Graph g = new Graph(); Session s = new Session(g)) {
      TrainingGraph tg = TrainingGraph.build(Ops.create(g), resident.withInputMode(InputMode.HOST_FED));
      s.run(tg.initializer());
      int[] permutation = tg.permutation(s, 1);
      try (var feed = tg.hostFeed(TRAIN, permutation, 1, 6);
          Result r = feed.apply(s.runner()).fetch(tg.loss()).fetch(tg.nextLoss().orElseThrow()).run()) {
        assertThat(((TFloat32) r.get(0)).getFloat()).isCloseTo(expected[0], within(1e-5f));
        assertThat(((TFloat32) r.get(1)).getFloat()).isCloseTo(expected[1], within(1e-5f));
      }
      TrainingGraph.Evaluation e = tg.evaluate(s, TEST);
      assertThat((float) e.loss()).isCloseTo(expected[2], within(1e-5f));
      assertThat((float) e.accuracy()).isEqualTo(expected[3]);
    }
  }

  @Test
  void lossWithLabelSmoothingAndAccuracyMatchAHandComputation() {
    double eps = 0.1;
    try (Graph g = new Graph(); Session s = new Session(g)) {
      TrainingGraph tg = TrainingGraph.build(Ops.create(g), spec(2, 10).withLabelSmoothing(eps));
      s.run(tg.initializer());
      tg.uploadData(s, TRAIN, TEST);
      try (var feed = tg.feed(2, 3);
          Result r = feed.apply(s.runner()).fetch(tg.logits()).fetch(tg.pipeline().batch().labels()).fetch(tg.loss()).fetch(tg.accuracy()).run()) {
        float[] logits = BatchNormTest.floats((TFloat32) r.get(0));
        TInt32 labels = (TInt32) r.get(1);
        double loss = 0;
        int hits = 0;
        for (int i = 0; i < 10; i++) {
          int label = labels.getInt(i);
          double max = Double.NEGATIVE_INFINITY;
          int best = 0;
          for (int k = 0; k < 3; k++) {
            if (logits[3 * i + k] > max) {
              max = logits[3 * i + k];
              best = k;
            }
          }
          double z = 0;
          for (int k = 0; k < 3; k++) {
            z += Math.exp(logits[3 * i + k] - max);
          }
          for (int k = 0; k < 3; k++) {
            double target = (k == label ? 1 - eps : 0) + eps / 3;
            loss -= target * (logits[3 * i + k] - max - Math.log(z)) / 10;
          }
          hits += best == label ? 1 : 0;
        }
        assertThat((double) ((TFloat32) r.get(2)).getFloat()).isCloseTo(loss, within(1e-5));
        assertThat((double) ((TFloat32) r.get(3)).getFloat()).isCloseTo(hits / 10.0, within(1e-7));
      }
    }
  }
}
