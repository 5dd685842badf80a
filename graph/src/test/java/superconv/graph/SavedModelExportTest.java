package superconv.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

class SavedModelExportTest {

  @Test
  void exportedModelComputesWhatTheEvalTowerComputes(@TempDir Path dir) throws Exception {
    var train = TrainingGraphTest.TRAIN;
    var test = TrainingGraphTest.TEST;
    TrainingGraphSpec spec = TrainingGraphTest.spec(4, 10).withStandardProtocol(ChannelStats.of(train));
    Path modelDir = dir.resolve("model");
    float[] evalLogits;
    SavedModelExport.Exported exported;
    TrainingGraph.Evaluation evaluation;
    try (Graph g = new Graph(); Session s = new Session(g)) {
      TrainingGraph tg = TrainingGraph.build(Ops.create(g), spec);
      s.run(tg.initializer());
      tg.uploadData(s, train, test);
      for (int step = 0; step < 3; step++) { // non-trivial moving statistics
        try (var feed = tg.feed(0, step)) {
          var runner = feed.apply(s.runner());
          tg.batchNormUpdates().forEach(runner::addTarget);
          runner.run().close();
        }
      }
      try (TInt32 start = TInt32.scalarOf(0); Result r = s.runner().feed(tg.evalStart(), start).fetch(tg.evalLogits()).run()) {
        evalLogits = BatchNormTest.floats((TFloat32) r.get(0));
      }
      evaluation = tg.evaluate(s);
      Files.createDirectories(modelDir); // an older model there is replaced
      Files.writeString(modelDir.resolve("stale.txt"), "old");
      exported = SavedModelExport.export(s, tg, train.classNames(), modelDir);
    }
    assertThat(modelDir.resolve("stale.txt")).doesNotExist();
    assertThat(Files.readAllLines(modelDir.resolve(SavedModelExport.LABELS_FILE))).isEqualTo(train.classNames());
    long scalars = exported.parameters() + exported.stateScalars();
    assertThat(exported.variableBytes()).isBetween(4 * scalars, 4 * scalars + 16_384);
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("model");
    }

    float[] pixels = new float[10 * 8 * 8 * 3];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = test.pixels()[i] & 0xFF;
    }
    try (SavedModelBundle bundle = SavedModelBundle.load(modelDir.toString(), "serve");
        TFloat32 images = TFloat32.tensorOf(Shape.of(10, 8, 8, 3), DataBuffers.of(pixels, true, false));
        Result r = bundle.function(SavedModelExport.SIGNATURE).call(Map.of(SavedModelExport.INPUT, images))) {
      float[] logits = BatchNormTest.floats((TFloat32) r.get(SavedModelExport.LOGITS).orElseThrow());
      assertThat(logits).hasSize(evalLogits.length);
      double maxDiff = 0;
      for (int i = 0; i < logits.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs(logits[i] - evalLogits[i]));
      }
      assertThat(maxDiff).isLessThan(1e-5);
      float[] probabilities = BatchNormTest.floats((TFloat32) r.get(SavedModelExport.PROBABILITIES).orElseThrow());
      TInt64 classes = (TInt64) r.get(SavedModelExport.CLASSES).orElseThrow();
      for (int i = 0; i < 10; i++) {
        assertThat(probabilities[3 * i] + probabilities[3 * i + 1] + probabilities[3 * i + 2]).isCloseTo(1f, org.assertj.core.api.Assertions.within(1e-5f));
        int best = 0;
        for (int k = 1; k < 3; k++) {
          best = logits[3 * i + k] > logits[3 * i + best] ? k : best;
        }
        assertThat(classes.getLong(i)).isEqualTo(best);
      }
      // a clean graph: no resident data, no training tower
      bundle.graph().operations().forEachRemaining(op -> {
        assertThat(op.name()).doesNotStartWith("input/").doesNotStartWith("train/").doesNotStartWith("metrics/");
        assertThat(op.type()).isNotEqualTo("StatelessRandomUniform");
      });
    }
    try (Predictor predictor = Predictor.load(modelDir)) {
      assertThat(predictor.imageShape()).isEqualTo(new ImageShape(8, 8, 3));
      assertThat(predictor.classNames()).isEqualTo(train.classNames());
      Predictor.Accuracy accuracy = predictor.accuracy(test);
      assertThat(accuracy.count()).isEqualTo(test.size());
      assertThat(accuracy.accuracy()).isEqualTo(evaluation.accuracy());
      List<Predictor.Prediction> first = predictor.predict(pixels, 10);
      assertThat(first.get(0).className()).isEqualTo(train.classNames().get(first.get(0).classIndex()));
    }
    assertThatThrownBy(() -> Predictor.load(dir)).hasMessageContaining("no saved_model.pb");
  }
}
