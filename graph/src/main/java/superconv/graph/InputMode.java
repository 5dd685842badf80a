package superconv.graph;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Where the pipeline takes its images from. */
public enum InputMode {
  /**
   * Training and test sets live in uint8 variables, uploaded once; each step feeds only scalars and the graph
   * gathers the batch.
   */
  RESIDENT("resident"),
  /**
   * For sets too large for device memory: the host feeds each uint8 batch (and its labels) through placeholders;
   * the permutation, augmentation, normalization and everything after are the same graph ops as in {@link #RESIDENT}.
   */
  HOST_FED("host");

  private final String id;

  InputMode(String id) {
    this.id = id;
  }

  /** As a manifest writes it: {@code resident}, {@code host}. */
  public String id() {
    return id;
  }

  /** Looks a mode up by its id, case-insensitively; the error lists the valid ids. */
  public static InputMode parse(String id) {
    for (InputMode mode : values()) {
      if (mode.id.equalsIgnoreCase(id.trim())) {
        return mode;
      }
    }
    throw new IllegalArgumentException("unknown input mode '" + id + "'; valid: "
        + Arrays.stream(values()).map(InputMode::id).collect(Collectors.joining(", ")));
  }
}
