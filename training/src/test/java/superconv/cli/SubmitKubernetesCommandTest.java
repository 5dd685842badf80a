package superconv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static superconv.cli.CliRun.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import superconv.training.manifest.ComponentRules;
import superconv.training.manifest.Manifest;
import superconv.training.manifest.RunSpec;
import superconv.training.run.RunFolder;
import superconv.training.run.RunRecord;
import superconv.training.run.RunStatus;

/**
 * {@code submit kubernetes} through the command line: the YAML parsed back and held to what Kubernetes requires of
 * a ConfigMap and a batch/v1 Indexed Job. No cluster is involved.
 */
class SubmitKubernetesCommandTest {

  @TempDir Path dir;

  private static final String MANIFEST = """
      [defaults]
      dataset = "fashion-mnist"
      width = 2
      epochs = 1
      device = "cpu"

      [[experiment]]
      name = "sgd"
      optimizer = { type = "sgd" }
      schedule = { type = "constant", lr = 0.05 }
      [experiment.grid]
      "schedule.lr" = [0.05, 0.1, 0.2]

      [[experiment]]
      name = "Adam_Runs"
      optimizer = { type = "adam" }
      schedule = { type = "constant", lr = 0.001 }
      """;

  private static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";

  @Test
  void writesAConfigMapAndAnIndexedJobForTheRunsNotFinished() throws Exception {
    Path manifest = Files.writeString(dir.resolve("experiments.toml"), MANIFEST);
    Path runs = dir.resolve("runs");
    finish(manifest, runs, "sgd/lr=0.1");

    CliRun submit = run("submit", "kubernetes", manifest.toString(), "--only", "sgd", "--image",
        "registry.example/superconv:1", "--runs-volume", "superconv-runs", "--gpus-per-pod", "1");
    assertThat(submit.exitCode()).as(submit.err()).isZero();
    List<JsonNode> objects = yaml(submit.out());
    assertThat(objects).hasSize(2);
    JsonNode configMap = objects.get(0);
    JsonNode job = objects.get(1);

    assertThat(configMap.get("apiVersion").asText()).isEqualTo("v1");
    assertThat(configMap.get("kind").asText()).isEqualTo("ConfigMap");
    assertThat(job.get("apiVersion").asText()).isEqualTo("batch/v1");
    assertThat(job.get("kind").asText()).isEqualTo("Job");
    String name = job.at("/metadata/name").asText();
    assertThat(name).matches(DNS_LABEL).hasSizeLessThanOrEqualTo(63).matches("sgd-\\d{8}-\\d{6}");
    assertThat(job.at("/metadata/namespace").isMissingNode()).isTrue();

    JsonNode spec = job.get("spec");
    assertThat(spec.get("completionMode").asText()).isEqualTo("Indexed");
    assertThat(spec.get("completions").isInt()).isTrue();
    assertThat(spec.get("completions").asInt()).isEqualTo(2);
    assertThat(spec.get("parallelism").isInt()).isTrue();
    assertThat(spec.get("parallelism").asInt()).isEqualTo(2);
    assertThat(spec.get("backoffLimitPerIndex").asInt()).isEqualTo(2);
    JsonNode pod = spec.at("/template/spec");
    assertThat(pod.get("restartPolicy").asText()).isEqualTo("Never");
    assertThat(pod.get("containers")).hasSize(1);
    JsonNode container = pod.get("containers").get(0);
    assertThat(container.get("name").asText()).matches(DNS_LABEL);
    assertThat(container.get("image").asText()).isEqualTo("registry.example/superconv:1");
    List<String> command = new ArrayList<>();
    container.get("command").forEach(c -> command.add(c.asText()));
    assertThat(command).hasSize(3).startsWith("sh", "-c");
    assertThat(command.get(2)).contains("JOB_COMPLETION_INDEX",
        "exec superconv run /superconv/submission/experiments.toml --index \"$index\" --runs-dir /runs");
    assertThat(container.at("/resources/limits/nvidia.com~1gpu").asInt()).isEqualTo(1);
    assertThat(container.at("/resources/requests/cpu").isTextual()).isTrue();
    assertThat(container.at("/resources/requests/cpu").asText()).isEqualTo("4");
    assertThat(container.at("/resources/requests/memory").asText()).isEqualTo("16Gi");

    List<String> volumes = new ArrayList<>();
    pod.get("volumes").forEach(v -> volumes.add(v.get("name").asText()));
    container.get("volumeMounts").forEach(m -> assertThat(volumes).contains(m.get("name").asText()));
    assertThat(pod.at("/volumes/0/persistentVolumeClaim/claimName").asText()).isEqualTo("superconv-runs");
    assertThat(container.at("/volumeMounts/0/mountPath").asText()).isEqualTo("/runs");
    assertThat(pod.at("/volumes/1/configMap/name").asText()).isEqualTo(configMap.at("/metadata/name").asText());

    // The ConfigMap holds the snapshot exactly; its runs table skips the finished run and indexes the whole manifest.
    Path snapshot = runs.resolve(".submissions").resolve(name);
    assertThat(configMap.at("/data/experiments.toml").asText()).isEqualTo(MANIFEST)
        .isEqualTo(Files.readString(snapshot.resolve("experiments.toml")));
    assertThat(configMap.at("/data/runs.tsv").asText()).isEqualTo("0\tsgd/lr=0.05\n2\tsgd/lr=0.2\n")
        .isEqualTo(Files.readString(snapshot.resolve("runs.tsv")));
    assertThat(Files.readString(snapshot.resolve("job.yaml"))).isEqualTo(submit.out());
    CliRun list = run("list", snapshot.resolve("experiments.toml").toString(), "--json");
    JsonNode listed = Json.mapper().readTree(list.out());
    assertThat(listed.get(2).get("experiment").asText() + "/" + listed.get(2).get("run").asText())
        .isEqualTo("sgd/lr=0.2");
    assertThat(submit.errLines()).containsExactly("Job " + name + ": 2 of 3 selected runs (the others finished or"
        + " diverged); snapshot in " + snapshot);
  }

