package superconv.optimizers;

/**
 * Dynamic loss scaling for float16 compute (as PyTorch's {@code GradScaler} and TensorFlow's
 * {@code LossScaleOptimizer}): the loss is multiplied by a scale before differentiation, so that small float16
 * gradients do not flush to zero, and the gradients are divided by it again in float32. A step whose gradients are
 * not all finite is skipped as a whole (weights, slots and step counters keep their values) and halves the scale;
 * after {@code growthInterval} finite steps in a row the scale grows by {@code factor}. Scales are powers of two, so
 * scaling and unscaling are exact and a scaled step equals the unscaled one.
 *
 * @param initial the first scale (a power of two)
 * @param growthInterval finite steps in a row before the scale grows
 * @param factor growth and back-off factor (a power of two, > 1)
 */
public record LossScale(double initial, long growthInterval, double factor) {

  public LossScale {
    if (!(initial >= 1) || !isPowerOfTwo(initial)) {
      throw new IllegalArgumentException("loss scale initial = " + initial + " is not allowed: expected a power of two >= 1");
    }
    if (growthInterval < 1) {
      throw new IllegalArgumentException("loss scale growth_interval = " + growthInterval + " is not allowed: expected >= 1");
    }
    if (!(factor > 1) || !isPowerOfTwo(factor)) {
      throw new IllegalArgumentException("loss scale factor = " + factor + " is not allowed: expected a power of two > 1");
    }
  }

  /** TensorFlow's defaults: 2^15, doubled after 2,000 finite steps, halved on overflow. */
  public static LossScale dynamic() {
    return new LossScale(32768, 2000, 2);
  }

  private static boolean isPowerOfTwo(double x) {
    return Double.isFinite(x) && x > 0 && Math.getExponent(x) == Math.log(x) / Math.log(2)
        && x == Math.scalb(1.0, Math.getExponent(x));
  }
}
