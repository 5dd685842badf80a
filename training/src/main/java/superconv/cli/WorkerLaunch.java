package superconv.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import superconv.training.grid.GpuListing;
import superconv.training.grid.GridRunner;
import superconv.training.grid.JavaCommand;
import superconv.training.grid.ParentWatch;
import superconv.training.grid.WorkerDevices;
import superconv.training.grid.WorkerPlan;
import superconv.training.grid.WorkerPool;
import superconv.training.manifest.ManifestException;
import superconv.training.run.RunPlan;
import superconv.training.session.Progress;

/**
 * {@code run --workers N [--devices ...]} in the parent: everything is checked before any worker starts (the
 * options, the manifest and the run folders, where the workers go, the runs directory, the data sets), then a
 * {@link WorkerPool} runs the workers and its one summary is printed. The exit status is {@code run}'s: 0, 1 when a
 * run failed or a worker ended without its summary, 2 for anything refused before the start.
 */
final class WorkerLaunch {

  private final RunCommand command;
  private final GridRunner grid;
  private final Path runsDir;

  WorkerLaunch(RunCommand command, GridRunner grid, Path runsDir) {
    this.command = command;
    this.grid = grid;
    this.runsDir = runsDir;
  }

  Integer run() throws Exception {
    Integer workers = command.workers;
    if (workers != null && workers < 1) {
      throw command.usage("--workers must be 1 or more, not " + workers);
    }
    if (command.index != null && workers != null && workers > 1) {
      throw command.usage("--index picks one run, which one worker trains: --workers " + workers + " has nothing"
          + " to share (leave --workers out, or give --shard K/N for a part of the grid)");
    }
    WorkerDevices devices;
    try {
      devices = command.devices == null ? null : WorkerDevices.parse(command.devices);
    } catch (IllegalArgumentException e) {
      throw command.usage(e.getMessage());
    }
    JavaCommand java;
    try {
      java = JavaCommand.of(Main.class);
    } catch (IllegalStateException e) {
      throw new UserError(e.getMessage(), 2);
    }
    List<RunPlan> plans = grid.plan(command.subset());
    List<WorkerPlan> workerPlans = workerPlans(workers, devices, java, plans);
    if (command.dryRun) {
      command.printDryRun(plans, runsDir, workerPlans);
      return 0;
    }
    try {
      grid.prepare(plans);
    } catch (GridRunner.GridException e) {
      throw new UserError(e.getMessage(), 2);
    }
    boolean live = !command.noProgress && System.console() != null;
    WorkerPool.Outcome outcome = new WorkerPool(java, workerPlans, plans,
        new WorkerPool.Options(runsDir, live, command.verbose, live ? Progress.consoleColumns() : 80), System.err)
        .run();
    if (outcome.stopped()) {
      // The parent exits as its workers do, as a JVM stopped by SIGTERM.
      return ParentWatch.STOPPED;
    }
    outcome.summary().print(command.out());
    outcome.problems().forEach(problem -> command.commandSpec.commandLine().getErr().println("superconv run: "
        + problem));
    command.commandSpec.commandLine().getErr().flush();
    return outcome.failures() ? 1 : 0;
  }

  /** One plan per worker to start, after every check of the devices against the options and the runs. */
  private List<WorkerPlan> workerPlans(Integer workers, WorkerDevices devices, JavaCommand java,
      List<RunPlan> plans) throws ManifestException {
    String parentVisible = System.getenv(WorkerPlan.CUDA_VISIBLE_DEVICES);
    WorkerPlan.Placement placement;
    try {
      placement = WorkerPlan.Placement.decide(devices, workers == null ? 1 : workers, () -> GpuListing.of(java),
          parentVisible);
    } catch (IllegalArgumentException e) {
      throw command.usage(e.getMessage());
    } catch (IllegalStateException e) {
      throw new UserError(e.getMessage(), 2);
    }
    List<String> refused = new ArrayList<>();
    int toTrain = 0;
    for (RunPlan plan : plans) {
      if (plan.action() != RunPlan.Action.SKIP) {
        toTrain++;
        String refusal = placement.refusal(plan.spec().id(), plan.spec().device());
        if (refusal != null) {
          refused.add(refusal);
        }
      }
    }
    if (!refused.isEmpty()) {
      throw new ManifestException(refused);
    }
    int asked = workers != null ? workers : Math.max(1, placement.gpus().size());
    try {
      return WorkerPlan.of(asked, toTrain, placement, Runtime.getRuntime().availableProcessors(), command.threads,
          runArgs());
    } catch (IllegalArgumentException e) {
      throw command.usage(e.getMessage());
    }
  }

  /**
   * The arguments every worker's {@code superconv run} shares: the same manifest and selection, absolute paths (a
   * worker's working directory is the parent's, but its arguments should read alone in a process list), the data
   * offline (the parent found or fetched it), the same checkpoint interval, no progress bars.
   */
  private List<String> runArgs() {
    List<String> args = new ArrayList<>(List.of("run", command.selection.manifest.toAbsolutePath().toString()));
    if (command.selection.only != null) {
      args.addAll(List.of("--only", command.selection.only));
    }
    if (command.index != null) {
      args.addAll(List.of("--index", command.index.toString()));
    }
    if (command.shard != null) {
      args.addAll(List.of("--shard", command.shard.toString()));
    }
    args.addAll(List.of("--runs-dir", runsDir.toAbsolutePath().toString()));
    if (command.dataOptions.dataDir != null) {
      args.addAll(List.of("--data-dir", command.dataOptions.dataDir.toAbsolutePath().toString()));
    }
    args.addAll(command.checkpointEvery.arguments());
    args.addAll(List.of("--offline", "--no-progress"));
    if (command.verbose) {
      args.add("--verbose");
    }
    return args;
  }
}
