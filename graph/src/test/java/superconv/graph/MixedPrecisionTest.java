package superconv.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operation;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/**
 * Mixed precision on the CPU (TensorFlow 2.18 has bf16 and fp16 convolution and batch-norm kernels there): the same
 * seeded weights give logits and a training tower close to float32's, the variables stay float32, the convolutions
 * run in the compute type and the batch norm keeps float32 statistics.
 */
class MixedPrecisionTest {

  /** Images: enough that the last stage's batch statistics (1x1 spatial) are not dominated by rounding. */
  private static final int N = 16;
  private static final ImageShape SHAPE = new ImageShape(16, 16, 3);

  /** Logits of the eval tower and the train tower for fixed images, and the types the convolutions ran in. */
  private static float[][] logits(Precision precision, Set<String> convTypes) {
    ModelSpec spec = new ModelSpec(Network.RESNET18, 4, 4, SHAPE, DataFormat.NHWC, 7).withPrecision(precision);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      ResNet<TFloat32> net = ResNet.create(tf, spec);
      float[][][][] pixels = new float[N][16][16][3];
      for (int i = 0; i < N; i++) {
        for (int y = 0; y < 16; y++) {
          for (int x = 0; x < 16; x++) {
            for (int c = 0; c < 3; c++) {
              pixels[i][y][x][c] = (float) Math.sin(1.3 * i + 0.7 * y - 0.4 * x + c);
            }
          }
        }
      }
      var images = tf.constant(pixels);
      ResNet.Tower<TFloat32> eval = net.forward(images, ResNet.Mode.EVAL, "eval");
      ResNet.Tower<TFloat32> train = net.forward(images, ResNet.Mode.TRAIN, "train");
      for (var v : net.trainableVariables()) {
        assertThat(v.type()).isEqualTo(TFloat32.class);
      }
      g.operations().forEachRemaining(op -> {
        if (op.type().equals("Conv2D")) {
          convTypes.add(((GraphOperation) op).output(0).type().getSimpleName());
        }
      });
      s.run(net.initializer());
      try (Result r = s.runner().fetch(eval.logits()).fetch(train.logits()).run()) {
        float[][] out = new float[2][N * 4];
        for (int k = 0; k < 2; k++) {
          TFloat32 t = (TFloat32) r.get(k);
          for (int i = 0; i < N; i++) {
            for (int j = 0; j < 4; j++) {
              out[k][i * 4 + j] = t.getFloat(i, j);
            }
          }
        }
        return out;
      }
    }
  }

  @Test
  void bfloat16AndFloat16TowersStayCloseToFloat32() {
    Set<String> f32Types = new HashSet<>();
    float[][] reference = logits(Precision.FLOAT32, f32Types);
    assertThat(f32Types).containsExactly("TFloat32");
    for (Precision p : List.of(Precision.BFLOAT16, Precision.FLOAT16)) {
      Set<String> types = new HashSet<>();
      float[][] mixed = logits(p, types);
      assertThat(types).containsExactly(p.computeType().getSimpleName());
      // bfloat16 keeps 8 significant bits (relative error 2^-9 per rounding), float16 11 bits; a 10-layer tower with
      // batch norm stays within a few percent of the logits' scale.
      double tolerance = p == Precision.BFLOAT16 ? 0.08 : 0.01;
      for (int k = 0; k < 2; k++) {
        double scale = 0;
        for (float v : reference[k]) {
          scale = Math.max(scale, Math.abs(v));
        }
        assertThat(scale).isPositive();
        for (int i = 0; i < N * 4; i++) {
          assertThat((double) mixed[k][i]).as("%s tower %s logit %s", p, k, i)
              .isCloseTo(reference[k][i], within(tolerance * scale));
        }
      }
      assertThat(mixed[1]).as("%s rounds", p).isNotEqualTo(reference[1]);
    }
  }

  @Test
  void precisionIdsParseAndRefuseOthers() {
    assertThat(Precision.parse("bfloat16")).isEqualTo(Precision.BFLOAT16);
    assertThat(Precision.parse("Float16")).isEqualTo(Precision.FLOAT16);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Precision.parse("fp8"))
        .hasMessageContaining("float32, bfloat16, float16");
  }
}
