package superconv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static superconv.cli.CliRun.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import superconv.training.manifest.ComponentRules;
import superconv.training.manifest.Manifest;
import superconv.training.manifest.RunSpec;
import superconv.training.run.RunFolder;
import superconv.training.run.RunRecord;
import superconv.training.run.RunStatus;

/** submit slurm through the command line, with a stand-in sbatch; the real cluster is .ci/slurm-check's. */
class SubmitSlurmCommandTest {

  @TempDir Path dir;

  private static final String MANIFEST = """
      [defaults]
      dataset = "fashion-mnist"
      width = 2
      epochs = 1
      batch_size = 16
      device = "cpu"

      [[experiment]]
      name = "other"
      optimizer = { type = "sgd" }
      schedule = { type = "constant", lr = 0.1 }

      [[experiment]]
      name = "sgd"
      optimizer = { type = "sgd" }
      schedule = { type = "constant", lr = 0.05 }
      [experiment.grid]
      "schedule.lr" = [0.05, 0.1, 0.2, 0.4]
      """;

  private Path manifest() throws Exception {
    return Files.writeString(dir.resolve("experiments.toml"), MANIFEST);
  }

  /** Writes a run.json that says the run at {@code index} finished, as a finished run leaves it. */
  private void finished(Path manifest, int index) throws Exception {
    RunSpec spec = Manifest.load(manifest, ComponentRules.standard()).select(null).get(index);
    RunFolder folder = RunFolder.of(dir.resolve("runs"), spec);
    Files.createDirectories(folder.dir());
    folder.writeRecord(new RunRecord(RunStatus.FINISHED, RunFolder.json().valueToTree(spec), "0.1.0", "abc", "2.18",
        "/CPU:0", null, null, "2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z", 1, 4, 1, 0.5, null, null));
  }

  /** An sbatch that records its arguments and answers as {@code sbatch --parsable} does (or fails). */
  private Path fakeSbatch(String body) throws Exception {
    Path program = dir.resolve("bin/sbatch");
    Files.createDirectories(program.getParent());
    Files.writeString(program, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
    return program;
  }

  @Test
  void dryRunPrintsOneTaskPerUnfinishedSelectedRunWithTheResourcesAndWritesNothing() throws Exception {
    Path manifest = manifest();
    finished(manifest, 2);
    CliRun dry = run("submit", "slurm", manifest.toString(), "--only", "sgd", "--max-parallel", "2",
        "--cpus-per-task", "4", "--gpus-per-task", "1", "--mem", "16G", "--time", "04:00:00", "--partition", "gpu",
        "--account", "lab", "--sbatch-arg=--qos=long", "--dry-run");
    assertThat(dry.exitCode()).as(dry.err()).isZero();
    List<String> lines = dry.outLines();
    assertThat(lines.get(0)).isEqualTo("#!/bin/bash");
    // sgd/lr=0.1 (index 2) is finished: tasks 0-2 train indices 1, 3 and 4 of the whole manifest.
    assertThat(lines).contains("#SBATCH --array=0-2%2", "#SBATCH --requeue", "#SBATCH --signal=B:TERM@120",
        "#SBATCH --cpus-per-task=4", "#SBATCH --gpus-per-task=1", "#SBATCH --mem=16G", "#SBATCH --time=04:00:00",
        "#SBATCH --partition=gpu", "#SBATCH --account=lab", "#SBATCH --qos=long", "indices=(1 3 4)");
    Path runs = dir.resolve("runs").toAbsolutePath();
    assertThat(lines).anyMatch(line -> line.equals("#SBATCH --output=" + runs + "/.submissions/"
        + line.replaceAll(".*/\\.submissions/", "").replaceAll("/.*", "") + "/slurm-%A_%a.out"));
    assertThat(lines).anyMatch(line -> line.startsWith("exec ") && line.contains(" superconv.cli.Main run " + runs
        + "/.submissions/slurm-") && line.endsWith("/experiments.toml --index \"$index\" --runs-dir " + runs
        + " --no-progress"));
    assertThat(dry.lastLine()).isEqualTo("# --dry-run: 3 tasks (1 finished runs skipped); nothing was written or "
        + "submitted");
    assertThat(runs.resolve(".submissions")).doesNotExist();
  }

  @Test
  void checkpointEveryReachesEveryTasksRunLine() throws Exception {
    Path manifest = manifest();
    CliRun dry = run("submit", "slurm", manifest.toString(), "--checkpoint-every", "500", "--dry-run");
    assertThat(dry.exitCode()).as(dry.err()).isZero();
    assertThat(dry.outLines()).filteredOn(line -> line.startsWith("exec ")).singleElement().asString()
        .endsWith(" --no-progress --checkpoint-every 500");
    CliRun zero = run("submit", "slurm", manifest.toString(), "--checkpoint-every", "0", "--dry-run");
    assertThat(zero.exitCode()).isEqualTo(2);
    assertThat(zero.errLines()).singleElement().asString().startsWith("superconv submit slurm: ")
        .contains("--checkpoint-every").contains("a checkpoint interval is 1 step or more, not 0");
  }

  @Test
  void submitSnapshotsTheManifestAndTasksAndPrintsTheJobAsOneJsonLine() throws Exception {
    Path manifest = manifest();
    finished(manifest, 0);
    Path sbatch = fakeSbatch("echo \"$@\" > \"$(dirname \"$0\")/args\"; echo '4242;cluster'");
    CliRun submitted = run("submit", "slurm", manifest.toString(), "--sbatch-program", sbatch.toString(), "--json");
    assertThat(submitted.exitCode()).as(submitted.err()).isZero();
    JsonNode line = Json.mapper().readTree(submitted.out());
    assertThat(submitted.outLines()).hasSize(1);
    assertThat(line.get("job_id").asText()).isEqualTo("4242");
    assertThat(line.get("tasks").asInt()).isEqualTo(4);
    Path runs = dir.resolve("runs").toAbsolutePath();
    assertThat(line.get("runs_dir").asText()).isEqualTo(runs.toString());
    Path script = Path.of(line.get("script").asText());
    Path folder = script.getParent();
    assertThat(folder.getParent()).isEqualTo(runs.resolve(".submissions"));
    assertThat(folder.getFileName().toString()).matches("slurm-\\d{8}-\\d{6}(-\\d+)?");
    assertThat(Files.readString(dir.resolve("bin/args")).strip()).isEqualTo("--parsable " + script);
    assertThat(Files.readString(folder.resolve("experiments.toml"))).isEqualTo(MANIFEST);
    // Line k of runs.tsv: array task k's run index and run.
    assertThat(Files.readAllLines(folder.resolve("runs.tsv"))).containsExactly(
        "1\tsgd/lr=0.05", "2\tsgd/lr=0.1", "3\tsgd/lr=0.2", "4\tsgd/lr=0.4");
    assertThat(Files.readString(folder.resolve("job_id"))).isEqualTo("4242\n");
    assertThat(Files.readString(script)).contains("#SBATCH --array=0-3\n", "indices=(1 2 3 4)\n")
        .doesNotContain("--mem", "--time", "--partition");

    // Editing the manifest afterwards changes nothing the submitted tasks read.
    Files.writeString(manifest, MANIFEST.replace("[0.05, 0.1, 0.2, 0.4]", "[0.4]"));
    assertThat(Files.readString(folder.resolve("experiments.toml"))).isEqualTo(MANIFEST);

    CliRun text = run("submit", "slurm", manifest.toString(), "--sbatch-program", sbatch.toString());
    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.outLines().get(0)).isEqualTo("submitted Slurm job 4242: 1 array tasks (1 finished runs skipped)");
  }

