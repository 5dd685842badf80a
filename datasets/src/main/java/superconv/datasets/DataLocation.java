package superconv.datasets;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where data sets are looked for: one writable root (where {@code superconv data fetch} puts sets) and read-only
 * shared roots searched after it. A set lives in {@code <root>/<Dataset.folderName()>}.
 *
 * <p>The writable root is {@code --data-dir} when given, else the environment variable {@code SUPERCONV_DATA}, else
 * {@code ~/.cache/superconv}. Only the last, the default, has a shared root after it: {@code /usr/share/datasets},
 * where Debian's {@code dataset-fashion-mnist} package installs {@code fashion-mnist/*-idx?-ubyte.gz}. A root the
 * user named is the only place looked at: a run must not train, unnoticed, on files from somewhere else.
 *
 * @param root the writable root, searched first
 * @param sharedRoots read-only roots searched after it, in order
 */
public record DataLocation(Path root, List<Path> sharedRoots) {

  /** Environment variable naming the data root when there is no {@code --data-dir}. */
  public static final String DATA_DIR_ENV = "SUPERCONV_DATA";
  /** Where Debian's dataset packages install their files. */
  public static final Path DEBIAN_DATASETS = Path.of("/usr/share/datasets");

  public DataLocation {
    root = root.toAbsolutePath().normalize();
    sharedRoots = sharedRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
  }

  /**
   * The standard location: {@code dataDir} if not null, else {@code $SUPERCONV_DATA}, else {@code ~/.cache/superconv}
   * followed by {@code /usr/share/datasets}.
   */
  public static DataLocation standard(Path dataDir) {
    return standard(dataDir, System.getenv(), Path.of(System.getProperty("user.home")));
  }

  static DataLocation standard(Path dataDir, Map<String, String> env, Path home) {
    if (dataDir != null) {
      return only(dataDir);
    }
    if (env.get(DATA_DIR_ENV) != null && !env.get(DATA_DIR_ENV).isBlank()) {
      return only(Path.of(env.get(DATA_DIR_ENV)));
    }
    return new DataLocation(home.resolve(".cache").resolve("superconv"), List.of(DEBIAN_DATASETS));
  }

  /** Only {@code root}, no shared roots. */
  public static DataLocation only(Path root) {
    return new DataLocation(root, List.of());
  }

  /** The folder under the writable root for a set: where it is fetched to and where users put its files. */
  public Path folder(Dataset dataset) {
    return root.resolve(dataset.folderName());
  }

  /** The folders searched for a set, in order. */
  public List<Path> candidates(Dataset dataset) {
    return Stream.concat(Stream.of(root), sharedRoots.stream())
        .map(r -> r.resolve(dataset.folderName()))
        .distinct()
        .toList();
  }

  /** The first searched folder that holds all data files of the set. */
  public Optional<Path> find(Dataset dataset) {
    return candidates(dataset).stream().filter(folder -> missingFiles(dataset, folder).isEmpty()).findFirst();
  }

  /**
   * The data files of a set that a folder lacks (names as in {@link Dataset#trainFiles()}); empty when the set is
   * complete there. IDX files count as present gzipped or plain.
   */
  public static List<String> missingFiles(Dataset dataset, Path folder) {
    List<String> missing = new ArrayList<>();
    for (String name : allFiles(dataset)) {
      if (dataFile(dataset, folder, name).isEmpty()) {
        missing.add(name);
      }
    }
    return missing;
  }

  /** The path of one data file in a folder: for IDX sets the plain file if present, else the {@code .gz} one. */
  static Optional<Path> dataFile(Dataset dataset, Path folder, String name) {
    Path plain = folder.resolve(name);
    if (Files.isRegularFile(plain)) {
      return Optional.of(plain);
    }
    if (dataset.format() == Dataset.Format.IDX) {
      Path gzip = folder.resolve(name + ".gz");
      if (Files.isRegularFile(gzip)) {
        return Optional.of(gzip);
      }
    }
    return Optional.empty();
  }

  static List<String> allFiles(Dataset dataset) {
    return Stream.concat(dataset.trainFiles().stream(), dataset.testFiles().stream()).toList();
  }

  /**
   * One line saying where the set was looked for, which files to put where, and the command that fetches it.
   *
   * @param downloadBase where the official files come from (the fetcher's base URL for this set)
   */
  public String missingMessage(Dataset dataset, URI downloadBase) {
    return missingMessage(dataset, downloadBase, null);
  }

  /**
   * As {@link #missingMessage(Dataset, URI)}, with a note on why it was not fetched, e.g. {@code "offline"},
   * placed right after "not found".
   */
  public String missingMessage(Dataset dataset, URI downloadBase, String whyNotFetched) {
    StringBuilder message = new StringBuilder(dataset.id()).append(" not found");
    if (whyNotFetched != null) {
      message.append(" (").append(whyNotFetched).append(")");
    }
    message.append(": looked in ");
    message.append(candidates(dataset).stream().map(folder -> {
      if (!Files.isDirectory(folder)) {
        return folder.toString();
      }
      return folder + " (lacks " + missingFiles(dataset, folder).stream()
          .map(name -> Files.isDirectory(folder.resolve(name)) ? name + ", which is a directory there" : name)
          .collect(Collectors.joining(", ")) + ")";
    }).collect(Collectors.joining(", ")));
    Path target = folder(dataset);
    String files = String.join(", ", allFiles(dataset));
    String sources = dataset.remoteFiles().stream()
        .map(f -> downloadBase.resolve(f.name()).toString())
        .collect(Collectors.joining(", "));
    if (dataset.downloadIsArchive()) {
      message.append(". Put ").append(files).append(" in ").append(target)
          .append(" (unpack ").append(sources).append(" in ").append(root).append(")");
    } else {
      message.append(". Put ").append(files).append(" (each gzipped as .gz or plain) in ").append(target)
          .append(" (from ").append(sources).append(")");
    }
    message.append(", or run: superconv data fetch ").append(dataset.id()).append(" --data-dir ").append(root);
    return message.toString();
  }
}
