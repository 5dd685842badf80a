package superconv.training.placement;

import java.util.Locale;
import org.tensorflow.proto.DataType;

/** TensorFlow data types as the audit prints and measures them. */
final class DataTypes {

  /** TensorFlow numbers a reference type as its value type plus this. */
  private static final int REF_OFFSET = 100;

  private DataTypes() {}

  /** The value type of a reference type ({@code DT_FLOAT_REF} to {@code DT_FLOAT}); others unchanged. */
  static DataType base(DataType type) {
    int n = type.getNumber();
    return n > REF_OFFSET ? DataType.forNumber(n - REF_OFFSET) : type;
  }

  /** As superconv names precisions: float32, float16, bfloat16, float64, int32, uint8, bool, ... */
  static String name(DataType type) {
    return switch (base(type)) {
      case DT_FLOAT -> "float32";
      case DT_HALF -> "float16";
      case DT_DOUBLE -> "float64";
      default -> base(type).name().substring("DT_".length()).toLowerCase(Locale.ROOT);
    };
  }

  /** Bytes per element; 0 where a tensor's size is not a count of fixed-size elements (strings, resources). */
  static int bytes(DataType type) {
    return switch (base(type)) {
      case DT_DOUBLE, DT_INT64, DT_UINT64, DT_COMPLEX64 -> 8;
      case DT_FLOAT, DT_INT32, DT_UINT32, DT_QINT32 -> 4;
      case DT_HALF, DT_BFLOAT16, DT_INT16, DT_UINT16, DT_QINT16, DT_QUINT16 -> 2;
      case DT_UINT8, DT_INT8, DT_BOOL, DT_QINT8, DT_QUINT8, DT_FLOAT8_E5M2, DT_FLOAT8_E4M3FN -> 1;
      case DT_COMPLEX128 -> 16;
      default -> 0;
    };
  }
}
