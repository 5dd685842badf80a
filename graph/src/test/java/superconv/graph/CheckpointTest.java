package superconv.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

class CheckpointTest {

  @Test
  void restoresExactlyTheListedVariablesAndNeverTheData(@TempDir Path dir) throws Exception {
    TrainingGraphSpec spec = TrainingGraphTest.spec(2, 10);
    List<float[]> saved;
    long parameters;
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      TrainingGraph tg = TrainingGraph.build(tf, spec);
      Variable<TFloat32> slot = tf.withSubScope("optimizer").withName("slot").variable(Shape.of(3), TFloat32.class);
      s.run(tf.assign(slot, tf.constant(new float[] {1, 2, 3})));
      List<Variable<?>> vars = new ArrayList<>(tg.modelVariables());
      vars.add(slot);
      Checkpoint checkpoint = tg.checkpoint(List.of(slot));
      assertThat(checkpoint.variables()).isEqualTo(vars);
      s.run(tg.initializer());
      tg.uploadData(s, TrainingGraphTest.TRAIN, TrainingGraphTest.TEST);
      try (var feed = tg.feed(0, 0)) {
        var runner = feed.apply(s.runner());
        tg.batchNormUpdates().forEach(runner::addTarget);
        runner.run().close();
      }
      checkpoint.save(s, dir, 3);
      checkpoint.save(s, dir, 7);
      saved = values(s, vars);
      parameters = tg.network().parameters();
    }
    assertThat(Checkpoint.latest(dir)).contains(dir.resolve("ckpt-7"));
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve(Checkpoint.POINTER)))).isEqualTo("rw-r--r--");
    assertThat(Files.exists(dir.resolve("ckpt-3.index"))).isFalse();
    long dataBytes = Files.size(dir.resolve("ckpt-7.data-00000-of-00001"));
    // weights + BN statistics + slot, 4 bytes each; the 70 + 23 resident images would add 17,856 bytes
    assertThat(dataBytes).isLessThan(4 * (2 * parameters) + 64).isGreaterThanOrEqualTo(4 * parameters);

    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      TrainingGraph tg = TrainingGraph.build(tf, spec);
      Variable<TFloat32> slot = tf.withSubScope("optimizer").withName("slot").variable(Shape.of(3), TFloat32.class);
      List<Variable<?>> vars = new ArrayList<>(tg.modelVariables());
      vars.add(slot);
      Checkpoint checkpoint = Checkpoint.build(tf, vars);
      checkpoint.restore(s, dir);
      List<float[]> restored = values(s, vars);
      for (int i = 0; i < saved.size(); i++) {
        assertThat(restored.get(i)).as(vars.get(i).op().name()).containsExactly(saved.get(i));
      }
      assertThat(restored.get(restored.size() - 1)).containsExactly(1, 2, 3);
    }
  }

  @Test
  void missingCheckpointIsAClearError(@TempDir Path dir) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Variable<TFloat32> v = tf.withName("v").variable(Shape.of(2), TFloat32.class);
      Checkpoint checkpoint = Checkpoint.build(tf, List.of(v));
      assertThatThrownBy(() -> checkpoint.restore(s, dir)).hasMessageContaining("no checkpoint in " + dir);
      assertThatThrownBy(() -> Checkpoint.build(tf, List.of(v, v))).hasMessageContaining("listed twice");
    }
  }

  private static List<float[]> values(Session s, List<Variable<?>> vars) {
    var runner = s.runner();
    vars.forEach(runner::fetch);
    List<float[]> out = new ArrayList<>();
    try (Result r = runner.run()) {
      for (int i = 0; i < vars.size(); i++) {
        out.add(BatchNormTest.floats((TFloat32) r.get(i)));
      }
    }
    return out;
  }
}