  @Test
  void noGpuLimitUnlessAskedAndTheNameComesFromTheManifestForSeveralExperiments() throws Exception {
    Path manifest = Files.writeString(dir.resolve("experiments.toml"), MANIFEST);
    Path yamlFile = dir.resolve("job.yaml");
    CliRun submit = run("submit", "kubernetes", manifest.toString(), "--image", "superconv:cpu", "--runs-volume",
        "runs", "--cpus-per-pod", "2", "--memory", "3Gi", "--parallelism", "3", "--backoff-limit-per-index", "0",
        "--namespace", "research", "--out", yamlFile.toString());
    assertThat(submit.exitCode()).as(submit.err()).isZero();
    assertThat(submit.outLines()).singleElement().asString().startsWith("Job experiments-");
    JsonNode job = yaml(Files.readString(yamlFile)).get(1);
    assertThat(job.at("/metadata/name").asText()).matches("experiments-\\d{8}-\\d{6}");
    assertThat(job.at("/metadata/namespace").asText()).isEqualTo("research");
    assertThat(job.at("/spec/completions").asInt()).isEqualTo(4);
    assertThat(job.at("/spec/parallelism").asInt()).isEqualTo(3);
    assertThat(job.at("/spec/backoffLimitPerIndex").asInt()).isZero();
    JsonNode container = job.at("/spec/template/spec/containers/0");
    assertThat(container.at("/resources/limits").isMissingNode()).isTrue();
    assertThat(container.at("/resources/requests/cpu").asText()).isEqualTo("2");
    assertThat(container.at("/resources/requests/memory").asText()).isEqualTo("3Gi");
  }

