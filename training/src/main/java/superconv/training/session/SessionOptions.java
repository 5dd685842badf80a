package superconv.training.session;

import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.OptimizerOptions;

/**
 * How a session runs the graph: CPU thread pools and XLA JIT on top of the run's session configuration
 * ({@link Devices#sessionConfig()}: soft placement, allow_growth).
 *
 * @param intraOpThreads threads inside one op (a convolution); 0 lets TensorFlow pick (all cores)
 * @param interOpThreads ops run side by side; 0 lets TensorFlow pick
 * @param xla compile clusters of the graph with XLA (global JIT level ON_1)
 */
public record SessionOptions(int intraOpThreads, int interOpThreads, boolean xla) {

  public SessionOptions {
    if (intraOpThreads < 0 || interOpThreads < 0) {
      throw new IllegalArgumentException(
          "thread counts must be >= 0 (0 = TensorFlow's choice), got intra " + intraOpThreads + ", inter "
              + interOpThreads);
    }
  }

  /** TensorFlow's own thread choice, no XLA. */
  public static SessionOptions defaults() {
    return new SessionOptions(0, 0, false);
  }

  /**
   * {@code threads} for both pools (0: TensorFlow's choice). With inter-op parallelism equal to the core count the
   * small ops of the input pipeline and the optimizer's updates run beside the convolutions.
   */
  public static SessionOptions threads(int threads) {
    return new SessionOptions(threads, threads, false);
  }

  public SessionOptions withXla(boolean on) {
    return new SessionOptions(intraOpThreads, interOpThreads, on);
  }

  public ConfigProto config() {
    OptimizerOptions.Builder optimizer = OptimizerOptions.newBuilder();
    if (xla) {
      optimizer.setGlobalJitLevel(OptimizerOptions.GlobalJitLevel.ON_1);
    }
    return Devices.sessionConfig().toBuilder()
        .setIntraOpParallelismThreads(intraOpThreads)
        .setInterOpParallelismThreads(interOpThreads)
        .setGraphOptions(GraphOptions.newBuilder().setOptimizerOptions(optimizer))
        .build();
  }
}
