package superconv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static superconv.cli.CliRun.run;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import superconv.training.session.TensorFlowNatives;

/**
 * {@code graph summary MANIFEST --placement}: the audit with the GPU natives ({@code mvn -Pgpu}), a one-line error
 * that names the GPU build with the CPU natives, and usage errors either way.
 */
class GraphPlacementCommandTest {

  @TempDir Path dir;

  private Path manifest() throws Exception {
    Path file = dir.resolve("placement.toml");
    Files.writeString(file, """
        [[experiment]]
        name = "tiny"
        dataset = "fashion-mnist"
        network = "resnet18"
        width = 2
        batch_size = 16
        epochs = 1
        data_protocol = "standard"
        optimizer = { type = "sgd", momentum = 0.9 }
        schedule = { type = "constant", lr = 0.01 }
        [experiment.grid]
        input = ["resident", "host"]
        """);
    return file;
  }

  @Test
  void withTheCpuNativesItSaysTheAuditNeedsTheGpuBuild() throws Exception {
    assumeFalse(TensorFlowNatives.current().gpu(), "the GPU natives are loaded: the audit runs");
    CliRun run = run("graph", "summary", manifest().toString(), "--placement");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines()).hasSize(1);
    assertThat(run.err()).contains("superconv graph summary: the placement audit needs TensorFlow's GPU natives")
        .contains("CPU natives (linux-x86_64)")
        .contains("SUPERCONV_MAVEN_ARGS=-Pgpu ./superconv graph summary MANIFEST --placement");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void theAuditAndTheNetworkSummaryDoNotMix() throws Exception {
    String manifest = manifest().toString();
    CliRun bare = run("graph", "summary", "--placement");
    assertThat(bare.exitCode()).isEqualTo(2);
    assertThat(bare.err()).contains("--placement needs a MANIFEST");
    CliRun noFlag = run("graph", "summary", manifest);
    assertThat(noFlag.exitCode()).isEqualTo(2);
    assertThat(noFlag.err()).contains("MANIFEST and --only go with --placement");
    CliRun mixed = run("graph", "summary", manifest, "--placement", "--network", "resnet18");
    assertThat(mixed.exitCode()).isEqualTo(2);
    assertThat(mixed.err()).contains("--placement takes its networks from the MANIFEST");
    CliRun neither = run("graph", "summary");
    assertThat(neither.exitCode()).isEqualTo(2);
    assertThat(neither.err()).contains("Missing required option: '--network=NAME' (or MANIFEST --placement)");
  }

  @Test
  void withTheGpuNativesItPrintsWhereEachRunsOpsRunAndWhatCrossesPerStep() throws Exception {
    assumeTrue(TensorFlowNatives.current().gpu(), "needs the GPU natives: mvn -Pgpu");
    CliRun run = run("graph", "summary", manifest().toString(), "--placement", "--only", "tiny/input=resident");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.outLines().get(0)).isEqualTo("tiny/input=resident (resnet18/2, fashion-mnist, batch 16, sgd,"
        + " float32, input resident), placed for /device:GPU:0:");
    assertThat(run.out())
        .containsPattern(
            "\\n  training step \\(sgd\\): [\\d,]+ ops: [\\d,]+ gpu, [\\d,]+ gpu \\(host memory\\), [\\d,]+ cpu\\n")
        .contains("\nDeliberately on the host:\n")
        .doesNotContain("WITHOUT A LISTED REASON");
    // Wrapped lines joined: what a reader reads.
    String text = String.join(" ", run.out().lines().map(String::strip).toList());
    // Fashion-MNIST: 60,000 + 10,000 images of 784 bytes and their int64 labels (55.44 MB); 60,000 int64 indices.
    assertThat(text)
        .contains("on the host, deliberately:")
        .contains("crosses PCIe per step: host -> gpu 4 B (learning_rate:0 float32[]); gpu -> host 5 B"
            + " (metrics/loss/mean:0 float32[], loss_is_finite:0 bool[])")
        .contains("55.4 MB of resident data")
        .contains("480.0 KB of permutation cache")
        .contains("in host memory: permutation cache input/permutation/cache/epoch (8 B)")
        .contains("Each training step (sgd) moves 4 B (learning_rate) to the card and 5 B (metrics/loss/mean,"
            + " loss_is_finite) back")
        .contains("Each evaluation slice of 500 images moves nothing to the card and 8 B (metrics/eval/loss_sum,"
            + " metrics/eval/correct) back");
  }
}
