package superconv.training.slurm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import superconv.training.manifest.ManifestException;
import superconv.training.manifest.RunSpec;
import superconv.training.run.RunPlan;

/**
 * One submission's folder, {@code RUNS_DIR/.submissions/slurm-<UTC time>/}: the manifest as it was
 * ({@code experiments.toml}), the array's tasks ({@code tasks.tsv}: task, run index, run), the script, the job id
 * and the tasks' output files. The tasks read the snapshot, never the user's manifest.
 */
public final class SlurmSubmission {

  public static final String MANIFEST = "experiments.toml";
  public static final String TASKS = "tasks.tsv";
  public static final String JOB_ID = "job_id";

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private SlurmSubmission() {}

  /** Array task {@code task} trains run {@code run}, at {@code index} in the manifest's order. */
  public record Task(int task, int index, String run) {}

  /**
   * @param tasks the selected runs that still need training, one array task each
   * @param done how many selected runs are finished or diverged and get no task
   */
  public record Plan(List<Task> tasks, int done) {

    public List<Integer> indices() {
      return tasks.stream().map(Task::index).toList();
    }
  }

  /**
   * The array's tasks: the {@code selected} runs that are not finished or diverged in {@code runsDir}, each with
   * its index in {@code all} (the whole manifest, which is what the snapshot's tasks run without --only).
   */
  public static Plan plan(List<RunSpec> all, List<RunSpec> selected, Path runsDir)
      throws ManifestException, IOException {
    Map<String, Integer> indexOf = new HashMap<>();
    for (int i = 0; i < all.size(); i++) {
      indexOf.put(all.get(i).id(), i);
    }
    List<Task> tasks = new ArrayList<>();
    int done = 0;
    for (RunPlan plan : RunPlan.of(selected, runsDir)) {
      if (plan.action() == RunPlan.Action.SKIP) {
        done++;
      } else {
        tasks.add(new Task(tasks.size(), indexOf.get(plan.spec().id()), plan.spec().id()));
      }
    }
    return new Plan(List.copyOf(tasks), done);
  }

  /** The folder a submission made at {@code now} would get (not created). */
  public static Path folder(Path runsDir, Instant now) {
    return runsDir.resolve(".submissions").resolve("slurm-" + STAMP.format(now));
  }

  /**
   * Creates the submission folder, {@code wanted} or, when a submission in the same second took it,
   * {@code wanted-2}, {@code wanted-3}, ...
   */
  public static Path create(Path wanted) throws IOException {
    Files.createDirectories(wanted.getParent());
    for (int n = 1; ; n++) {
      Path candidate = n == 1 ? wanted : wanted.resolveSibling(wanted.getFileName() + "-" + n);
      try {
        return Files.createDirectory(candidate);
      } catch (FileAlreadyExistsException e) {
        // taken: try the next name
      }
    }
  }

  /** Writes the snapshot: the manifest's bytes, the task list and the script. */
  public static void write(Path folder, Path manifest, Plan plan, String script) throws IOException {
    Files.copy(manifest, folder.resolve(MANIFEST));
    StringBuilder tasks = new StringBuilder("task\tindex\trun\n");
    for (Task task : plan.tasks()) {
      tasks.append(task.task()).append('\t').append(task.index()).append('\t').append(task.run()).append('\n');
    }
    Files.writeString(folder.resolve(TASKS), tasks, StandardCharsets.UTF_8);
    Files.writeString(folder.resolve(SlurmScript.FILE), script, StandardCharsets.UTF_8);
  }

  /** {@code program} as the shell would find it: a path, or a name looked up on PATH. */
  public static Optional<Path> find(String program) {
    if (program.contains("/")) {
      Path path = Path.of(program);
      return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
    }
    String searchPath = System.getenv("PATH");
    for (String dir : searchPath == null ? new String[0] : searchPath.split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Runs {@code sbatch --parsable SCRIPT} in the submission folder and returns the job id.
   *
   * @throws IOException with sbatch's own message when it refuses the job
   */
  public static String sbatch(Path sbatch, Path script) throws IOException, InterruptedException {
    Path stderr = Files.createTempFile("superconv-sbatch", ".err");
    try {
      Process process = new ProcessBuilder(sbatch.toString(), "--parsable", script.toString())
          .directory(script.getParent().toFile())
          .redirectError(stderr.toFile())
          .start();
      process.getOutputStream().close();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IOException("sbatch did not answer within 5 minutes");
      }
      String err = Files.readString(stderr, StandardCharsets.UTF_8).strip().replaceAll("\\s*\n\\s*", "; ");
      // --parsable prints "jobid" or "jobid;cluster".
      String jobId = out.lines().reduce((first, last) -> last).orElse("").split(";")[0].strip();
      if (process.exitValue() != 0 || !jobId.matches("\\d+")) {
        throw new IOException("sbatch refused the job (exit " + process.exitValue() + "): "
            + (err.isEmpty() ? out.isEmpty() ? "no message" : out : err));
      }
      return jobId;
    } finally {
      Files.deleteIfExists(stderr);
    }
  }
}
