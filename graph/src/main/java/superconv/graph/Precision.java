package superconv.graph;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

/**
 * The compute type of a float32 network's activations. Mixed precision keeps the weights (master copies), the batch
 * norm parameters and statistics, the head and the loss in float32 and casts the weights to the compute type where
 * the convolutions use them; {@code FusedBatchNormV3} takes compute-type activations with float32 parameters and
 * computes its statistics in float32. float16 needs dynamic loss scaling (superconv.optimizers.LossScale);
 * bfloat16 has float32's exponent range and needs none.
 */
public enum Precision {
  FLOAT32(TFloat32.class),
  BFLOAT16(TBfloat16.class),
  FLOAT16(TFloat16.class);

  private final Class<? extends TFloating> computeType;

  Precision(Class<? extends TFloating> computeType) {
    this.computeType = computeType;
  }

  public Class<? extends TFloating> computeType() {
    return computeType;
  }

  /** As written in a manifest or on the command line: {@code float32}, {@code bfloat16}, {@code float16}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Precision parse(String id) {
    for (Precision p : values()) {
      if (p.id().equalsIgnoreCase(id.trim())) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown precision '" + id + "'; valid: "
        + Arrays.stream(values()).map(Precision::id).collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return id();
  }
}
