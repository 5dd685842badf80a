package superconv.optimizers;

/**
 * The length of a run that schedules are laid over: {@code epochs} epochs of {@code iterationsPerEpoch} iterations.
 * Lengths in a schedule table given in epochs are converted with {@code iterationsPerEpoch}.
 */
public record RunLength(long epochs, long iterationsPerEpoch) {

  public RunLength {
    if (epochs <= 0 || iterationsPerEpoch <= 0) {
      throw new IllegalArgumentException(
          "a run needs epochs > 0 and iterations per epoch > 0, got " + epochs + " and " + iterationsPerEpoch);
    }
    Math.multiplyExact(epochs, iterationsPerEpoch);
  }

  /** A run counted in iterations only (as {@code trace} does): one iteration per epoch. */
  public static RunLength ofIterations(long iterations) {
    return new RunLength(iterations, 1);
  }

  /** n, the run's number of iterations. */
  public long iterations() {
    return epochs * iterationsPerEpoch;
  }
}
