package superconv.datasets;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Downloads a data set's official files, verifies their MD5s and installs the set under a data root, all or nothing.
 *
 * <p>Everything happens in a staging folder {@code <root>/.superconv-fetch-<id>-*}: the downloads, the check of each
 * checksum, the extraction of CIFAR's tar.gz (regular files and folders only; an entry that is a link, or whose path
 * is absolute or climbs out with {@code ..}, fails the fetch). Only a verified, complete set is moved into place,
 * with one atomic rename; the staging folder is deleted whatever happens, also on Ctrl-C.
 *
 * <p>The download base URL is the set's official one unless the system property {@value #BASE_URL_PROPERTY} or the
 * environment variable {@value #BASE_URL_ENV} names another (a mirror holding the official file names).
 */
public final class Fetcher {

  /** System property naming a download base URL used instead of the official ones. */
  public static final String BASE_URL_PROPERTY = "superconv.data.url";
  /** Environment variable naming a download base URL used instead of the official ones (the property wins). */
  public static final String BASE_URL_ENV = "SUPERCONV_DATA_URL";

  private static final Logger LOG = LogManager.getLogger(Fetcher.class);
  private static final int BUFFER_BYTES = 1 << 20;
  private static final long PROGRESS_STEP_BYTES = 32L << 20;
  /** How long to wait for a response to start; the body of a large file may take as long as it needs. */
  private static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(2);

  private final HttpClient client;
  private final URI baseOverride;
  private final Map<Dataset, List<RemoteFile>> filesOverride;

  /** A fetcher using the official URLs, or the override from {@value #BASE_URL_PROPERTY} / {@value #BASE_URL_ENV}. */
  public Fetcher() {
    this(defaultClient(), overrideFrom(System.getProperty(BASE_URL_PROPERTY), System.getenv()), Map.of());
  }

  /** A fetcher downloading every set from {@code base} (a mirror with the official file names), or the official URLs when null. */
  public Fetcher(URI base) {
    this(defaultClient(), base, Map.of());
  }

  /** Tests: serve their own small files, so they give the files (and checksums) to expect per set. */
  Fetcher(URI base, Map<Dataset, List<RemoteFile>> filesOverride) {
    this(defaultClient(), base, filesOverride);
  }

  private Fetcher(HttpClient client, URI base, Map<Dataset, List<RemoteFile>> filesOverride) {
    this.client = client;
    this.baseOverride = base == null ? null : withTrailingSlash(base);
    this.filesOverride = Map.copyOf(filesOverride);
  }

  static URI overrideFrom(String property, Map<String, String> env) {
    String value = property != null && !property.isBlank() ? property : env.get(BASE_URL_ENV);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      URI uri = new URI(value.strip());
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        throw new DatasetException("download base URL '" + value + "' (" + BASE_URL_PROPERTY + " / " + BASE_URL_ENV
            + ") must be http or https");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new DatasetException("download base URL '" + value + "' (" + BASE_URL_PROPERTY + " / " + BASE_URL_ENV
          + ") is not a URL: " + e.getMessage(), e);
    }
  }

  private static HttpClient defaultClient() {
    return HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(30))
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  private static URI withTrailingSlash(URI base) {
    String text = base.toString();
    return text.endsWith("/") ? base : URI.create(text + "/");
  }

  /** The base URL this fetcher downloads the set's files from. */
  public URI downloadBase(Dataset dataset) {
    return baseOverride != null ? baseOverride : dataset.downloadBase();
  }

  /**
   * Makes sure the set is in {@code <root>/<folderName>}: returns at once when it is complete there, else downloads,
   * verifies and installs it. A folder that exists there with some files missing is left alone and reported.
   *
   * @return the set's folder
   */
  public Path fetch(Dataset dataset, Path root) {
    return fetch(dataset, filesOverride.getOrDefault(dataset, dataset.remoteFiles()), root);
  }

  private Path fetch(Dataset dataset, List<RemoteFile> files, Path root) {
    root = root.toAbsolutePath().normalize();
    Path target = root.resolve(dataset.folderName());
    if (Files.isDirectory(target)) {
      List<String> missing = DataLocation.missingFiles(dataset, target);
      if (missing.isEmpty()) {
        LOG.info("{} is already in {}", dataset.id(), target);
        return target;
      }
      if (!isEmptyFolder(target)) {
        throw new DatasetException(target + " exists but lacks " + String.join(", ", missing)
            + "; move it away (or complete it) and fetch again");
      }
    } else if (Files.exists(target)) {
      throw new DatasetException(target + " exists and is not a folder; move it away and fetch again");
    }
    boolean rootExisted = Files.isDirectory(root);
    Path staging;
    try {
      Files.createDirectories(root);
      staging = Files.createTempDirectory(root, ".superconv-fetch-" + dataset.id() + "-");
    } catch (IOException e) {
      throw new DatasetException(root + ": cannot create a folder there: " + IoErrors.reason(e), e);
    }
    Thread cleanup = new Thread(() -> deleteQuietly(staging), "superconv-fetch-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    boolean installed = false;
    try {
      Path ready = dataset.downloadIsArchive()
          ? downloadArchive(dataset, files, staging)
          : downloadFiles(dataset, files, staging);
      List<String> missing = DataLocation.missingFiles(dataset, ready);
      if (!missing.isEmpty()) {
        throw new DatasetException("the download of " + dataset.id() + " lacks " + String.join(", ", missing));
      }
      install(ready, target);
      installed = true;
      LOG.info("{} is ready in {}", dataset.id(), target);
      return target;
    } finally {
      deleteQuietly(staging);
      if (!installed && !rootExisted) {
        deleteIfEmpty(root); // it was made for this fetch
      }
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException shuttingDown) {
        // The hook runs anyway; nothing left to do.
      }
    }
  }

  private Path downloadArchive(Dataset dataset, List<RemoteFile> files, Path staging) {
    Path extracted = staging.resolve("extracted");
    for (RemoteFile file : files) {
      Path archive = staging.resolve(file.name());
      download(downloadBase(dataset).resolve(file.name()), file, archive);
      LOG.info("Unpacking {}", file.name());
      extractTarGz(archive, extracted);
    }
    Path folder = extracted.resolve(dataset.folderName());
    if (!Files.isDirectory(folder)) {
      throw new DatasetException("the archive of " + dataset.id() + " holds no folder " + dataset.folderName());
    }
    return folder;
  }

  private Path downloadFiles(Dataset dataset, List<RemoteFile> files, Path staging) {
    Path folder = staging.resolve(dataset.folderName());
    try {
      Files.createDirectory(folder);
    } catch (IOException e) {
      throw new DatasetException(folder + ": cannot create: " + IoErrors.reason(e), e);
    }
    for (RemoteFile file : files) {
      download(downloadBase(dataset).resolve(file.name()), file, folder.resolve(file.name()));
    }
    return folder;
  }

  /** Downloads {@code url} to {@code destination}, failing unless every byte arrived and the MD5 matches. */
  void download(URI url, RemoteFile file, Path destination) {
    LOG.info("Downloading {}", url);
    HttpResponse<InputStream> response;
    try {
      response = client.send(HttpRequest.newBuilder(url).timeout(RESPONSE_TIMEOUT).GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new DatasetException("cannot download " + url + ": " + describe(e, url), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DatasetException("download of " + url + " interrupted", e);
    }
    long expected = response.headers().firstValueAsLong("Content-Length").orElse(-1);
    MessageDigest md5 = md5();
    long received = 0;
    try (InputStream in = response.body()) {
      if (response.statusCode() != 200) {
        throw new DatasetException("cannot download " + url + ": HTTP status " + response.statusCode());
      }
      try (OutputStream out = Files.newOutputStream(destination)) {
        byte[] buffer = new byte[BUFFER_BYTES];
        long nextReport = PROGRESS_STEP_BYTES;
        for (int n; (n = in.read(buffer)) >= 0; ) {
          md5.update(buffer, 0, n);
          out.write(buffer, 0, n);
          received += n;
          if (received >= nextReport) {
            LOG.info("  {} MB{}", received >> 20, expected > 0 ? " of " + (expected >> 20) + " MB" : "");
            nextReport += PROGRESS_STEP_BYTES;
          }
        }
      }
    } catch (IOException e) {
      throw new DatasetException("download of " + url + " broke off after " + received + " bytes"
          + (expected >= 0 ? " of " + expected : "") + ": " + describe(e), e);
    }
    if (expected >= 0 && received != expected) {
      throw new DatasetException("download of " + url + " broke off after " + received + " of " + expected + " bytes");
    }
    String actual = HexFormat.of().formatHex(md5.digest());
    if (!actual.equals(file.md5())) {
      throw new DatasetException("download of " + url + " has MD5 " + actual + ", expected " + file.md5()
          + "; it was not kept");
    }
    LOG.info("Verified {} ({} bytes, MD5 {})", file.name(), received, actual);
  }

  /**
   * Unpacks a tar.gz into {@code destination}: folders and regular files only. An absolute entry, one that climbs
   * out with {@code ..}, a link (symbolic or hard, whose target the archive controls) or a device is refused.
   */
  static void extractTarGz(Path archive, Path destination) {
    Path base = destination.toAbsolutePath().normalize();
    try (InputStream file = Files.newInputStream(archive);
        TarArchiveInputStream tar = new TarArchiveInputStream(
            new GzipCompressorInputStream(new BufferedInputStream(file, BUFFER_BYTES)))) {
      Files.createDirectories(base);
      for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
        String name = entry.getName();
        Path relative;
        try {
          relative = Path.of(name);
        } catch (InvalidPathException e) {
          throw new DatasetException(archive + ": refusing entry '" + name + "': not a valid path here", e);
        }
        if (name.startsWith("/") || name.startsWith("\\") || relative.isAbsolute()) {
          throw new DatasetException(archive + ": refusing entry '" + name + "': absolute path");
        }
        Path path = base.resolve(relative).normalize();
        if (!path.startsWith(base) || path.equals(base) && !entry.isDirectory()) {
          throw new DatasetException(archive + ": refusing entry '" + name + "': it would land outside " + base);
        }
        if (entry.isSymbolicLink() || entry.isLink()) {
          throw new DatasetException(archive + ": refusing entry '" + name + "': links are not extracted (points to '"
              + entry.getLinkName() + "')");
        }
        if (entry.isDirectory()) {
          Files.createDirectories(path);
        } else if (entry.isFile()) {
          Files.createDirectories(path.getParent());
          Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
        } else {
          throw new DatasetException(archive + ": refusing entry '" + name + "': not a regular file or folder");
        }
      }
    } catch (IOException e) {
      throw new DatasetException(archive + ": cannot unpack: " + describe(e), e);
    }
  }

  private static void install(Path ready, Path target) {
    try {
      Files.deleteIfExists(target); // an empty folder left there; a non-empty one was refused before
      Files.move(ready, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (DirectoryNotEmptyException e) {
      throw new DatasetException(target + " appeared while fetching; move it away and fetch again", e);
    } catch (IOException e) {
      throw new DatasetException("cannot move the fetched set to " + target + ": " + describe(e), e);
    }
  }

  private static boolean isEmptyFolder(Path folder) {
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  private static void deleteIfEmpty(Path folder) {
    try {
      Files.deleteIfExists(folder);
    } catch (IOException e) {
      LOG.debug("leaving {}: {}", folder, e.getMessage());
    }
  }

  /** Deletes a file or folder tree (our staging folder), as far as it can. */
  private static void deleteQuietly(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          LOG.debug("cannot delete {}: {}", p, e.getMessage());
        }
      });
    } catch (IOException e) {
      LOG.debug("cannot walk {}: {}", path, e.getMessage());
    }
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has MD5", e);
    }
  }

  /**
   * A failure to reach {@code url} in words: a refused connection as such (the HTTP client reports it as a
   * ConnectException whose cause is a bare ClosedChannelException), else as {@link #describe(Throwable)}.
   */
  static String describe(Throwable e, URI url) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException) {
        int port = url.getPort() != -1 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
        return "connection refused: " + url.getHost() + ":" + port;
      }
    }
    return describe(e);
  }

  /** An I/O failure in words: a file failure as {@link IoErrors#describe}, else the first message along its causes. */
  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof UnresolvedAddressException || root instanceof UnknownHostException) {
      return "host not found (no network?)";
    }
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.nio.file.FileSystemException f) {
        return IoErrors.describe(f);
      }
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return "no details given";
  }
}
