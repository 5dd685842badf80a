package superconv.datasets;

/** What {@link Datasets#load} does when a set is not found locally. */
public enum FetchPolicy {
  /** Download the official files (as torchvision's {@code download=True}); fail with the download's error. */
  FETCH_IF_MISSING,
  /** Never touch the network: fail, saying which files to put where. */
  OFFLINE
}