  @Test
  void nothingUnfinishedSubmitsNothing() throws Exception {
    Path manifest = manifest();
    finished(manifest, 0);
    CliRun none = run("submit", "slurm", manifest.toString(), "--only", "other", "--sbatch-program", "/nonexistent");
    assertThat(none.exitCode()).as(none.err()).isZero();
    assertThat(none.out()).startsWith("nothing to submit: all 1 selected runs are finished or diverged");
    CliRun json = run("submit", "slurm", manifest.toString(), "--only", "other", "--json");
    assertThat(json.out().strip()).isEqualTo("{\"job_id\":null,\"tasks\":0,\"script\":null,\"runs_dir\":\""
        + dir.resolve("runs").toAbsolutePath() + "\"}");
  }

  @Test
  void aMissingOrRefusingSbatchIsOneLineAndLeavesNoSnapshot() throws Exception {
    Path manifest = manifest();
    CliRun missing = run("submit", "slurm", manifest.toString(), "--sbatch-program", "sbatch-not-installed-here");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.errLines()).containsExactly("superconv submit slurm: sbatch-not-installed-here not found on "
        + "PATH: submit from a Slurm login node (Debian: apt-get install slurm-client)");
    assertThat(dir.resolve("runs")).doesNotExist();

    Path refusing = fakeSbatch("echo 'sbatch: error: invalid partition specified: gpu' >&2; exit 1");
    CliRun refused = run("submit", "slurm", manifest.toString(), "--sbatch-program", refusing.toString());
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.errLines()).containsExactly("superconv submit slurm: sbatch refused the job (exit 1): "
        + "sbatch: error: invalid partition specified: gpu");
    assertThat(dir.resolve("runs/.submissions")).isEmptyDirectory();
  }

  @Test
  void badResourcesAreRefusedBeforeAnythingIsWritten() {
    for (String[] bad : new String[][] {{"--max-parallel", "0"}, {"--mem", "lots"}, {"--time", "4h"},
        {"--sbatch-arg", "qos=long"}}) {
      CliRun refused = run("submit", "slurm", dir.resolve("experiments.toml").toString(), bad[0], bad[1]);
      assertThat(refused.exitCode()).as(String.join(" ", bad)).isEqualTo(2);
      assertThat(refused.errLines()).hasSize(1);
      assertThat(refused.err()).startsWith("superconv submit slurm: " + bad[0]);
    }
    assertThat(dir.resolve("runs")).doesNotExist();
  }
}
