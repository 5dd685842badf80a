package superconv.training.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import superconv.training.grid.RunSelection;
import superconv.training.manifest.ComponentRules;
import superconv.training.manifest.Manifest;
import superconv.training.manifest.RunSpec;

class KubernetesJobTest {

  @TempDir Path dir;

  private static final KubernetesJob JOB = new KubernetesJob("grid-20250101-000000", null, "superconv:1", "runs",
      0, 4, "16Gi", null, 2, 0);

  @Test
  void namesAreSanitizedIntoDnsLabels() {
    assertThat(KubernetesJob.label("t4.1-SGD_25--cycle", 47)).isEqualTo("t4-1-sgd-25-cycle");
    assertThat(KubernetesJob.label("-_experiments_-", 47)).isEqualTo("experiments");
    assertThat(KubernetesJob.label("a".repeat(46) + "-b", 47)).isEqualTo("a".repeat(46));
    assertThat(KubernetesJob.label("___", 47)).isEqualTo("superconv");
    assertThat(KubernetesJob.isLabel("a-1")).isTrue();
    assertThat(KubernetesJob.isLabel("a-")).isFalse();
    assertThat(KubernetesJob.isLabel("A")).isFalse();
  }

  @Test
  void theConfigMapHoldsAnyManifestTextExactly() throws Exception {
    String awkward = "# ünïcödé, \"quotes\", 'single', a: colon, # hash, trailing spaces   \r\n"
        + "\t[defaults]\r\n\n\n" + "epochs = 1 ";
    List<JsonNode> objects = new YAMLMapper().readerFor(JsonNode.class)
        .<JsonNode>readValues(JOB.yaml(snapshot(awkward, 3))).readAll();
    assertThat(objects.get(0).at("/data/experiments.toml").asText()).isEqualTo(awkward);
    assertThat(objects.get(0).at("/data/runs.tsv").asText()).isEqualTo("0\te/seed=0\n1\te/seed=1\n2\te/seed=2\n");
  }

  @Test
  void aSnapshotTooLargeForAConfigMapIsRefused() {
    assertThatThrownBy(() -> JOB.yaml(snapshot("#".repeat(KubernetesJob.CONFIG_MAP_LIMIT), 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 MiB");
  }

  @Test
  void kubernetesLeavesThePodScriptAsWritten() {
    // Kubernetes turns $$ into $ and replaces $(NAME) for a defined variable NAME; the script has neither.
    assertThat(KubernetesJob.POD_SCRIPT).doesNotContain("$$").doesNotContainPattern("\\$\\([A-Za-z_][A-Za-z0-9_]*\\)");
  }

  @Test
  void eachPodRunsTheRunOfItsLineInTheRunsTable() throws Exception {
    Path submission = Files.createDirectories(dir.resolve("submission"));
    Files.writeString(submission.resolve(ManifestSnapshot.RUNS), "0\te/a\n7\te/b=1,c=x y\n9\tf/f\n");
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.writeString(bin.resolve("superconv"), "#!/bin/sh\necho \"$@\"\n");
    Files.setPosixFilePermissions(bin.resolve("superconv"), PosixFilePermissions.fromString("rwxr-xr-x"));
    String script = JOB.podScript().replace(KubernetesJob.SUBMISSION_MOUNT, submission.toString());
    assertThat(JOB.podScript()).isEqualTo(KubernetesJob.POD_SCRIPT);
    for (int k = 0; k < 3; k++) {
      ProcessBuilder pod = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true);
      pod.environment().put("PATH", bin + ":" + System.getenv("PATH"));
      pod.environment().put("JOB_COMPLETION_INDEX", String.valueOf(k));
      Process process = pod.start();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      assertThat(printed).isEqualTo("run " + submission.resolve(ManifestSnapshot.MANIFEST) + " --index "
          + List.of(0, 7, 9).get(k) + " --runs-dir /runs");
    }
    KubernetesJob checkpointing = new KubernetesJob("g", null, "superconv:1", "runs", 0, 4, "16Gi", null, 2, 500);
    assertThat(checkpointing.podScript()).isEqualTo(KubernetesJob.POD_SCRIPT + " --checkpoint-every 500");
    assertThatThrownBy(() -> new KubernetesJob("g", null, "superconv:1", "runs", 0, 4, "16Gi", null, 2, -1))
        .hasMessage("--checkpoint-every must be 1 or more steps, not -1");
  }

  @Test
  void theSnapshotListsPendingRunsByTheirIndexInTheWholeManifest() throws Exception {
    Path manifest = Files.writeString(dir.resolve("m.toml"), """
        [defaults]
        dataset = "mnist"
        optimizer = { type = "sgd" }
        schedule = { type = "constant", lr = 0.1 }
        [[experiment]]
        name = "a"
        [experiment.grid]
        seed = [1, 2]
        [[experiment]]
        name = "b"
        """);
    ManifestSnapshot snapshot = ManifestSnapshot.take(manifest, "b", dir.resolve("runs"));
    assertThat(snapshot.runsTable()).isEqualTo("2\tb/b\n");
    assertThat(snapshot.experiment()).isEqualTo("b");
    Path written = snapshot.write(dir.resolve("runs"), "b-1");
    assertThat(Files.readString(written.resolve(ManifestSnapshot.MANIFEST))).isEqualTo(Files.readString(manifest));
    assertThatThrownBy(() -> snapshot.write(dir.resolve("runs"), "b-1")).hasMessageContaining("already exists");
  }

  /** A snapshot of {@code text} whose n pending runs are e/seed=0 ... e/seed=(n-1) of another manifest. */
  private static ManifestSnapshot snapshot(String text, int n) throws Exception {
    List<RunSpec> runs = Manifest.parse("""
        [[experiment]]
        name = "e"
        dataset = "mnist"
        optimizer = { type = "sgd" }
        schedule = { type = "constant", lr = 0.1 }
        [experiment.grid]
        seed = %s
        """.formatted(IntStream.range(0, n).boxed().toList()), "t", ComponentRules.standard()).runs();
    List<RunSelection.Indexed<RunSpec>> indexed = RunSelection.ALL.apply(runs);
    return new ManifestSnapshot(text, indexed, indexed);
  }
}
