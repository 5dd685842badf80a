package superconv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static superconv.cli.CliRun.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import superconv.datasets.Dataset;
import superconv.datasets.Datasets;
import superconv.training.manifest.ComponentRules;
import superconv.training.manifest.Manifest;

/** {@code lr-range} end to end on RunCommandsTest's tiny synthetic Fashion-MNIST. */
class LrRangeCommandTest {

  @TempDir Path dir;

  private static final String MANIFEST = """
      [defaults]
      dataset = "fashion-mnist"
      width = 2
      epochs = 3
      batch_size = 16
      train_limit = 96
      test_limit = 16
      device = "cpu"

      [[experiment]]
      name = "sgd"
      optimizer = { type = "sgd", momentum = 0.9 }
      schedule = { type = "constant", lr = 0.05 }

      [[experiment]]
      name = "ada"
      optimizer = { type = "simple-adasecant" }
      """;

  private Path data() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("data/fashion-mnist"));
    RunCommandsTest.split(folder, "train", 100, 1);
    RunCommandsTest.split(folder, "t10k", 40, 2);
    return dir.resolve("data");
  }

  @Test
  void runsStopsWhenTheLossExplodesSuggestsBoundsAndWritesCsvAndPlot() throws Exception {
    Path manifest = Files.writeString(dir.resolve("experiments.toml"), MANIFEST);
    Path csv = dir.resolve("out/range.csv");
    Path png = dir.resolve("out/range.png");
    CliRun r = run("lr-range", manifest.toString(), "--experiment", "sgd", "--data-dir", data().toString(),
        "--offline", "--start", "1e-4", "--end", "1e4", "--iterations", "60", "--csv", csv.toString(), "--plot",
        png.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("lr-range sgd/sgd: sgd").contains("stopped: ")
        .contains("schedule = { type = \"triangular\", min = ").contains("cycle_epochs = 3 }")
        .contains("one cycle over the run's 3 epochs");
    java.util.List<String> rows = Files.readAllLines(csv);
    assertThat(rows.get(0)).isEqualTo("iteration,lr,loss,smoothed_loss");
    assertThat(rows.size() - 1).isBetween(2, 59);
    assertThat(Files.size(png)).isPositive();
    assertThat(dir.resolve("runs")).doesNotExist();

    CliRun json = run("lr-range", manifest.toString(), "--experiment", "sgd", "--data-dir", data().toString(),
        "--offline", "--start", "1e-4", "--end", "1e4", "--iterations", "60", "--json");
    assertThat(json.exitCode()).as(json.err()).isZero();
    JsonNode node = Json.mapper().readTree(json.out());
    assertThat(node.get("lr").size()).isEqualTo(rows.size() - 1);
    assertThat(node.get("suggestions").get("max").get("rule").asText()).contains("/ 10");
    assertThat(node.get("triangular").asText()).startsWith("schedule = { type = \"triangular\"");
  }

  @Test
  void evalEveryAddsTheTestAccuracyOfOneFixedSubsetToTheCsvTheJsonTheTextAndThePlot() throws Exception {
    Path manifest = Files.writeString(dir.resolve("experiments.toml"), MANIFEST);
    Path csv = dir.resolve("out/range.csv");
    Path png = dir.resolve("out/range.png");
    // 6 iterations per epoch (96 / 16): 20 iterations cross three epoch ends; rates too small to explode.
    String[] common = {"lr-range", manifest.toString(), "--experiment", "sgd", "--data-dir", data().toString(),
        "--offline", "--start", "1e-4", "--end", "1e-2", "--iterations", "20", "--eval-every", "5", "--eval-images",
        "8"};
    CliRun r = run(concat(common, "--csv", csv.toString(), "--plot", png.toString()));
    assertThat(r.exitCode()).as(r.err()).isZero();

    // The run's 16 test images (test_limit), then 8 of them, both with the run's seed.
    long seed = Manifest.load(manifest, ComponentRules.standard()).runs().get(0).seed();
    String subset = Datasets.read(Dataset.FASHION_MNIST, dir.resolve("data/fashion-mnist")).test().limit(16, seed)
        .limit(8, seed).sha256();
    assertThat(r.out()).contains("test accuracy every 5 iterations on 8 test images (stratified, seed " + seed
        + ", sha256 " + subset.substring(0, 12) + "): 4 evaluations").contains("observation, not a bound: test accuracy ");

    List<String> rows = Files.readAllLines(csv);
    assertThat(rows.get(0)).isEqualTo("iteration,lr,loss,smoothed_loss,test_accuracy,test_loss");
    assertThat(rows).hasSize(21);
    for (int i = 0; i < 20; i++) {
      String[] f = rows.get(i + 1).split(",", -1);
      assertThat(f).hasSize(6);
      if ((i + 1) % 5 == 0) {
        double accuracy = Double.parseDouble(f[4]);
        assertThat(accuracy * 8).as("row %s: a whole number of the 8 images", i).isCloseTo(Math.rint(accuracy * 8),
            org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Double.parseDouble(f[5])).isPositive();
      } else {
        assertThat(f[4] + f[5]).as("row %s is not evaluated", i).isEmpty();
      }
    }
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(1000);

    CliRun json = run(concat(common, "--json"));
    assertThat(json.exitCode()).as(json.err()).isZero();
    JsonNode node = Json.mapper().readTree(json.out());
    assertThat(node.get("evaluation").get("every").asInt()).isEqualTo(5);
    assertThat(node.get("evaluation").get("images").asInt()).isEqualTo(8);
    assertThat(node.get("evaluation").get("sha256").asText()).isEqualTo(subset);
    JsonNode points = node.get("evaluations");
    assertThat(points).hasSize(4);
    for (int k = 0; k < 4; k++) {
      JsonNode p = points.get(k);
      assertThat(p.get("iteration").asInt()).isEqualTo(5 * k + 4);
      assertThat(p.get("lr").asDouble()).isEqualTo(node.get("lr").get(5 * k + 4).asDouble());
      assertThat(p.get("test_accuracy").asDouble())
          .as("the same weights as the CSV's run").isEqualTo(Double.parseDouble(rows.get(5 * k + 5).split(",")[4]));
    }
    assertThat(node.get("accuracy_peak").get("observation").asText()).startsWith("observation, not a bound");
  }

  @Test
  void withoutEvalEveryTheOutputsAreTheLossOnes() throws Exception {
    Path manifest = Files.writeString(dir.resolve("experiments.toml"), MANIFEST);
    Path csv = dir.resolve("range.csv");
    CliRun r = run("lr-range", manifest.toString(), "--experiment", "sgd", "--data-dir", data().toString(),
        "--offline", "--start", "1e-4", "--end", "1e-2", "--iterations", "8", "--csv", csv.toString(), "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(Files.readAllLines(csv).get(0)).isEqualTo("iteration,lr,loss,smoothed_loss");
    JsonNode node = Json.mapper().readTree(r.out());
    assertThat(node.has("evaluation")).isFalse();
    assertThat(node.has("evaluations")).isFalse();
    assertThat(node.has("accuracy_peak")).isFalse();
  }

  private static String[] concat(String[] first, String... more) {
    String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }

  @Test
  void optimizersThatIgnoreTheRateAreRefusedInOneLine() throws Exception {
    Path manifest = Files.writeString(dir.resolve("experiments.toml"), MANIFEST);
    CliRun r = run("lr-range", manifest.toString(), "--experiment", "ada", "--data-dir", data().toString(),
        "--offline");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errLines()).containsExactly("superconv lr-range: ada/ada trains with simple-adasecant, which "
        + "calculates its own rates: a range test needs an optimizer that follows the fed rate (sgd, adam or cus-adam)");
    CliRun missing = run("lr-range", manifest.toString(), "--experiment", "nope");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("--experiment nope: no such experiment");
    CliRun images = run("lr-range", manifest.toString(), "--experiment", "sgd", "--data-dir", data().toString(),
        "--offline", "--eval-images", "100");
    assertThat(images.exitCode()).isEqualTo(2);
    assertThat(images.err()).contains("--eval-images 100 needs --eval-every K (K > 0): without it nothing is evaluated");
    CliRun rare = run("lr-range", manifest.toString(), "--experiment", "sgd", "--data-dir", data().toString(),
        "--offline", "--iterations", "10", "--eval-every", "11");
    assertThat(rare.exitCode()).isEqualTo(2);
    assertThat(rare.err()).contains("--eval-every 11 is more than the test's 10 iterations: no evaluation would run");
  }
}
