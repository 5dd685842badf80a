package superconv.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import superconv.training.grid.RunSelection;
import superconv.training.slurm.SlurmResources;
import superconv.training.slurm.SlurmScript;
import superconv.training.slurm.SlurmSubmission;
import superconv.training.submit.ManifestSnapshot;

/**
 * {@code superconv submit slurm MANIFEST}: one Slurm job array for the selected runs that are not finished, over a
 * snapshot of the manifest in the runs directory.
 */
@Command(
    name = "slurm",
    mixinStandardHelpOptions = true,
    description = "Submit the selected unfinished runs as one Slurm job array (one task per run) with sbatch.")
final class SubmitSlurmCommand implements Callable<Integer> {

  @Spec CommandSpec commandSpec;

  @Mixin ManifestSelection selection;

  @Option(names = "--runs-dir", paramLabel = "DIR",
      description = "Where run folders go (default: runs/ beside the manifest); must be on a file system every "
          + "node mounts.")
  Path runsDir;

  @Option(names = "--max-parallel", paramLabel = "N", description = "At most N array tasks at once (--array=...%N).")
  Integer maxParallel;

  @Option(names = "--gpus-per-task", paramLabel = "N", description = "GPUs per task.")
  Integer gpusPerTask;

  @Option(names = "--cpus-per-task", paramLabel = "N", description = "CPUs per task.")
  Integer cpusPerTask;

  @Option(names = "--mem", paramLabel = "SIZE", description = "Memory per task, e.g. 16G.")
  String mem;

  @Option(names = "--time", paramLabel = "HH:MM:SS", description = "Time limit per task.")
  String time;

  @Option(names = "--partition", paramLabel = "P", description = "The partition.")
  String partition;

  @Option(names = "--account", paramLabel = "A", description = "The account charged.")
  String account;

  @Option(names = "--sbatch-arg", paramLabel = "ARG", description = "Another #SBATCH option, e.g. --qos=long "
      + "(repeatable).")
  List<String> sbatchArgs = new ArrayList<>();

  @Mixin CheckpointEvery checkpointEvery;

  @Option(names = "--dry-run", description = "Print the script; write and submit nothing.")
  boolean dryRun;

  @Option(names = "--json", description = "One line of JSON: {job_id, tasks, script, runs_dir}.")
  boolean json;

  @Option(names = "--verbose", description = "Show stack traces on failure.")
  boolean verbose;

  /** The sbatch to call; tests give a stand-in. */
  @Option(names = "--sbatch-program", hidden = true)
  String sbatchProgram = "sbatch";

  @Override
  public Integer call() throws Exception {
    SlurmResources resources;
    try {
      resources = new SlurmResources(maxParallel, gpusPerTask, cpusPerTask, mem, time, partition, account,
          sbatchArgs);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), 2);
    }
    Path manifest = selection.manifest.toAbsolutePath().normalize();
    Path dir = selection.runsDir(runsDir).toAbsolutePath().normalize();
    ManifestSnapshot snapshot = ManifestSnapshot.take(manifest, selection.only, dir);
    List<Integer> indices = snapshot.pending().stream().map(RunSelection.Indexed::index).toList();
    int done = snapshot.selected().size() - indices.size();
    if (indices.isEmpty()) {
      if (json) {
        out().println(jsonLine(null, 0, null, dir));
      } else {
        out().println("nothing to submit: all " + snapshot.selected().size()
            + " selected runs are finished or diverged in " + dir);
      }
      return 0;
    }
    String name = freeName(dir, ManifestSnapshot.folderName("slurm", Instant.now()));
    Path wanted = dir.resolve(ManifestSnapshot.SUBMISSIONS).resolve(name);
    if (dryRun) {
      out().print(script(wanted, dir, indices, resources));
      out().println("# --dry-run: " + indices.size() + " tasks (" + done + " finished runs skipped); "
          + "nothing was written or submitted");
      return 0;
    }
    Path sbatch = SlurmSubmission.find(sbatchProgram).orElseThrow(() -> new UserError(sbatchProgram
        + " not found on PATH: submit from a Slurm login node (Debian: apt-get install slurm-client)"));
    Path folder = snapshot.write(dir, name);
    Path script = folder.resolve(SlurmScript.FILE);
    String jobId;
    try {
      Files.writeString(script, script(folder, dir, indices, resources), StandardCharsets.UTF_8);
      jobId = SlurmSubmission.sbatch(sbatch, script);
    } catch (IOException | RuntimeException e) {
      // Nothing was submitted: a snapshot left behind would look like a submission.
      deleteTree(folder);
      throw e;
    }
    Files.writeString(folder.resolve(SlurmSubmission.JOB_ID), jobId + "\n", StandardCharsets.UTF_8);
    if (json) {
      out().println(jsonLine(jobId, indices.size(), script, dir));
    } else {
      out().println("submitted Slurm job " + jobId + ": " + indices.size() + " array tasks"
          + (maxParallel == null ? "" : ", at most " + maxParallel + " at once")
          + (done == 0 ? "" : " (" + done + " finished runs skipped)"));
      out().println("script " + script + "; runs directory " + dir);
    }
    return 0;
  }

  /** {@code wanted}, or {@code wanted-2}, {@code wanted-3}, ... when a submission in the same second took it. */
  private static String freeName(Path dir, String wanted) {
    Path submissions = dir.resolve(ManifestSnapshot.SUBMISSIONS);
    String name = wanted;
    for (int n = 2; Files.exists(submissions.resolve(name)); n++) {
      name = wanted + "-" + n;
    }
    return name;
  }

  private String script(Path folder, Path dir, List<Integer> indices, SlurmResources resources) {
    try {
      return SlurmScript.render("superconv", folder, folder.resolve(ManifestSnapshot.MANIFEST), dir,
          indices, resources, javaCommand(), checkpointEvery.steps());
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), 2);
    }
  }

  /**
   * The JVM and class path this process runs on, so every task runs the build that submitted it (the launcher's
   * staleness check and rebuild would race between tasks starting together). The launcher's class path is the
   * training jar plus the build's classpath.txt beside it; under other launches the JVM's own class path is used.
   */
  static List<String> javaCommand() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return List.of(java, "-Djava.awt.headless=true", "-cp", classPath(), Main.class.getName());
  }

  private static String classPath() {
    try {
      Path code = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path listed = code.getParent().resolve("classpath.txt");
      if (Files.isRegularFile(code) && Files.isRegularFile(listed)) {
        return code + ":" + Files.readString(listed, StandardCharsets.UTF_8).strip();
      }
    } catch (IOException | URISyntaxException | RuntimeException e) {
      // no build layout to read: fall back to the JVM's class path
    }
    return Stream.of(System.getProperty("java.class.path").split(":"))
        .filter(entry -> !entry.isEmpty())
        .map(entry -> Path.of(entry).toAbsolutePath().toString())
        .collect(Collectors.joining(":"));
  }

  private static String jsonLine(String jobId, int tasks, Path script, Path dir) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("job_id", jobId);
    line.put("tasks", tasks);
    line.put("script", script == null ? null : script.toString());
    line.put("runs_dir", dir.toString());
    return Json.line(line);
  }

  private static void deleteTree(Path folder) {
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // best effort: the error being reported matters more
    }
  }

  private PrintWriter out() {
    return commandSpec.commandLine().getOut();
  }
}
