package superconv.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.OperationAttributeInspector;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;

/**
 * Mixed precision on the CPU (TensorFlow 2.18 has bf16 and fp16 convolution and batch-norm kernels there): the same
 * seeded weights give logits and a training tower close to float32's, the variables stay float32, the convolutions
 * run in the compute type and the batch norm keeps float32 statistics.
 */
class MixedPrecisionTest {

  /** Images: 64 values per channel for the batch statistics of the last stage (2x2 spatial). */
  private static final int N = 16;
  private static final ImageShape SHAPE = new ImageShape(16, 16, 3);

  private static float[][][][] pixels() {
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
    return pixels;
  }

  /** Logits of the eval tower and the train tower for fixed images, and the types the convolutions ran in. */
  private static float[][] logits(Precision precision, Set<String> convTypes) {
    ModelSpec spec = new ModelSpec(Network.RESNET18, 4, 4, SHAPE, DataFormat.NHWC, 7).withPrecision(precision);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      ResNet<TFloat32> net = ResNet.create(tf, spec);
      var images = tf.constant(pixels());
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
      // Unit roundoff u: 2^-8 for bfloat16 (8 significant bits), 2^-11 for float16; both tolerances are about 20u.
      // Each layer only rounds (bfloat16ConvolutionsOnlyRoundTheirResults), but the train tower renormalizes after
      // each of the 17 convolutions on its path, so the roundings add up instead of fading: its logits measured 17u
      // (bfloat16) and 16u (float16) of their scale off float32, as rounding scales with u. The eval tower's logits are
      // mostly the float32 head bias and stay within 1%.
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

  /**
   * Each bfloat16 convolution of a training tower against a float32 convolution of the same bfloat16 operands, so
   * that a kernel wrong for some shape (oneDNN's NHWC kernel with an odd number of input channels on CPUs without
   * AMX, see ResNet#conv) shows at its own layer, not only as drift at the logits. The bfloat16 kernel accumulates in float32
   * and rounds once, by at most 2^-8 of the value (8 significant bits); the two float32 sums differ only in order
   * (at most 288 terms), far below 2^-12 of the layer's largest output.
   */
  @Test
  void bfloat16ConvolutionsOnlyRoundTheirResults() {
    ModelSpec spec = new ModelSpec(Network.RESNET18, 4, 4, SHAPE, DataFormat.NHWC, 7).withPrecision(Precision.BFLOAT16);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      ResNet<TFloat32> net = ResNet.create(tf, spec);
      net.forward(tf.constant(pixels()), ResNet.Mode.TRAIN, "train");
      List<GraphOperation> convs = new ArrayList<>();
      g.operations().forEachRemaining(op -> {
        if (op.type().equals("Conv2D")) {
          convs.add((GraphOperation) op);
        }
      });
      assertThat(convs).hasSize(20);
      Ops check = tf.withSubScope("check");
      Session.Runner runner = s.runner();
      for (GraphOperation conv : convs) {
        OperationAttributeInspector attributes = conv.attributes();
        List<Long> strides = Arrays.stream(attributes.getAttrIntList("strides")).boxed().toList();
        runner.fetch(check.dtypes.cast(conv.<TBfloat16>output(0), TFloat32.class));
        runner.fetch(check.nn.conv2d(
            check.dtypes.cast(conv.<TBfloat16>input(0), TFloat32.class),
            check.dtypes.cast(conv.<TBfloat16>input(1), TFloat32.class),
            strides, attributes.getAttrString("padding"),
            Conv2d.dataFormat(attributes.getAttrString("data_format"))));
      }
      s.run(net.initializer());
      try (Result r = runner.run()) {
        for (int k = 0; k < convs.size(); k++) {
          float[] actual = values((TFloat32) r.get(2 * k));
          float[] expected = values((TFloat32) r.get(2 * k + 1));
          double scale = 0;
          for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
          }
          for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("%s element %s", convs.get(k).name(), i)
                .isCloseTo(expected[i], within(0x1p-8 * Math.abs(expected[i]) + 0x1p-12 * scale));
          }
        }
      }
    }
  }

  private static float[] values(TFloat32 t) {
    float[] a = new float[(int) t.shape().size()];
    t.asRawTensor().data().asFloats().read(a);
    return a;
  }

  @Test
  void precisionIdsParseAndRefuseOthers() {
    assertThat(Precision.parse("bfloat16")).isEqualTo(Precision.BFLOAT16);
    assertThat(Precision.parse("Float16")).isEqualTo(Precision.FLOAT16);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Precision.parse("fp8"))
        .hasMessageContaining("float32, bfloat16, float16");
  }
}
