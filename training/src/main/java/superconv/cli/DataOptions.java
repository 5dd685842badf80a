package superconv.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import superconv.datasets.DataLocation;
import superconv.datasets.FetchPolicy;

/** {@code --data-dir} and {@code --offline}, for the commands that read (and may fetch) data sets. */
final class DataOptions {

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Data root, the only place looked at (default: $SUPERCONV_DATA, else ~/.cache/superconv and then /usr/share/datasets).")
  Path dataDir;

  @Option(names = "--offline", description = "Never download: fail when a data set is not found.")
  boolean offline;

  DataLocation location() {
    return DataLocation.standard(dataDir);
  }

  FetchPolicy policy() {
    return offline ? FetchPolicy.OFFLINE : FetchPolicy.FETCH_IF_MISSING;
  }
}
