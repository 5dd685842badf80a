package superconv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static superconv.cli.CliRun.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
  }
}
