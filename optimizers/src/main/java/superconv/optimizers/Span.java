package superconv.optimizers;

/**
 * The stretch of iterations a schedule is laid over, with the epoch length that converts its epoch keys: a run,
 * or a part of a sequence (which need not be whole epochs).
 */
record Span(long iterations, long iterationsPerEpoch) {

  static Span of(RunLength run) {
    return new Span(run.iterations(), run.iterationsPerEpoch());
  }
}
