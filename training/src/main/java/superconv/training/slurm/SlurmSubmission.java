package superconv.training.slurm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Handing a submission to Slurm: finding {@code sbatch} and running it. The submission's folder is a {@link
 * superconv.training.submit.ManifestSnapshot} ({@code experiments.toml}, {@code runs.tsv}: line k is array task k's
 * run index and run) with the script, the job id and the tasks' output files beside it; the tasks read the
 * snapshot, never the user's manifest.
 */
public final class SlurmSubmission {

  /** The job id sbatch gave, in the submission folder. */
  public static final String JOB_ID = "job_id";

  private SlurmSubmission() {}

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
