package superconv.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TInt32;
import superconv.datasets.ImageSet;

/** The resident pipeline sorts once per epoch and keeps the permutation; it must equal the uncached one. */
class PermutationCacheTest {

  private static final ImageSet SET = PipelineTest.pattern(60);
  private static final ModelSpec MODEL = ModelSpec.of(Network.RESNET18, 2, 2, ImageShape.of(SET)).withSeed(5);

  /** The permutation of each epoch from the host-fed graph, which computes it on every call (no cache). */
  private static int[][] uncached(long[] epochs) {
    TrainingGraphSpec spec = TrainingGraphSpec.of(MODEL, SET, SET, 10).withInputMode(InputMode.HOST_FED);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      TrainingGraph tg = TrainingGraph.build(Ops.create(g), spec);
      int[][] out = new int[epochs.length][];
      for (int i = 0; i < epochs.length; i++) {
        out[i] = tg.permutation(s, epochs[i]);
      }
      return out;
    }
  }

  @Test
  void everyStepSeesItsEpochsPermutationWhateverTheOrderOfEpochs() {
    // Epochs change, repeat and go back (as a resume from an earlier checkpoint does in a new session).
    long[] epochs = {0, 0, 0, 1, 1, 3, 0, 0, 2, 3};
    int[][] expected = uncached(epochs);
    assertThat(expected[3]).isNotEqualTo(expected[0]);
    TrainingGraphSpec spec = TrainingGraphSpec.of(MODEL, SET, SET, 10);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      TrainingGraph tg = TrainingGraph.build(Ops.create(g), spec);
      tg.uploadData(s, SET, SET);
      for (int i = 0; i < epochs.length; i++) {
        int step = i % tg.stepsPerEpoch();
        try (var feed = tg.feed(epochs[i], step);
            Result r = feed.apply(s.runner()).fetch(tg.pipeline().batch().indices()).run()) {
          int[] batch = new int[10];
          ((TInt32) r.get(0)).asRawTensor().data().asInts().read(batch);
          assertThat(batch).as("step %s of epoch %s", step, epochs[i])
              .containsExactly(Arrays.copyOfRange(expected[i], step * 10, step * 10 + 10));
        }
        assertThat(tg.permutation(s, epochs[i])).containsExactly(expected[i]);
      }
    }
  }

  @Test
  void theSortRunsOnlyWhenTheEpochChanges() {
    TrainingGraphSpec spec = TrainingGraphSpec.of(MODEL, SET, SET, 10);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      TrainingGraph tg = TrainingGraph.build(Ops.create(g), spec);
      tg.uploadData(s, SET, SET);
      assertThat(sorts(s, tg, 0, 0)).isEqualTo(1);
      assertThat(sorts(s, tg, 0, 1)).isZero();
      assertThat(sorts(s, tg, 0, 5)).isZero();
      assertThat(sorts(s, tg, 1, 0)).isEqualTo(1);
      assertThat(sorts(s, tg, 1, 1)).isZero();
      assertThat(sorts(s, tg, 0, 2)).isEqualTo(1);
    }
  }

  /** TopKV2 nodes executed by one traced step that fetches the batch. */
  private static long sorts(Session s, TrainingGraph tg, long epoch, long step) {
    RunOptions trace = RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();
    try (var feed = tg.feed(epoch, step);
        Result r = feed.apply(s.runner()).setOptions(trace).fetch(tg.pipeline().batch().images()).runAndFetchMetadata()) {
      long count = 0;
      for (DeviceStepStats device : r.getMetadata().orElseThrow().getStepStats().getDevStatsList()) {
        for (NodeExecStats node : device.getNodeStatsList()) {
          if (node.getTimelineLabel().contains("= TopKV2(")) {
            count++;
          }
        }
      }
      return count;
    }
  }
}
