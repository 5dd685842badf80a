package superconv.graph;

/** Where the pipeline takes its images from. */
public enum InputMode {
  /**
   * Training and test sets live in uint8 variables, uploaded once; each step feeds only scalars and the graph
   * gathers the batch.
   */
  RESIDENT,
  /**
   * For sets too large for device memory: the host feeds each uint8 batch (and its labels) through placeholders;
   * the permutation, augmentation, normalization and everything after are the same graph ops as in {@link #RESIDENT}.
   */
  HOST_FED
}