  @Test
  void checkpointEveryReachesThePodsRunLineAndPodsHaveSlurmsLeadToCheckpoint() throws Exception {
    Path manifest = Files.writeString(dir.resolve("experiments.toml"), MANIFEST);
    CliRun submit = run("submit", "kubernetes", manifest.toString(), "--image", "i", "--runs-volume", "runs",
        "--checkpoint-every", "250");
    assertThat(submit.exitCode()).as(submit.err()).isZero();
    JsonNode pod = yaml(submit.out()).get(1).at("/spec/template/spec");
    assertThat(pod.get("terminationGracePeriodSeconds").asInt()).isEqualTo(120);
    assertThat(pod.at("/containers/0/command/2").asText()).endsWith(" --runs-dir /runs --checkpoint-every 250");
    CliRun bad = run("submit", "kubernetes", manifest.toString(), "--image", "i", "--runs-volume", "runs",
        "--checkpoint-every", "often");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.errLines()).singleElement().asString().contains("--checkpoint-every")
        .contains("'often' is not a number of steps");
  }

  @Test
  void onlyNarrowsTheRunsAndNamesTheJobAfterTheOneExperiment() throws Exception {
    Path manifest = Files.writeString(dir.resolve("experiments.toml"), MANIFEST);
    CliRun submit = run("submit", "kubernetes", manifest.toString(), "--only", "Adam_Runs,sgd/lr=0.2", "--image",
        "i", "--runs-volume", "runs");
    assertThat(submit.exitCode()).as(submit.err()).isZero();
    List<JsonNode> objects = yaml(submit.out());
    assertThat(objects.get(1).at("/spec/completions").asInt()).isEqualTo(2);
    assertThat(objects.get(0).at("/data/runs.tsv").asText()).isEqualTo("2\tsgd/lr=0.2\n3\tAdam_Runs/Adam_Runs\n");
    assertThat(objects.get(1).at("/metadata/name").asText()).startsWith("experiments-");

    CliRun adam = run("submit", "kubernetes", manifest.toString(), "--only", "Adam_Runs", "--image", "i",
        "--runs-volume", "runs");
    assertThat(yaml(adam.out()).get(1).at("/metadata/name").asText()).matches("adam-runs-\\d{8}-\\d{6}");
  }

  @Test
  void finishedRunsLeaveNothingToSubmit() throws Exception {
    Path manifest = Files.writeString(dir.resolve("experiments.toml"), MANIFEST);
    Path runs = dir.resolve("elsewhere");
    finish(manifest, runs, "Adam_Runs/Adam_Runs");
    CliRun submit = run("submit", "kubernetes", manifest.toString(), "--only", "Adam_Runs", "--runs-dir",
        runs.toString(), "--image", "i", "--runs-volume", "runs");
    assertThat(submit.exitCode()).isEqualTo(1);
    assertThat(submit.out()).isEmpty();
    assertThat(submit.errLines()).containsExactly("superconv submit kubernetes: nothing to submit: the selected run"
        + " is finished or diverged in " + runs);
    assertThat(runs.resolve(".submissions")).doesNotExist();
  }

  @Test
  void badOptionsAreOneLineErrorsAndWriteNothing() throws Exception {
    Path manifest = Files.writeString(dir.resolve("experiments.toml"), MANIFEST);
    List<List<String>> bad = List.of(
        List.of("--memory", "16GB"),
        List.of("--name", "Bad_Name"),
        List.of("--gpus-per-pod", "-1"),
        List.of("--cpus-per-pod", "0"),
        List.of("--parallelism", "0"),
        List.of("--namespace", "My NS"),
        List.of("--gpus-per-pod", "one"),
        List.of("--name", "a".repeat(48)));
    for (List<String> option : bad) {
      List<String> args = new ArrayList<>(List.of("submit", "kubernetes", manifest.toString(), "--image", "i",
          "--runs-volume", "runs"));
      args.addAll(option);
      CliRun submit = run(args.toArray(String[]::new));
      assertThat(submit.exitCode()).as(option.toString()).isEqualTo(2);
      assertThat(submit.errLines()).as(option.toString()).singleElement().asString()
          .startsWith("superconv submit kubernetes: ").contains(option.get(0));
    }
    CliRun noImage = run("submit", "kubernetes", manifest.toString(), "--runs-volume", "runs");
    assertThat(noImage.exitCode()).isEqualTo(2);
    assertThat(noImage.errLines()).singleElement().asString().contains("--image");
    CliRun badVolume = run("submit", "kubernetes", manifest.toString(), "--image", "i", "--runs-volume", "Runs!");
    assertThat(badVolume.errLines()).singleElement().asString().contains("--runs-volume");
    assertThat(dir.resolve("runs")).doesNotExist();
  }

  @Test
  void kubectlIsLookedUpOnThePath() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    assertThat(SubmitKubernetesCommand.kubectl(null)).isEmpty();
    assertThat(SubmitKubernetesCommand.kubectl(bin.toString())).isEmpty();
    Path kubectl = Files.createFile(bin.resolve("kubectl"), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwxr-xr-x")));
    assertThat(SubmitKubernetesCommand.kubectl("/nonexistent:" + bin)).contains(kubectl);
  }

  /** A hand-written run folder recording {@code id} as finished, with the spec the manifest gives it. */
  static void finish(Path manifest, Path runs, String id) throws Exception {
    RunSpec spec = Manifest.load(manifest, ComponentRules.standard()).runs().stream()
        .filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    RunFolder folder = RunFolder.of(runs, spec);
    folder.writeRecord(new RunRecord(RunStatus.FINISHED, RunFolder.json().valueToTree(spec), "0.1.0", null,
        "2.18.0", "/CPU:0", null, null, "t0", "t1", 1, 10, 1, 0.5, null, null));
  }

  static List<JsonNode> yaml(String text) throws Exception {
    return new YAMLMapper().readerFor(JsonNode.class).<JsonNode>readValues(text).readAll();
  }
}
