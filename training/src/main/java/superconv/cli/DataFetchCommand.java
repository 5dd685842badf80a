package superconv.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import superconv.datasets.DataLocation;
import superconv.datasets.Dataset;
import superconv.datasets.Fetcher;

/** {@code superconv data fetch}: download, verify and install a set's official files. */
@Command(
    name = "fetch",
    description = {
      "Download a data set's official files, verify their MD5 checksums and install them under the data root"
          + " (all or nothing). Does nothing when the set is already found.",
      "A mirror holding the official file names can stand in for the official URLs: system property "
          + Fetcher.BASE_URL_PROPERTY + " or environment variable " + Fetcher.BASE_URL_ENV + "."
    })
final class DataFetchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Parameters(index = "0", paramLabel = "DATASET", description = "cifar10, cifar100, fashion-mnist or mnist.")
  String dataset;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Data root to install into (default: $SUPERCONV_DATA, else ~/.cache/superconv).")
  Path dataDir;

  @Mixin Verbose verbose;

  @Override
  public Integer call() throws Exception {
    Dataset set = Dataset.fromId(dataset);
    DataLocation location = DataLocation.standard(dataDir);
    PrintWriter out = spec.commandLine().getOut();
    Optional<Path> found = location.find(set);
    if (found.isPresent()) {
      out.println(set.id() + " is already in " + found.get());
    } else {
      Path folder = new Fetcher().fetch(set, location.root());
      out.println(set.id() + " is ready in " + folder);
    }
    out.flush();
    return 0;
  }
}
