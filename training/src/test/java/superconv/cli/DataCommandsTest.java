package superconv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static superconv.cli.CliRun.run;
import static superconv.cli.IdxFiles.idx;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataCommandsTest {

  @TempDir Path dir;

  /** An IDX images file whose image k has every pixel equal to values[k]. */
  private static byte[] images(int... values) {
    byte[] data = new byte[values.length * 784];
    for (int k = 0; k < values.length; k++) {
      Arrays.fill(data, k * 784, (k + 1) * 784, (byte) values[k]);
    }
    return idx(new int[] {values.length, 28, 28}, data);
  }

  private static byte[] labels(int... labels) {
    byte[] data = new byte[labels.length];
    for (int i = 0; i < labels.length; i++) {
      data[i] = (byte) labels[i];
    }
    return idx(new int[] {labels.length}, data);
  }

  /** A tiny MNIST: train images of constant 0, 10, 20, 30 labelled 0, 1, 1, 9; test images 100, 200 labelled 3, 3. */
  private Path tinyMnist() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("mnist"));
    Files.write(folder.resolve("train-images-idx3-ubyte"), images(0, 10, 20, 30));
    Files.write(folder.resolve("train-labels-idx1-ubyte"), labels(0, 1, 1, 9));
    Files.write(folder.resolve("t10k-images-idx3-ubyte"), images(100, 200));
    Files.write(folder.resolve("t10k-labels-idx1-ubyte"), labels(3, 3));
    return folder;
  }

  @Test
  void infoJsonLastLineHoldsCountsAndStatistics() throws Exception {
    tinyMnist();
    CliRun run = run("data", "info", "--dataset", "mnist", "--data-dir", dir.toString(), "--offline", "--json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode info = Json.mapper().readTree(run.outLines().get(run.outLines().size() - 1));
    assertThat(info.get("dataset").asText()).isEqualTo("mnist");
    assertThat(info.get("classes")).hasSize(10);
    assertThat(info.get("classes").get(9).asText()).isEqualTo("9");
    JsonNode train = info.get("train");
    assertThat(train.get("count").asInt()).isEqualTo(4);
    assertThat(train.get("label_counts").toString()).isEqualTo("[1,2,0,0,0,0,0,0,0,1]");
    // Pixels 0, 10, 20, 30 in equal numbers: mean 15, population variance (225 + 25 + 25 + 225) / 4 = 125.
    assertThat(train.get("channel_mean")).hasSize(1);
    assertThat(train.get("channel_mean").get(0).asDouble()).isEqualTo(15.0);
    assertThat(train.get("channel_std").get(0).asDouble()).isEqualTo(Math.sqrt(125));
    JsonNode test = info.get("test");
    assertThat(test.get("count").asInt()).isEqualTo(2);
    assertThat(test.get("label_counts").get(3).asInt()).isEqualTo(2);
    assertThat(test.get("channel_mean").get(0).asDouble()).isEqualTo(150.0);
    assertThat(test.get("channel_std").get(0).asDouble()).isEqualTo(50.0);
    assertThat(test.get("sha256").asText()).hasSize(64);
  }

  @Test
  void infoWithoutJsonPrintsATable() throws Exception {
    tinyMnist();
    CliRun run = run("data", "info", "--dataset", "mnist", "--data-dir", dir.toString(), "--offline");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("mnist: 28x28x1 images, 10 classes, read from " + dir.resolve("mnist"))
        .contains("split   images  channel mean")
        .containsPattern("train\\s+4\\s+15\\.0000\\s+11\\.1803")
        .containsPattern("test\\s+2\\s+150\\.0000\\s+50\\.0000")
        .containsPattern("(?m)^1\\s+2\\s+0$")
        .containsPattern("(?m)^3\\s+0\\s+2$");
  }

  @Test
  void missingSetOfflineIsOneLineOnStderr() {
    CliRun run = run("data", "info", "--dataset", "cifar10", "--data-dir", dir.toString(), "--offline", "--json");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err())
        .startsWith("superconv data info: cifar10 not found (offline, so not downloaded): looked in "
            + dir.resolve("cifar-10-batches-bin"))
        .contains("superconv data fetch cifar10 --data-dir " + dir);
  }

  @Test
  void unknownDatasetListsTheValidOnes() {
    CliRun run = run("data", "info", "--dataset", "imagenet");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines()).containsExactly(
        "superconv data info: unknown dataset 'imagenet'; valid: cifar10, cifar100, fashion-mnist, mnist");
  }

  @Test
  void corruptFileIsNamedAndStackTraceOnlyWhenVerbose() throws Exception {
    Path folder = tinyMnist();
    Path labels = folder.resolve("t10k-labels-idx1-ubyte");
    Files.write(labels, labels(3, 12));

    CliRun quiet = run("data", "info", "--dataset", "mnist", "--data-dir", dir.toString(), "--offline");
    assertThat(quiet.exitCode()).isEqualTo(1);
    assertThat(quiet.errLines()).containsExactly(
        "superconv data info: " + labels + ": label 12 at byte offset 9 is outside 0..9");

    CliRun verbose = run("data", "info", "--dataset", "mnist", "--data-dir", dir.toString(), "--offline", "--verbose");
    assertThat(verbose.exitCode()).isEqualTo(1);
    assertThat(verbose.err()).contains("superconv.datasets.DatasetException").contains("\tat superconv.datasets.");
  }

  @Test
  void fetchDoesNothingWhenTheSetIsThere() throws Exception {
    Path folder = tinyMnist();
    CliRun run = run("data", "fetch", "mnist", "--data-dir", dir.toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.outLines()).containsExactly("mnist is already in " + folder);
  }

  @Test
  void failedFetchIsOneLineAndLeavesNothing() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
    });
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/mirror/";
    System.setProperty("superconv.data.url", base);
    try {
      Path root = dir.resolve("fresh");
      CliRun run = run("data", "fetch", "mnist", "--data-dir", root.toString());
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.errLines()).containsExactly(
          "superconv data fetch: cannot download " + base + "train-images-idx3-ubyte.gz: HTTP status 404");
      assertThat(root).doesNotExist();
    } finally {
      System.clearProperty("superconv.data.url");
      server.stop(0);
    }
  }

  @Test
  void listShowsWhereEachSetIs() throws Exception {
    Path folder = tinyMnist();
    CliRun run = run("data", "list", "--data-dir", dir.toString(), "--json");
    assertThat(run.exitCode()).isZero();
    JsonNode list = Json.mapper().readTree(run.outLines().get(run.outLines().size() - 1));
    assertThat(list).hasSize(4);
    assertThat(list.get(3).get("dataset").asText()).isEqualTo("mnist");
    assertThat(list.get(3).get("folder").asText()).isEqualTo(folder.toString());
    assertThat(list.get(0).get("folder").isNull()).isTrue();
  }

  @Test
  void dataWithoutSubcommandIsAUsageError() {
    CliRun run = run("data");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Missing subcommand").contains("info").contains("fetch");
  }

  @Test
  void realFashionMnistHasTheOfficialCounts() throws Exception {
    assumeThat(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
        .as("Debian's dataset-fashion-mnist installed").exists();
    // The Debian package's root named explicitly: a --data-dir is the only place looked at.
    CliRun run = run("data", "info", "--dataset", "fashion-mnist", "--data-dir", "/usr/share/datasets", "--offline",
        "--json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode info = Json.mapper().readTree(run.outLines().get(run.outLines().size() - 1));
    assertThat(info.get("train").get("count").asInt()).isEqualTo(60000);
    assertThat(info.get("test").get("count").asInt()).isEqualTo(10000);
    info.get("train").get("label_counts").forEach(count -> assertThat(count.asInt()).isEqualTo(6000));
    info.get("test").get("label_counts").forEach(count -> assertThat(count.asInt()).isEqualTo(1000));
    assertThat(info.get("classes").get(0).asText()).isEqualTo("T-shirt/top");
  }
}
