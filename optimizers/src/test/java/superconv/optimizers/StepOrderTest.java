package superconv.optimizers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/** The order within one step, and several train steps in one graph. */
class StepOrderTest {

  @Test
  void aLossFetchedWithTheTrainOpIsTheLossBeforeTheUpdate() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Variable<TFloat64> w = tf.variable(tf.constant(new double[] {1, 2}));
      // d sum(w) / dw = 1 needs no value of the Sum op: only the gate keeps the Sum before the update.
      Operand<TFloat64> loss = tf.reduceSum(w, tf.constant(0));
      Placeholder<TFloat64> lr = tf.placeholder(TFloat64.class);
      TrainStep step = Optimizers.fromTable(Map.of("type", "sgd")).build(tf, List.of(w), loss, null, lr, null);
      try (Session session = new Session(graph)) {
        session.initialize();
        for (int i = 0; i < 30; i++) {
          try (TFloat64 rate = TFloat64.scalarOf(0.01);
              Result r = session.runner().addTarget(step.trainOp()).feed(lr, rate).fetch(loss)
                  .fetch(step.phases().get(0).updateNorm()).run()) {
            assertThat(((TFloat64) r.get(0)).getDouble()).isCloseTo(3 - 0.02 * i, org.assertj.core.api.Assertions.within(1e-12));
            assertThat(((TFloat64) r.get(1)).getDouble()).isCloseTo(0.01 * Math.sqrt(2), org.assertj.core.api.Assertions.within(1e-15));
          }
        }
      }
    }
  }

  @Test
  void aSquareOfARawVariableIsRefusedWithAMessageInsteadOfACrash() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Variable<TFloat32> w = tf.withName("w").variable(tf.constant(new float[] {1, 2}));
      Operand<TFloat32> loss = tf.reduceSum(tf.math.square(w), tf.constant(0));
      OptimizerSpec sgd = Optimizers.fromTable(Map.of("type", "sgd"));
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> sgd.build(tf, List.of(w), loss, null, tf.placeholder(TFloat64.class), null))
          .hasMessageContaining("directly to variable 'w'").hasMessageContaining("tf.identity");
    }
  }

  @Test
  void theFrameworksSweepOverEveryVariableIsRefused() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Variable<TFloat64> w = tf.variable(tf.constant(new double[] {1, 2}));
      Operand<TFloat64> loss = tf.reduceSum(w, tf.constant(0));
      SuperconvOptimizer sgd = new SgdOptimizer(tf, "sgd", tf.placeholder(TFloat64.class), null, 0, false, 0);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> sgd.minimize(loss))
          .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("explicit").hasMessageContaining("Optimizers.gradients");
    }
  }

  @Test
  void theCallersDeviceScopeIsKeptForStateAndUpdates() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph).withDevice(org.tensorflow.DeviceSpec.newBuilder()
          .deviceType(org.tensorflow.DeviceSpec.DeviceType.CPU).deviceIndex(0).build());
      Variable<TFloat64> w = tf.variable(tf.constant(new double[] {1, 2}));
      Operand<TFloat64> loss = tf.reduceSum(tf.math.mul(w, w), tf.constant(0));
      TrainStep step = Optimizers.fromTable(Map.of("type", "adasecant"))
          .build(tf, List.of(w), loss, loss, tf.placeholder(TFloat64.class), null);
      for (Variable<?> v : step.stateVariables()) {
        assertThat(((org.tensorflow.GraphOperation) v.op()).device()).as(v.op().name()).isEqualTo("/device:CPU:0");
      }
      assertThat(((org.tensorflow.GraphOperation) step.phases().get(0).updateNorm().op()).device())
          .isEqualTo("/device:CPU:0");
    }
  }

  @Test
  void twoOptimizersInOneGraphKeepApartAndFloat32VariablesTakeAFloat64Rate() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Variable<TFloat32> w = tf.withName("w").variable(tf.constant(new float[] {1, 2}));
      Operand<TFloat32> loss = tf.reduceSum(tf.math.square(tf.identity(w)), tf.constant(0));
      Placeholder<TFloat64> lr = tf.placeholder(TFloat64.class);
      TrainStep a = Optimizers.fromTable(Map.of("type", "adam")).build(tf, List.of(w), loss, null, lr, null);
      TrainStep b = Optimizers.fromTable(Map.of("type", "adam")).build(tf, List.of(w), loss, null, lr, null);
      List<String> names = new java.util.ArrayList<>();
      a.stateVariables().forEach(v -> names.add(v.op().name()));
      b.stateVariables().forEach(v -> names.add(v.op().name()));
      assertThat(names).doesNotHaveDuplicates().hasSize(6);
      try (Session session = new Session(graph)) {
        session.initialize();
        try (TFloat64 rate = TFloat64.scalarOf(0.1)) {
          session.runner().addTarget(a.trainOp()).feed(lr, rate).run().close();
        }
        try (Result r = session.runner().fetch(w).run()) {
          // Adam's first step moves every element by lr (m / sqrt(v) = sign(g) after bias correction).
          assertThat(((TFloat32) r.get(0)).getFloat(0)).isCloseTo(0.9f, org.assertj.core.api.Assertions.within(1e-6f));
          assertThat(((TFloat32) r.get(0)).getFloat(1)).isCloseTo(1.9f, org.assertj.core.api.Assertions.within(1e-6f));
        }
      }
    }
  }
}
