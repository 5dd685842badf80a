package superconv.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import superconv.training.submit.KubernetesJob;
import superconv.training.submit.ManifestSnapshot;

/**
 * {@code superconv submit kubernetes MANIFEST}: snapshots the manifest into the runs directory and writes a
 * ConfigMap and an Indexed Job that trains each selected run not yet finished in its own pod (see {@link
 * KubernetesJob}).
 */
@Command(
    name = "kubernetes",
    mixinStandardHelpOptions = true,
    description = "Write (or kubectl apply) a Kubernetes Indexed Job with one pod per run not yet finished.")
final class SubmitKubernetesCommand implements Callable<Integer> {

  /** The Job's name is the base name and "-YYYYMMDD-HHMMSS", within Kubernetes' 63 characters. */
  static final int MAX_BASE_NAME = KubernetesJob.MAX_NAME - "-yyyyMMdd-HHmmss".length();

  @Spec CommandSpec commandSpec;

  @Mixin ManifestSelection selection;

  @Option(names = "--image", required = true, paramLabel = "IMAGE",
      description = "The container image, with superconv on its PATH (built from the repository's Dockerfile).")
  String image;

  @Option(names = "--runs-volume", required = true, paramLabel = "PVC",
      description = "The PersistentVolumeClaim holding the runs directory; pods mount it at /runs.")
  String runsVolume;

  @Option(names = "--runs-dir", paramLabel = "DIR",
      description = "The runs directory as seen here, ideally the volume mounted (default: runs/ beside the "
          + "manifest): finished runs in it are left out, and the snapshot goes to DIR/.submissions/.")
  Path runsDir;

  @Option(names = "--gpus-per-pod", paramLabel = "N", defaultValue = "0",
      description = "nvidia.com/gpu per pod (default: ${DEFAULT-VALUE}; the image must be built with -Pgpu).")
  int gpus;

  @Option(names = "--cpus-per-pod", paramLabel = "N", defaultValue = "4",
      description = "CPU cores requested per pod (default: ${DEFAULT-VALUE}).")
  int cpus;

  @Option(names = "--memory", paramLabel = "SIZE", defaultValue = "16Gi",
      description = "Memory requested per pod, a Kubernetes quantity (default: ${DEFAULT-VALUE}).")
  String memory;

  @Option(names = "--parallelism", paramLabel = "N",
      description = "Pods at most at once (default: one per run; the cluster starts what fits).")
  Integer parallelism;

  @Option(names = "--backoff-limit-per-index", paramLabel = "N", defaultValue = "2",
      description = "Retries of one run's pod, each resuming from the last checkpoint (default: ${DEFAULT-VALUE}).")
  int backoffLimitPerIndex;

  @Mixin CheckpointEvery checkpointEvery;

  @Option(names = "--namespace", paramLabel = "NS", description = "The namespace (default: kubectl's).")
  String namespace;

  @Option(names = "--name", paramLabel = "NAME",
      description = "The Job's base name; -YYYYMMDD-HHMMSS (UTC) is added (default: the one experiment selected, "
          + "else the manifest's file name).")
  String name;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the YAML to FILE instead of stdout.")
  Path out;

  @Option(names = "--apply", description = "Pipe the YAML to kubectl apply -f - (kubectl must be on the PATH).")
  boolean apply;

  @Mixin Verbose verbose;

  @Override
  public Integer call() throws Exception {
    if (name != null && (!KubernetesJob.isLabel(name) || name.length() > MAX_BASE_NAME)) {
      throw new ParameterException(commandSpec.commandLine(), "--name \"" + name + "\" is not a DNS-1123 label of"
          + " at most " + MAX_BASE_NAME + " characters (lowercase letters, digits and '-', a letter or digit at each"
          + " end; -YYYYMMDD-HHMMSS is added)");
    }
    // Every option is checked before the manifest is read; the placeholder name only stands in for the real one.
    KubernetesJob job = options("superconv");
    Optional<Path> kubectl = apply ? kubectl(System.getenv("PATH")) : Optional.empty();
    if (apply && kubectl.isEmpty()) {
      throw new UserError("kubectl was not found on the PATH; write the YAML with --out FILE and apply it where"
          + " kubectl is");
    }
    Path dir = selection.runsDir(runsDir);
    ManifestSnapshot snapshot = ManifestSnapshot.take(selection.manifest, selection.only, dir);
    int selected = snapshot.selected().size();
    if (snapshot.pending().isEmpty()) {
      throw new UserError("nothing to submit: " + (selected == 1 ? "the selected run is" : "all " + selected
          + " selected runs are") + " finished or diverged in " + dir);
    }
    String base = name != null ? name : KubernetesJob.label(snapshot.experiment() != null ? snapshot.experiment()
        : selection.manifest.getFileName().toString().replaceFirst("\\.[^.]*$", ""), MAX_BASE_NAME);
    job = options(ManifestSnapshot.folderName(base, Instant.now()));
    String yaml = job.yaml(snapshot);
    Path folder = snapshot.write(dir, job.name());
    Files.writeString(folder.resolve("job.yaml"), yaml, StandardCharsets.UTF_8);
    if (out != null) {
      Files.writeString(out, yaml, StandardCharsets.UTF_8);
    } else if (!apply) {
      commandSpec.commandLine().getOut().print(yaml);
      commandSpec.commandLine().getOut().flush();
    }
    String summary = "Job " + job.name() + ": " + snapshot.pending().size() + " of " + selected + " selected runs"
        + (snapshot.pending().size() == selected ? "" : " (the others finished or diverged)") + "; snapshot in "
        + folder;
    // With the YAML on stdout, stdout stays pure YAML for a pipe into kubectl.
    (out == null && !apply ? commandSpec.commandLine().getErr() : commandSpec.commandLine().getOut()).println(summary);
    return apply ? apply(kubectl.get(), yaml, folder.resolve("job.yaml")) : 0;
  }

  private KubernetesJob options(String jobName) {
    try {
      return new KubernetesJob(jobName, namespace, image, runsVolume, gpus, cpus, memory,
          parallelism, backoffLimitPerIndex, checkpointEvery.steps());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(commandSpec.commandLine(), e.getMessage());
    }
  }

  /** {@code kubectl apply -f -} with the YAML on its stdin; its own output goes to ours. */
  private int apply(Path kubectl, String yaml, Path saved) throws IOException, InterruptedException {
    PrintWriter stdout = commandSpec.commandLine().getOut();
    stdout.flush();
    Process process = new ProcessBuilder(kubectl.toString(), "apply", "-f", "-")
        .redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(yaml.getBytes(StandardCharsets.UTF_8));
    }
    int code = process.waitFor();
    if (code != 0) {
      throw new UserError("kubectl apply failed (exit code " + code + "); the YAML is in " + saved);
    }
    return 0;
  }

  /** The first executable {@code kubectl} in a PATH value. */
  static Optional<Path> kubectl(String path) {
    if (path == null) {
      return Optional.empty();
    }
    for (String entry : path.split(java.io.File.pathSeparator)) {
      if (!entry.isEmpty()) {
        Path candidate = Path.of(entry, "kubectl");
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }
}
