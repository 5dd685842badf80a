package superconv.graph;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.StridedSlice;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.family.TFloating;

/**
 * One convolution of the ResNets as PyTorch computes it ({@code padding = (size - 1) / 2}), written so that
 * TensorFlow 2.18's oneDNN kernels compute it correctly: two of them fail for shapes these networks have (see the
 * comments), and each is avoided by an equivalent graph that gives the same values.
 */
final class Convolution {

  /** Below this many input channels a strided 1x1 convolution is a subsample and a stride-1 convolution. */
  static final int NARROW_STRIDED_1X1_LIMIT = 16;

  private Convolution() {}

  static <C extends TFloating> Operand<C> apply(Ops s, DataFormat format, Operand<C> x, Operand<C> kernel, int in,
      int size, int stride) {
    List<Long> strides = asList(format.spatial(stride, 1));
    if (size == 1 && stride != 1 && in < NARROW_STRIDED_1X1_LIMIT) {
      // oneDNN 3.5 (TensorFlow 2.18's), NHWC: the strided 1x1 weight gradient (jit_1x1 backward_weights) first
      // gathers the strided input into a per-thread buffer sized for whole 16-channel blocks, and with fewer input
      // channels than a block it writes past that buffer: heap corruption, SIGSEGV or glibc malloc aborts (seen on
      // an AVX-512 AMD EPYC with oneDNN on; its AVX2 kernel has the same fault below 8 channels,
      // uxlfoundation/oneDNN#6035). A 1x1 kernel with no padding reads only every stride-th pixel, so the same
      // convolution is that subsample convolved at stride 1, where oneDNN needs no such buffer. Wider inputs keep
      // the strided op, so their graphs and results stay as they were.
      int[] sliceStrides = format == DataFormat.NHWC
          ? new int[] {1, stride, stride, 1}
          : new int[] {1, 1, stride, stride};
      x = s.withName("subsample").stridedSlice(x, s.constant(new int[4]), s.constant(new int[4]),
          s.constant(sliceStrides), StridedSlice.endMask(0b1111L));
      strides = asList(format.spatial(1, 1));
    }
    // oneDNN's bfloat16 NHWC Conv2D forward (TF 2.18, avx512_core_bf16 without AMX) returns garbage, up to NaN, for an
    // odd number of input channels above 1 (the RGB stem): about half the outputs off by 40-250% of the output
    // scale, while even counts, NCHW, both conv gradients and TF_ENABLE_ONEDNN_OPTS=0 stay within bfloat16 rounding.
    // A zero input channel with a zero kernel slice adds exact zeros to every sum, so the even count changes nothing.
    int extraChannel = x.type() == TBfloat16.class && format == DataFormat.NHWC && in % 2 == 1 ? 1 : 0;
    if (extraChannel == 1) {
      int[][] inChannel = {{0, 0}, {0, 0}, {0, 1}, {0, 0}};
      kernel = s.withName("pad_kernel").pad(kernel, s.constant(inChannel), zero(s, x.type()));
    }
    // Strided convs: PyTorch pads (size - 1) / 2 on every side, TensorFlow's SAME would pad only bottom/right. EXPLICIT
    // padding would match, but TensorFlow's C++ Conv2D gradient drops explicit_paddings, so pad, then VALID. Odd
    // kernel, stride 1: SAME pads (size - 1) / 2 on every side, exactly like PyTorch's padding=1.
    int pad = size > 1 && stride > 1 ? (size - 1) / 2 : 0;
    String padding = size > 1 && stride == 1 ? "SAME" : "VALID";
    if (pad > 0 || extraChannel > 0) {
      int[][] paddings =
          format == DataFormat.NHWC
              ? new int[][] {{0, 0}, {pad, pad}, {pad, pad}, {0, extraChannel}}
              : new int[][] {{0, 0}, {0, 0}, {pad, pad}, {pad, pad}};
      x = s.withName("pad").pad(x, s.constant(paddings), zero(s, x.type()));
    }
    return s.nn.conv2d(x, kernel, strides, padding, Conv2d.dataFormat(format.attribute()));
  }

  /** The pad value, made on the host: a pad reads it from host memory (PadV2's constant_values) on any device. */
  private static <C extends TFloating> Operand<C> zero(Ops s, Class<C> type) {
    Ops host = HostScalars.of(s);
    return host.dtypes.cast(host.constant(0.0), type);
  }

  private static List<Long> asList(long[] values) {
    List<Long> list = new ArrayList<>(values.length);
    for (long v : values) {
      list.add(v);
    }
    return list;
  }
}
