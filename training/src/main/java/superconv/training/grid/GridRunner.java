package superconv.training.grid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import superconv.datasets.DataLocation;
import superconv.datasets.DataSplits;
import superconv.datasets.Dataset;
import superconv.datasets.Datasets;
import superconv.datasets.FetchPolicy;
import superconv.datasets.Fetcher;
import superconv.training.manifest.ManifestException;
import superconv.training.loop.StopRequest;
import superconv.training.manifest.RunSpec;
import superconv.training.run.RunFolder;
import superconv.training.run.RunLock;
import superconv.training.run.RunPlan;
import superconv.training.run.RunRecord;
import superconv.training.session.RunLog;
import superconv.training.session.Trainer;

/**
 * Trains a grid of runs in one process: plans them against the runs directory, loads each data set once, and for
 * each run takes its lock, decides again under the lock (another process sharing the directory may have trained
 * it meanwhile), trains, and records the outcome in the summary. A run that fails is reported and the grid goes
 * on; a run that fails before its first checkpoint leaves no folder. Several processes can run one grid: the run
 * locks give each run to one of them.
 */
public final class GridRunner {

  private static final Logger LOG = LogManager.getLogger(GridRunner.class);

  /**
   * @param runsDir where the run folders go
   * @param progress draw progress bars
   * @param threads TensorFlow's threads per session (0: TensorFlow's choice, all cores)
   * @param verbose log a failed run's stack trace
   * @param checkpointEvery also checkpoint inside epochs every this many steps (0: at epochs' ends only)
   */
  public record Options(Path runsDir, DataLocation data, FetchPolicy fetch, boolean progress, int threads,
      boolean verbose, int checkpointEvery) {}

  private final Options options;

  public GridRunner(Options options) {
    this.options = options;
  }

  /** What each run would do now, from the run folders; refuses conflicting folders. */
  public List<RunPlan> plan(List<RunSpec> runs) throws ManifestException, IOException {
    return RunPlan.of(runs, options.runsDir());
  }

  /**
   * Trains the planned runs in turn.
   *
   * @throws GridException when the grid cannot start (the runs directory unusable, a data set missing)
   */
  public GridSummary run(List<RunPlan> plans) throws GridException {
    prepareRunsDir();
    Map<Dataset, DataSplits> data = loadData(plans);
    GridSummary.Builder summary = new GridSummary.Builder(options.runsDir());
    for (RunPlan planned : plans) {
      RunSpec spec = planned.spec();
      if (planned.action() == RunPlan.Action.SKIP) {
        LOG.info("skipping {}: {}", spec.id(), planned.previous().status().key());
        summary.skipped(spec, planned.previous());
        continue;
      }
      try (RunLock lock = RunLock.tryAcquire(planned.folder()).orElse(null)) {
        if (lock == null) {
          LOG.info("skipping {}: another superconv process is training it", spec.id());
          summary.busy(spec);
          continue;
        }
        RunPlan plan = RunPlan.of(List.of(spec), options.runsDir()).get(0);
        if (plan.action() == RunPlan.Action.SKIP) {
          summary.skipped(spec, plan.previous());
          continue;
        }
        if (!train(plan, data.get(spec.dataset()), summary)) {
          // Stopped by a signal: the JVM is exiting, and no other run may start meanwhile.
          break;
        }
      } catch (ManifestException e) {
        LOG.error("run {} not started: {}", spec.id(), e.getMessage());
        summary.refused(spec, e.getMessage());
      } catch (IOException e) {
        String message = RunFailures.oneLine(e, planned.folder().dir());
        LOG.error("run {} not started: {}", spec.id(), message);
        summary.failed(spec, message, null);
      }
    }
    return summary.build();
  }

  /**
   * Trains one run in its folder with its own run.log; a failure is recorded and the grid goes on.
   *
   * @return false when a signal stopped the run (the grid stops too)
   */
  private boolean train(RunPlan plan, DataSplits splits, GridSummary.Builder summary) throws IOException {
    RunSpec spec = plan.spec();
    RunFolder folder = plan.folder();
    if (plan.action() != RunPlan.Action.RESUME) {
      folder.clear();
    }
    Files.createDirectories(folder.dir());
    StopRequest stop = new StopRequest();
    Trainer trainer = new Trainer(spec, folder, Trainer.subsets(spec, splits.train(), splits.test()),
        new Trainer.Options(options.progress(), options.threads(), null, options.checkpointEvery(), stop));
    Interruption.watch(folder, stop);
    try (RunLog log = RunLog.open(folder.log(), spec.id())) {
      Trainer.Outcome outcome = trainer.train();
      summary.trained(spec, outcome.status().key(), folder.readRecord().orElse(null));
    } catch (Exception e) {
      String message = RunFailures.oneLine(e, folder.dir());
      if (options.verbose()) {
        LOG.error("run {} failed: {}", spec.id(), message, e);
      } else {
        LOG.error("run {} failed: {} (--verbose shows where)", spec.id(), message);
      }
      RunRecord record = readQuietly(folder);
      if (folder.latestCheckpoint().isEmpty()) {
        // Nothing to resume from: a folder left behind would only look like a run that could be resumed.
        folder.clear();
        record = null;
      }
      summary.failed(spec, message, record);
    } finally {
      Interruption.clear();
      stop.released();
    }
    return !stop.requested();
  }

  /** The folder's record; null when it has none or it cannot be read now. */
  static RunRecord readQuietly(RunFolder folder) {
    try {
      return folder.readRecord().orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * What the parent of {@code run --workers} checks before it starts any worker: the runs directory takes files, and
   * every data set a run to train needs is here, fetched once now where the fetch policy allows (workers fetching
   * the same set at once would write over each other), but not read.
   *
   * @throws GridException as {@link #run} would, for the same reasons
   */
  public void prepare(List<RunPlan> plans) throws GridException {
    prepareRunsDir();
    perDataset(plans, dataset -> Datasets.locate(dataset, options.data(), options.fetch(), new Fetcher()));
  }

  /** The runs directory exists and takes files, or the grid does not start. */
  private void prepareRunsDir() throws GridException {
    Path dir = options.runsDir();
    try {
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, ".superconv-write-check", ".tmp");
      Files.delete(probe);
    } catch (IOException e) {
      throw new GridException("runs directory " + RunFailures.oneLine(e, dir));
    }
  }

  private Map<Dataset, DataSplits> loadData(List<RunPlan> plans) throws GridException {
    return perDataset(plans, dataset -> Datasets.load(dataset, options.data(), options.fetch()));
  }

  /**
   * {@code each} applied once to every data set a run to train needs, in the runs' order: what it throws refuses
   * the grid, in one line, before anything is trained.
   */
  private static <T> Map<Dataset, T> perDataset(List<RunPlan> plans, Function<Dataset, T> each)
      throws GridException {
    Map<Dataset, T> results = new LinkedHashMap<>();
    for (RunPlan plan : plans) {
      Dataset dataset = plan.spec().dataset();
      if (plan.action() != RunPlan.Action.SKIP && !results.containsKey(dataset)) {
        try {
          results.put(dataset, each.apply(dataset));
        } catch (RuntimeException e) {
          throw new GridException(e.getMessage());
        }
      }
    }
    return results;
  }

  /** The grid cannot start; nothing was trained. */
  public static final class GridException extends Exception {
    public GridException(String message) {
      super(message);
    }
  }
}
