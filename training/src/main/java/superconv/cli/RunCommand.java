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
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import superconv.training.grid.GridRunner;
import superconv.training.grid.GridSummary;
import superconv.training.grid.ParentWatch;
import superconv.training.grid.RunSelection;
import superconv.training.grid.WorkerPlan;
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

  @Option(names = "--threads", paramLabel = "T",
      description = "TensorFlow's intra- and inter-op threads per run (default: TensorFlow's choice, all cores; with"
          + " --workers, the cores divided between the workers). Runs trained with 1 and 2 threads were identical"
          + " to the byte; TensorFlow does not promise that for every count and machine.")
  Integer threads;

  @Option(names = "--workers", paramLabel = "N",
      description = "Train with N worker processes that share the grid through the run locks, each on its own device"
          + " (--devices) or all on the CPU; one view of their progress here (default with --devices: one worker"
          + " per device).")
  Integer workers;

  @Option(names = "--devices", paramLabel = "cpu|all|gpu:0,gpu:1",
      description = "The workers' devices, one worker per device: GPUs (all: every GPU TensorFlow lists; each worker"
          + " sees its own as gpu:0), or cpu (the workers share the CPU, no GPU visible).")
  String devices;

  /** A worker writes its summary here for the parent instead of printing it (the parent prints one for all). */
  @Option(names = "--summary-json", paramLabel = "FILE", hidden = true)
  Path summaryJson;

  @Option(names = "--no-progress", description = "No progress bars (logs only).")
  boolean noProgress;

  @Option(names = "--verbose", description = "Show stack traces of failed runs and TensorFlow's native log.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    ParentWatch.start(System.getenv());
    if (threads != null && threads < 1) {
      throw usage("--threads must be 1 or more, not " + threads + " (leave it out for TensorFlow's choice)");
    }
    Path dir = selection.runsDir(runsDir);
    GridRunner grid = new GridRunner(new GridRunner.Options(dir, dataOptions.location(), dataOptions.policy(),
        !noProgress && System.console() != null, threads == null ? 0 : threads, verbose, checkpointEvery.steps()));
    if (workers != null || devices != null) {
      return new WorkerLaunch(this, grid, dir).run();
    }
    List<RunPlan> plans = grid.plan(subset());
    if (dryRun) {
      printDryRun(plans, dir, List.of());
      return 0;
    }
    GridSummary summary;
    try {
      summary = grid.run(plans);
    } catch (GridRunner.GridException e) {
      throw new UserError(e.getMessage(), 2);
    }
    if (summaryJson != null) {
      summary.write(summaryJson);
    } else {
      summary.print(out());
    }
    return summary.failures() ? 1 : 0;
  }

  /** What --dry-run prints: what each run would do, and the workers that would start. */
  void printDryRun(List<RunPlan> plans, Path dir, List<WorkerPlan> workerPlans) {
    for (RunPlan plan : plans) {
      out().printf("%-8s %s%s%n", plan.action().key(), plan.spec().id(), plan.previous() == null ? ""
          : " (" + plan.previous().status().key() + ", " + plan.previous().epochsCompleted() + "/"
              + plan.spec().epochs() + " epochs)");
    }
    workerPlans.forEach(worker -> out().println(worker.describe()));
    out().println(plans.size() + " runs; runs directory " + dir + "; nothing was written (--dry-run)");
  }

  ParameterException usage(String message) {
    return new ParameterException(commandSpec.commandLine(), message);
  }

  /** The runs this process trains: the manifest's selection, narrowed by --index or --shard. */
  List<RunSpec> subset() throws ManifestException {
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

  PrintWriter out() {
    return commandSpec.commandLine().getOut();
  }
}
