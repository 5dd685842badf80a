package superconv.datasets;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The entry point for loading a data set: find it (or fetch it), then read both splits into memory.
 *
 * <pre>{@code
 * DataSplits data = Datasets.load(Dataset.CIFAR10, DataLocation.standard(dataDir), FetchPolicy.FETCH_IF_MISSING);
 * }</pre>
 */
public final class Datasets {

  private static final Logger LOG = LogManager.getLogger(Datasets.class);

  private Datasets() {}

  /** Finds the set, fetching it with the standard {@link Fetcher} when missing and the policy allows, and reads it. */
  public static DataSplits load(Dataset dataset, DataLocation location, FetchPolicy policy) {
    return read(dataset, locate(dataset, location, policy, new Fetcher()));
  }

  /**
   * The folder holding the set: the first complete one the location knows, else (policy permitting) the folder the
   * fetcher installs it in. Fails with a message saying which files to put where.
   */
  public static Path locate(Dataset dataset, DataLocation location, FetchPolicy policy, Fetcher fetcher) {
    Optional<Path> found = location.find(dataset);
    if (found.isPresent()) {
      return found.get();
    }
    URI base = fetcher.downloadBase(dataset);
    if (policy == FetchPolicy.OFFLINE) {
      throw new DatasetException(location.missingMessage(dataset, base, "offline, so not downloaded"));
    }
    LOG.info("{} not found locally; fetching it into {}", dataset.id(), location.folder(dataset));
    try {
      return fetcher.fetch(dataset, location.root());
    } catch (DatasetException e) {
      throw new DatasetException(location.missingMessage(dataset, base, "download failed: " + e.getMessage()), e);
    }
  }

  /** Reads both splits from a folder holding the set's files (names as in {@link Dataset#trainFiles()}). */
  public static DataSplits read(Dataset dataset, Path folder) {
    long start = System.nanoTime();
    List<String> classNames = classNames(dataset, folder);
    ImageSet train = readSplit(dataset, folder, "train", dataset.trainFiles(), classNames);
    ImageSet test = readSplit(dataset, folder, "test", dataset.testFiles(), classNames);
    LOG.info("Read {} from {}: {} training and {} test images in {} ms",
        dataset.id(), folder, train.size(), test.size(), (System.nanoTime() - start) / 1_000_000);
    return new DataSplits(dataset, folder, train, test);
  }

  private static List<String> classNames(Dataset dataset, Path folder) {
    if (dataset.classNamesFile() != null) {
      Path namesFile = folder.resolve(dataset.classNamesFile());
      if (Files.isRegularFile(namesFile)) {
        return Readers.classNames(namesFile, dataset.classes());
      }
    }
    return dataset.classNames();
  }

  private static ImageSet readSplit(Dataset dataset, Path folder, String split, List<String> names, List<String> classNames) {
    List<Path> files = new ArrayList<>();
    for (String name : names) {
      files.add(DataLocation.dataFile(dataset, folder, name)
          .orElseThrow(() -> new DatasetException(folder.resolve(name) + ": no such file"
              + (dataset.format() == Dataset.Format.IDX ? " (nor " + name + ".gz)" : ""))));
    }
    String setName = dataset.id() + "/" + split;
    return switch (dataset.format()) {
      case CIFAR10 -> CifarReader.read(setName, files, 1, classNames);
      case CIFAR100 -> CifarReader.read(setName, files, 2, classNames);
      case IDX -> IdxReader.readSet(setName, files.get(0), files.get(1), dataset.height(), dataset.width(), classNames);
    };
  }
}
