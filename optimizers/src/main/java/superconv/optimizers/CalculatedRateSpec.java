package superconv.optimizers;

/**
 * The specs of the AdaSecant variants: they compute their own per-element rates, so the fed rate and momentum are
 * ignored.
 */
interface CalculatedRateSpec extends SingleOptimizerSpec {
  @Override
  default boolean usesRate() {
    return false;
  }

  @Override
  default boolean usesNativeKernels() {
    return true;
  }

  @Override
  default boolean acceptsMomentum() {
    return false;
  }
}
