package superconv.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import superconv.training.grid.GridRunner;
import superconv.training.grid.GridSummary;
import superconv.training.grid.RunSelection;
import superconv.training.manifest.ManifestException;
import superconv.training.manifest.RunSpec;
import superconv.training.run.RunPlan;

/** {@code superconv run MANIFEST}: the options of a {@link GridRunner}, which trains the selected runs. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Train the runs of a manifest (finished runs are skipped, interrupted ones resume).")
final class RunCommand implements Callable<Integer> {

  @Spec CommandSpec commandSpec;

  @Mixin ManifestSelection selection;

  @Option(names = "--index", paramLabel = "I",
      description = "Train only the run at index I (from 0) of the selection, as list numbers it: one Slurm array "
          + "task or Kubernetes Indexed Job pod per run.")
  Integer index;

  @Option(names = "--shard", paramLabel = "K/N", converter = ShardConverter.class,
      description = "Train only the runs whose index i has i mod N = K (K from 0 to N-1).")
  RunSelection.Shard shard;

  @Option(names = "--runs-dir", paramLabel = "DIR",
      description = "Where run folders go (default: runs/ beside the manifest).")
  Path runsDir;

  @Option(names = "--dry-run", description = "Validate and show what would run, resume or be skipped; write nothing.")
  boolean dryRun;

  @Mixin CheckpointEvery checkpointEvery;

  @Mixin DataOptions dataOptions;

  @Option(names = "--no-progress", description = "No progress bars (logs only).")
  boolean noProgress;

  @Option(names = "--verbose", description = "Show stack traces of failed runs and TensorFlow's native log.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    Path dir = selection.runsDir(runsDir);
    GridRunner grid = new GridRunner(new GridRunner.Options(dir, dataOptions.location(), dataOptions.policy(),
        !noProgress && System.console() != null, verbose, checkpointEvery.steps()));
    List<RunPlan> plans = grid.plan(subset());
    if (dryRun) {
      for (RunPlan plan : plans) {
        out().printf("%-8s %s%s%n", plan.action().key(), plan.spec().id(), plan.previous() == null ? ""
            : " (" + plan.previous().status().key() + ", " + plan.previous().epochsCompleted() + "/"
                + plan.spec().epochs() + " epochs)");
      }
      out().println(plans.size() + " runs; runs directory " + dir + "; nothing was written (--dry-run)");
      return 0;
    }
    GridSummary summary;
    try {
      summary = grid.run(plans);
    } catch (GridRunner.GridException e) {
      throw new UserError(e.getMessage(), 2);
    }
    summary.print(out());
    return summary.failures() ? 1 : 0;
  }

  /** The runs this process trains: the manifest's selection, narrowed by --index or --shard. */
  private List<RunSpec> subset() throws ManifestException {
    try {
      return new RunSelection(index, shard).select(selection.runs());
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), 2);
    }
  }

  static final class ShardConverter implements ITypeConverter<RunSelection.Shard> {
    @Override
    public RunSelection.Shard convert(String value) {
      try {
        return RunSelection.Shard.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  private PrintWriter out() {
    return commandSpec.commandLine().getOut();
  }
}
