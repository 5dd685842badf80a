package superconv.training.bench;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.OptimizerOptions;
import superconv.graph.DataFormat;
import superconv.graph.Network;
import superconv.graph.Precision;
import superconv.training.session.SessionOptions;

class BenchTest {

  private static Bench.Spec spec(Map<String, Object> optimizer, boolean synthetic, boolean profile) {
    return new Bench.Spec(Network.RESNET18, 2, 8, 3, 1, SessionOptions.threads(1), optimizer, "cpu", synthetic,
        DataFormat.NHWC, Precision.FLOAT32, false, profile, 64);
  }

  @Test
  void timesTheRunsStepWithItsPipelineAndTracesItsOps() {
    Bench.Measurement m = Bench.run(spec(Map.of("type", "sgd", "momentum", 0.9), false, true));
    assertThat(m.network()).isEqualTo("resnet18");
    assertThat(m.device()).isEqualTo("/device:CPU:0");
    assertThat(m.optimizer()).isEqualTo("sgd");
    assertThat(m.msPerStepMin()).isPositive().isLessThanOrEqualTo(m.msPerStepMedian());
    assertThat(m.imagesPerS()).isCloseTo(8 * 1000 / m.msPerStepMedian(), within(1e-9));
    assertThat(m.pipelineMs()).isPositive();
    assertThat(m.pipelineShare()).isCloseTo(m.pipelineMs() / m.msPerStepMedian(), within(1e-12));
    assertThat(m.graphBuildMs()).isPositive();
    assertThat(m.sessionStartMs()).isPositive();
    assertThat(m.peakRssMiB()).isPositive();
    assertThat(m.rssAfterFirstMiB()).isEqualTo(-1);
    assertThat(m.rssGrowth()).isNaN();
    // The traced step ran the network's convolutions (oneDNN's or Eigen's kernel) and the in-place SGD update.
    assertThat(m.profile()).anySatisfy(t -> assertThat(t.op()).containsIgnoringCase("Conv2D"));
    assertThat(m.profile()).anySatisfy(t -> assertThat(t.op()).isEqualTo("ApplyGradientDescent"));
    assertThat(m.profile()).isSortedAccordingTo((a, b) -> Double.compare(b.ms(), a.ms()));
  }

  @Test
  void syntheticStepHasNoPipelineAndAdaSecantTrainsOnTwoBatches() {
    Bench.Measurement m = Bench.run(spec(Map.of("type", "adasecant"), true, false));
    assertThat(m.synthetic()).isTrue();
    assertThat(m.optimizer()).isEqualTo("adasecant");
    assertThat(m.pipelineMs()).isZero();
    assertThat(m.pipelineShare()).isZero();
    assertThat(m.profile()).isEmpty();
  }

  @Test
  void badSettingsAreRefusedBeforeAnyWork() {
    assertThatThrownBy(() -> new Bench.Spec(Network.RESNET18, 2, 1, 3, 1, SessionOptions.defaults(),
        Map.of("type", "sgd"), "cpu", false, DataFormat.NHWC, Precision.FLOAT32, false, false, 64))
        .hasMessageContaining("--batch must be >= 2");
    assertThatThrownBy(() -> new Bench.Spec(Network.RESNET18, 2, 128, 3, 1, SessionOptions.defaults(),
        Map.of("type", "sgd"), "cpu", false, DataFormat.NHWC, Precision.FLOAT32, false, false, 64))
        .hasMessageContaining("smaller than a batch");
    assertThatThrownBy(() -> Bench.deviceName("tpu")).hasMessageContaining("cpu, gpu, gpu:N");
    // These machines have CPU natives only: a GPU is refused with what TensorFlow lists, auto falls back to the CPU.
    assertThatThrownBy(() -> Bench.deviceName("gpu:1")).hasMessageContaining("GPU 1");
    assertThat(Bench.deviceName("auto")).isEqualTo("/device:CPU:0");
    assertThat(Bench.deviceName("cpu")).isEqualTo("/device:CPU:0");
    assertThatThrownBy(() -> new SessionOptions(-1, 0, false)).hasMessageContaining(">= 0");
  }

  @Test
  void sessionOptionsSetThreadPoolsSoftPlacementGrowthAndJit() {
    ConfigProto config = SessionOptions.threads(2).withXla(true).config();
    assertThat(config.getIntraOpParallelismThreads()).isEqualTo(2);
    assertThat(config.getInterOpParallelismThreads()).isEqualTo(2);
    assertThat(config.getAllowSoftPlacement()).isTrue();
    assertThat(config.getGpuOptions().getAllowGrowth()).isTrue();
    assertThat(config.getGraphOptions().getOptimizerOptions().getGlobalJitLevel())
        .isEqualTo(OptimizerOptions.GlobalJitLevel.ON_1);
    assertThat(SessionOptions.defaults().config().getGraphOptions().getOptimizerOptions().getGlobalJitLevel())
        .isEqualTo(OptimizerOptions.GlobalJitLevel.DEFAULT);
  }

  @Test
  void medianOfOddAndEvenCounts() {
    assertThat(Bench.median(new double[] {5, 1, 3})).isEqualTo(3);
    assertThat(Bench.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
  }

  @Test
  void randomImagesHaveCifarShapeAndEveryClass() {
    var set = Bench.randomImages("x", 20, 1);
    assertThat(set.height()).isEqualTo(32);
    assertThat(set.channels()).isEqualTo(3);
    assertThat(set.labelCounts()).containsOnly(2);
  }
}
