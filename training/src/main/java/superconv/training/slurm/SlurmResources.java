package superconv.training.slurm;

import java.util.List;

/**
 * What each array task asks Slurm for, and how many tasks may run at once. Null leaves a value to the cluster's
 * defaults. Values are checked here, before anything is written, so that a typo fails at once rather than in
 * {@code sbatch} after the snapshot exists.
 *
 * @param maxParallel the array's throttle ({@code %N}), or null for the cluster's own limit
 * @param extraArgs further {@code #SBATCH} arguments, verbatim (e.g. {@code --qos=long})
 */
public record SlurmResources(Integer maxParallel, Integer gpusPerTask, Integer cpusPerTask, String mem, String time,
    String partition, String account, List<String> extraArgs) {

  public static final SlurmResources DEFAULTS = new SlurmResources(null, null, null, null, null, null, null, List.of());

  public SlurmResources {
    positive("--max-parallel", maxParallel);
    positive("--gpus-per-task", gpusPerTask);
    positive("--cpus-per-task", cpusPerTask);
    if (mem != null && !mem.matches("\\d+[KMGTkmgt]?")) {
      throw new IllegalArgumentException("--mem takes a size such as 8G or 16000M, not \"" + mem + "\"");
    }
    if (time != null && !time.matches("(\\d+-)?\\d+(:\\d\\d){0,2}")) {
      throw new IllegalArgumentException("--time takes HH:MM:SS (or D-HH:MM:SS, or minutes), not \"" + time + "\"");
    }
    for (String[] value : new String[][] {{"--partition", partition}, {"--account", account}}) {
      if (value[1] != null && !value[1].matches("[A-Za-z0-9_.,-]+")) {
        throw new IllegalArgumentException(value[0] + " \"" + value[1] + "\" is not a Slurm name");
      }
    }
    extraArgs = extraArgs == null ? List.of() : List.copyOf(extraArgs);
    for (String arg : extraArgs) {
      // A line break would end the #SBATCH line and put the rest into the script's body.
      if (!arg.startsWith("-") || arg.contains("\n") || arg.contains("\r")) {
        throw new IllegalArgumentException("--sbatch-arg takes one sbatch option such as --qos=long, not \""
            + arg.replace("\n", "\\n") + "\"");
      }
    }
  }

  private static void positive(String option, Integer value) {
    if (value != null && value < 1) {
      throw new IllegalArgumentException(option + " must be 1 or more, not " + value);
    }
  }
}
