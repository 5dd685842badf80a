package superconv.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import superconv.datasets.Fixtures.TarEntry;

/** Downloads from an HTTP server on 127.0.0.1 serving small files made by the test. */
class FetcherTest {

  @TempDir Path dir;

  private HttpServer server;
  private final Map<String, byte[]> served = new ConcurrentHashMap<>();
  /** Paths whose response promises the whole file but stops after half of it and drops the connection. */
  private final Map<String, Boolean> broken = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();
  private Path root;

  @BeforeEach
  void startServer() throws IOException {
    root = dir.resolve("data");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      String path = exchange.getRequestURI().getPath();
      byte[] body = served.get(path);
      try (exchange) {
        if (body == null) {
          exchange.sendResponseHeaders(404, -1);
          return;
        }
        exchange.sendResponseHeaders(200, body.length);
        OutputStream out = exchange.getResponseBody();
        if (broken.containsKey(path)) {
          out.write(body, 0, body.length / 2);
          out.flush();
          throw new IOException("test server drops the connection mid-body");
        }
        out.write(body);
      }
    });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/sets");
  }

  private Fetcher fetcher(Dataset dataset, List<RemoteFile> files) {
    return new Fetcher(base(), Map.of(dataset, files));
  }

  /** The official CIFAR-10 archive layout, tiny: the fixture folder packed as cifar-10-batches-bin/. */
  private byte[] cifar10Archive(TarEntry... extra) throws IOException {
    Path folder = Fixtures.cifar10Folder(dir.resolve("packing"));
    Files.writeString(folder.resolve("batches.meta.txt"), String.join("\n", Dataset.CIFAR10.classNames()) + "\n\n");
    List<TarEntry> entries = new java.util.ArrayList<>();
    entries.add(TarEntry.folder("cifar-10-batches-bin/"));
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.sorted().toList()) {
        entries.add(TarEntry.file("cifar-10-batches-bin/" + file.getFileName(), Files.readAllBytes(file)));
      }
    }
    entries.addAll(Arrays.asList(extra));
    return Fixtures.tarGz(entries.toArray(TarEntry[]::new));
  }

  @Test
  void fetchesVerifiesAndUnpacksAnArchive() throws Exception {
    byte[] archive = cifar10Archive();
    served.put("/sets/cifar-10-binary.tar.gz", archive);
    Fetcher fetcher = fetcher(Dataset.CIFAR10, List.of(new RemoteFile("cifar-10-binary.tar.gz", Fixtures.md5(archive))));

    Path folder = fetcher.fetch(Dataset.CIFAR10, root);

    assertThat(folder).isEqualTo(root.resolve("cifar-10-batches-bin"));
    try (Stream<Path> left = Files.list(root)) {
      assertThat(left).containsExactly(folder); // no staging folder, no archive
    }
    DataSplits fetched = Datasets.read(Dataset.CIFAR10, folder);
    DataSplits original = Datasets.read(Dataset.CIFAR10, dir.resolve("packing/cifar-10-batches-bin"));
    assertThat(fetched.train().sha256()).isEqualTo(original.train().sha256());
    assertThat(fetched.test().sha256()).isEqualTo(original.test().sha256());

    // A second fetch finds the set in place and does not download again.
    int before = requests.get();
    assertThat(fetcher.fetch(Dataset.CIFAR10, root)).isEqualTo(folder);
    assertThat(requests.get()).isEqualTo(before);
  }

  @Test
  void fetchesTheFourIdxFiles() throws Exception {
    Path source = Fixtures.idxFolder(dir.resolve("source"), true);
    List<RemoteFile> files = new java.util.ArrayList<>();
    for (RemoteFile official : Dataset.FASHION_MNIST.remoteFiles()) {
      byte[] bytes = Files.readAllBytes(source.resolve(official.name()));
      served.put("/sets/" + official.name(), bytes);
      files.add(new RemoteFile(official.name(), Fixtures.md5(bytes)));
    }

    Path folder = fetcher(Dataset.FASHION_MNIST, files).fetch(Dataset.FASHION_MNIST, root);

    assertThat(folder).isEqualTo(root.resolve("fashion-mnist"));
    assertThat(Datasets.read(Dataset.FASHION_MNIST, folder).train().sha256())
        .isEqualTo(Datasets.read(Dataset.FASHION_MNIST, source).train().sha256());
    try (Stream<Path> left = Files.list(root)) {
      assertThat(left).containsExactly(folder);
    }
  }

  @Test
  void badChecksumLeavesNothingBehind() throws Exception {
    byte[] archive = cifar10Archive();
    served.put("/sets/cifar-10-binary.tar.gz", archive);
    String wrong = "0123456789abcdef0123456789abcdef";
    Fetcher fetcher = fetcher(Dataset.CIFAR10, List.of(new RemoteFile("cifar-10-binary.tar.gz", wrong)));

    assertThatThrownBy(() -> fetcher.fetch(Dataset.CIFAR10, root))
        .isInstanceOf(DatasetException.class)
        .hasMessage("download of " + base() + "/cifar-10-binary.tar.gz has MD5 " + Fixtures.md5(archive)
            + ", expected " + wrong + "; it was not kept");
    assertThat(root).doesNotExist(); // made for the fetch, removed with it

    Files.createDirectories(root);
    assertThatThrownBy(() -> fetcher.fetch(Dataset.CIFAR10, root)).isInstanceOf(DatasetException.class);
    assertThat(root).isEmptyDirectory();
  }

  @Test
  void brokenConnectionLeavesNothingBehind() throws Exception {
    byte[] archive = cifar10Archive();
    served.put("/sets/cifar-10-binary.tar.gz", archive);
    broken.put("/sets/cifar-10-binary.tar.gz", true);
    Files.createDirectories(root);
    Fetcher fetcher = fetcher(Dataset.CIFAR10, List.of(new RemoteFile("cifar-10-binary.tar.gz", Fixtures.md5(archive))));

    assertThatThrownBy(() -> fetcher.fetch(Dataset.CIFAR10, root))
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith("download of " + base() + "/cifar-10-binary.tar.gz broke off after ")
        .hasMessageEndingWith(" of " + archive.length + ": closed");
    assertThat(root).isEmptyDirectory();
  }

  @Test
  void brokenConnectionInTheMiddleOfSeveralFilesLeavesNothingBehind() throws Exception {
    Path source = Fixtures.idxFolder(dir.resolve("source"), true);
    List<RemoteFile> files = new java.util.ArrayList<>();
    for (RemoteFile official : Dataset.MNIST.remoteFiles()) {
      byte[] bytes = Files.readAllBytes(source.resolve(official.name()));
      served.put("/sets/" + official.name(), bytes);
      files.add(new RemoteFile(official.name(), Fixtures.md5(bytes)));
    }
    broken.put("/sets/t10k-images-idx3-ubyte.gz", true);
    Files.createDirectories(root);

    assertThatThrownBy(() -> fetcher(Dataset.MNIST, files).fetch(Dataset.MNIST, root))
        .hasMessageContaining("t10k-images-idx3-ubyte.gz broke off");
    assertThat(root).isEmptyDirectory();
  }

  @Test
  void httpErrorIsReported() throws Exception {
    Files.createDirectories(root);
    Fetcher fetcher = fetcher(Dataset.CIFAR100, List.of(new RemoteFile("cifar-100-binary.tar.gz", "0123456789abcdef0123456789abcdef")));
    assertThatThrownBy(() -> fetcher.fetch(Dataset.CIFAR100, root))
        .hasMessage("cannot download " + base() + "/cifar-100-binary.tar.gz: HTTP status 404");
    assertThat(root).isEmptyDirectory();
  }

  @Test
  void refusesArchiveEntriesThatClimbOut() throws Exception {
    byte[] archive = cifar10Archive(TarEntry.file("cifar-10-batches-bin/../../escaped.txt", new byte[] {1}));
    served.put("/sets/cifar-10-binary.tar.gz", archive);
    Files.createDirectories(root);
    Fetcher fetcher = fetcher(Dataset.CIFAR10, List.of(new RemoteFile("cifar-10-binary.tar.gz", Fixtures.md5(archive))));

    assertThatThrownBy(() -> fetcher.fetch(Dataset.CIFAR10, root))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("refusing entry 'cifar-10-batches-bin/../../escaped.txt': it would land outside");
    assertThat(root).isEmptyDirectory();
    assertThat(dir.resolve("escaped.txt")).doesNotExist();
    assertThat(root.resolve("escaped.txt")).doesNotExist();
  }

  @Test
  void refusesAbsoluteEntriesAndLinks() throws Exception {
    Path archive = dir.resolve("a.tar.gz");
    Path target = dir.resolve("out");

    Files.write(archive, Fixtures.tarGz(TarEntry.file("/tmp/superconv-absolute-entry", new byte[] {1})));
    assertThatThrownBy(() -> Fetcher.extractTarGz(archive, target))
        .hasMessage(archive + ": refusing entry '/tmp/superconv-absolute-entry': absolute path");

    Files.write(archive, Fixtures.tarGz(TarEntry.symlink("cifar-10-batches-bin/data_batch_1.bin", "/etc/passwd")));
    assertThatThrownBy(() -> Fetcher.extractTarGz(archive, target))
        .hasMessage(archive + ": refusing entry 'cifar-10-batches-bin/data_batch_1.bin': links are not extracted"
            + " (points to '/etc/passwd')");

    Files.write(archive, Fixtures.tarGz(TarEntry.file("../sibling", new byte[] {1})));
    assertThatThrownBy(() -> Fetcher.extractTarGz(archive, target)).hasMessageContaining("would land outside");
    assertThat(dir.resolve("sibling")).doesNotExist();
  }

  @Test
  void refusesArchiveWithoutTheSetsFolder() throws Exception {
    byte[] archive = Fixtures.tarGz(TarEntry.file("something-else/data_batch_1.bin", new byte[] {1}));
    served.put("/sets/cifar-10-binary.tar.gz", archive);
    Fetcher fetcher = fetcher(Dataset.CIFAR10, List.of(new RemoteFile("cifar-10-binary.tar.gz", Fixtures.md5(archive))));
    assertThatThrownBy(() -> fetcher.fetch(Dataset.CIFAR10, root))
        .hasMessage("the archive of cifar10 holds no folder cifar-10-batches-bin");
    assertThat(root).doesNotExist();
  }

  @Test
  void leavesAnIncompleteFolderAloneAndSaysSo() throws Exception {
    Path folder = root.resolve("cifar-10-batches-bin");
    Fixtures.write(folder.resolve("data_batch_1.bin"), Fixtures.cifarRecords(0, null, new int[] {1}));
    Fetcher fetcher = fetcher(Dataset.CIFAR10, List.of(new RemoteFile("cifar-10-binary.tar.gz", "0123456789abcdef0123456789abcdef")));

    assertThatThrownBy(() -> fetcher.fetch(Dataset.CIFAR10, root))
        .hasMessage(folder + " exists but lacks data_batch_2.bin, data_batch_3.bin, data_batch_4.bin, data_batch_5.bin,"
            + " test_batch.bin; move it away (or complete it) and fetch again");
    assertThat(requests.get()).isZero();
    try (Stream<Path> left = Files.list(folder)) {
      assertThat(left).containsExactly(folder.resolve("data_batch_1.bin"));
    }
  }

  @Test
  void locateFetchesAMissingSetUnlessOffline() throws Exception {
    byte[] archive = cifar10Archive();
    served.put("/sets/cifar-10-binary.tar.gz", archive);
    Fetcher fetcher = fetcher(Dataset.CIFAR10, List.of(new RemoteFile("cifar-10-binary.tar.gz", Fixtures.md5(archive))));
    DataLocation location = DataLocation.only(root);

    assertThatThrownBy(() -> Datasets.locate(Dataset.CIFAR10, location, FetchPolicy.OFFLINE, fetcher))
        .hasMessageContaining("(offline, so not downloaded)");
    assertThat(requests.get()).isZero();

    assertThat(Datasets.locate(Dataset.CIFAR10, location, FetchPolicy.FETCH_IF_MISSING, fetcher))
        .isEqualTo(root.resolve("cifar-10-batches-bin"));
    assertThat(requests.get()).isEqualTo(1);
  }

  @Test
  void locateExplainsWhereToPutFilesWhenTheNetworkIsUnreachable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    Fetcher unreachable = new Fetcher(URI.create("http://127.0.0.1:" + closedPort + "/"));
    assertThatThrownBy(() -> Datasets.locate(Dataset.MNIST, DataLocation.only(root), FetchPolicy.FETCH_IF_MISSING, unreachable))
        .hasMessageStartingWith("mnist not found (download failed: cannot download http://127.0.0.1:" + closedPort
            + "/train-images-idx3-ubyte.gz: connection refused: 127.0.0.1:" + closedPort + ")")
        .hasMessageContaining("): looked in " + root.resolve("mnist"))
        .hasMessageContaining("Put train-images-idx3-ubyte, train-labels-idx1-ubyte")
        .hasMessageEndingWith("superconv data fetch mnist --data-dir " + root);
    assertThat(root).doesNotExist();
  }

  @Test
  void baseUrlOverrideComesFromPropertyThenEnvironment() {
    Map<String, String> env = Map.of(Fetcher.BASE_URL_ENV, "https://env.example/data/");
    assertThat(Fetcher.overrideFrom("http://prop.example/x", env)).isEqualTo(URI.create("http://prop.example/x"));
    assertThat(Fetcher.overrideFrom(null, env)).isEqualTo(URI.create("https://env.example/data/"));
    assertThat(Fetcher.overrideFrom(null, Map.of())).isNull();
    assertThatThrownBy(() -> Fetcher.overrideFrom("ftp://old.example/", Map.of()))
        .hasMessageContaining("must be http or https");
    assertThat(new Fetcher(URI.create("http://mirror.example/a")).downloadBase(Dataset.MNIST))
        .isEqualTo(URI.create("http://mirror.example/a/"));
    assertThat(new Fetcher((URI) null).downloadBase(Dataset.MNIST)).isEqualTo(Dataset.MNIST.downloadBase());
  }
}
