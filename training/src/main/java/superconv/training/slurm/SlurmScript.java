package superconv.training.slurm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The sbatch script of one submission: a job array whose task t trains the run at {@code indices.get(t)}. */
public final class SlurmScript {

  /**
   * Seconds before the time limit at which Slurm sends SIGTERM: the run checkpoints at the step it is taking, marks
   * itself interrupted and releases its lock long before Slurm's SIGKILL, and the next task resumes from that step.
   */
  public static final int SIGNAL_LEAD_SECONDS = 120;

  /** The script's file name in the submission folder. */
  public static final String FILE = "job.sbatch";

  private SlurmScript() {}

  /**
   * @param folder the submission folder (absolute): output files go there
   * @param manifest the snapshot manifest the tasks read
   * @param indices each array task's run index, in task order
   * @param java the command that starts superconv's main class (java, its options, the class path, the class)
   * @param checkpointEvery the tasks' {@code run --checkpoint-every}, 0 for none
   */
  public static String render(String jobName, Path folder, Path manifest, Path runsDir, List<Integer> indices,
      SlurmResources resources, List<String> java, int checkpointEvery) {
    if (indices.isEmpty()) {
      throw new IllegalArgumentException("a job array needs at least one task");
    }
    if (folder.toString().matches("(?s).*\\s.*")) {
      // sbatch reads an #SBATCH line's value up to the first blank: the output path would be cut there.
      throw new IllegalArgumentException("the runs directory " + runsDir + " has a blank in its path, which an "
          + "#SBATCH --output line cannot hold; use --runs-dir with a path without blanks");
    }
    List<String> sbatch = new ArrayList<>();
    sbatch.add("--job-name=" + jobName);
    sbatch.add("--array=0-" + (indices.size() - 1)
        + (resources.maxParallel() == null ? "" : "%" + resources.maxParallel()));
    sbatch.add("--output=" + folder.resolve("slurm-%A_%a.out"));
    // A requeued task appends to its output file instead of truncating what the first attempt wrote.
    sbatch.add("--open-mode=append");
    sbatch.add("--requeue");
    sbatch.add("--signal=B:TERM@" + SIGNAL_LEAD_SECONDS);
    sbatch.add("--ntasks=1");
    if (resources.cpusPerTask() != null) {
      sbatch.add("--cpus-per-task=" + resources.cpusPerTask());
    }
    if (resources.gpusPerTask() != null) {
      sbatch.add("--gpus-per-task=" + resources.gpusPerTask());
    }
    if (resources.mem() != null) {
      sbatch.add("--mem=" + resources.mem());
    }
    if (resources.time() != null) {
      sbatch.add("--time=" + resources.time());
    }
    if (resources.partition() != null) {
      sbatch.add("--partition=" + resources.partition());
    }
    if (resources.account() != null) {
      sbatch.add("--account=" + resources.account());
    }
    sbatch.addAll(resources.extraArgs());

    StringBuilder script = new StringBuilder("#!/bin/bash\n");
    for (String line : sbatch) {
      script.append("#SBATCH ").append(line).append('\n');
    }
    List<String> command = new ArrayList<>(java);
    command.addAll(List.of("run", manifest.toString()));
    script.append("""
        # superconv submit slurm: %d runs of the manifest snapshot %s.
        # Task t trains the run at index ${indices[t]} of that manifest, as `superconv list` numbers it; a task that
        # runs again (requeued, resubmitted) resumes its run from the last checkpoint or skips it when finished.
        set -euo pipefail
        indices=(%s)
        index="${indices[$SLURM_ARRAY_TASK_ID]}"
        export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
        export TF_ENABLE_ONEDNN_OPTS="${TF_ENABLE_ONEDNN_OPTS:-1}"
        # exec: the JVM becomes the batch shell, so SIGTERM from Slurm (--signal=B:..., preemption, scancel -b)
        # reaches it directly and it checkpoints where it stops and marks the run interrupted before it exits with 143.
        exec %s --index "$index" --runs-dir %s --no-progress%s
        """.formatted(indices.size(), manifest,
            indices.stream().map(String::valueOf).collect(Collectors.joining(" ")),
            command.stream().map(SlurmScript::quote).collect(Collectors.joining(" ")),
            quote(runsDir.toString()), checkpointEvery > 0 ? " --checkpoint-every " + checkpointEvery : ""));
    return script.toString();
  }

  /** A word for bash: single-quoted unless it is plainly safe. */
  static String quote(String word) {
    if (word.matches("[A-Za-z0-9_./=:,+@%-]+")) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
