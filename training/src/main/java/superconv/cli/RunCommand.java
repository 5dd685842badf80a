package superconv.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import superconv.datasets.DataLocation;
import superconv.datasets.DataSplits;
import superconv.datasets.Dataset;
import superconv.datasets.Datasets;
import superconv.datasets.FetchPolicy;
import superconv.training.manifest.ComponentRules;
import superconv.training.manifest.Manifest;
import superconv.training.manifest.ManifestException;
import superconv.training.manifest.RunSpec;
import superconv.training.run.RunLock;
import superconv.training.run.RunPlan;
import superconv.training.run.RunRecord;
import superconv.training.run.RunStatus;
import superconv.training.session.RunLog;
import superconv.training.session.Trainer;

/** {@code superconv run MANIFEST}: trains each selected run in turn, skipping finished ones, resuming the rest. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Train the runs of a manifest (finished runs are skipped, interrupted ones resume).")
final class RunCommand implements Callable<Integer> {

  @Spec CommandSpec commandSpec;

  private static final Logger LOG = LogManager.getLogger(RunCommand.class);

  @Parameters(index = "0", paramLabel = "MANIFEST", description = "The experiment manifest (TOML).")
  Path manifest;

  @Option(names = "--only", paramLabel = "PATTERN",
      description = "Comma-separated globs over experiment or experiment/run names.")
  String only;

  @Option(names = "--runs-dir", paramLabel = "DIR",
      description = "Where run folders go (default: runs/ beside the manifest).")
  Path runsDir;

  @Option(names = "--dry-run", description = "Validate and show what would run, resume or be skipped; write nothing.")
  boolean dryRun;

  @Mixin DataOptions dataOptions;

  @Option(names = "--no-progress", description = "No progress bars (logs only).")
  boolean noProgress;

  @Option(names = "--verbose", description = "Show stack traces of failed runs and TensorFlow's native log.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    List<RunSpec> runs;
    List<RunPlan> plans;
    Path dir = runsDir != null ? runsDir : manifest.toAbsolutePath().getParent().resolve("runs");
    try {
      runs = Manifest.load(manifest, ComponentRules.standard()).select(only);
      plans = RunPlan.of(runs, dir);
    } catch (ManifestException e) {
      return ManifestErrors.print(e, err());
    }
    if (dryRun) {
      for (RunPlan plan : plans) {
        out().printf("%-8s %s%s%n", plan.action().key(), plan.spec().id(), plan.previous() == null ? ""
            : " (" + plan.previous().status().key() + ", " + plan.previous().epochsCompleted() + "/"
                + plan.spec().epochs() + " epochs)");
      }
      out().println(plans.size() + " runs; runs directory " + dir + "; nothing was written (--dry-run)");
      return 0;
    }
    Map<Dataset, DataSplits> data;
    try {
      data = loadData(plans);
    } catch (RuntimeException e) {
      err().println("superconv run: " + e.getMessage());
      return ManifestErrors.EXIT_BAD_MANIFEST;
    }
    List<String[]> summary = new ArrayList<>();
    boolean failures = false;
    for (RunPlan planned : plans) {
      RunSpec spec = planned.spec();
      if (planned.action() == RunPlan.Action.SKIP) {
        LOG.info("skipping {}: {}", spec.id(), planned.previous().status().key());
        summary.add(row(spec, planned.previous().status().key() + " (skipped)", planned.previous()));
        continue;
      }
      try (RunLock lock = RunLock.tryAcquire(planned.folder()).orElse(null)) {
        if (lock == null) {
          LOG.info("skipping {}: another superconv process is training it", spec.id());
          summary.add(row(spec, "busy elsewhere (skipped)", null));
          continue;
        }
        // Decided again under the lock: another process may have trained the run since the plan was made.
        RunPlan plan = RunPlan.of(List.of(spec), dir).get(0);
        if (plan.action() == RunPlan.Action.SKIP) {
          summary.add(row(spec, plan.previous().status().key() + " (skipped)", plan.previous()));
          continue;
        }
        failures |= !train(plan, data.get(spec.dataset()), summary);
      } catch (ManifestException e) {
        failures = true;
        LOG.error("run {} not started: {}", spec.id(), e.getMessage());
        summary.add(row(spec, "refused: " + e.getMessage(), null));
      }
    }
    printSummary(summary, dir);
    return failures ? 1 : 0;
  }

  /** Trains one run in its folder with its own run.log; false when it failed (the grid goes on). */
  private boolean train(RunPlan plan, DataSplits splits, List<String[]> summary) throws IOException {
    RunSpec spec = plan.spec();
    if (plan.action() != RunPlan.Action.RESUME) {
      plan.folder().clear();
    }
    Files.createDirectories(plan.folder().dir());
    Trainer trainer = new Trainer(spec, plan.folder(), Trainer.subsets(spec, splits.train(), splits.test()),
        new Trainer.Options(!noProgress && System.console() != null, null));
    Interruption.watch(plan.folder());
    try (RunLog log = RunLog.open(plan.folder().log(), spec.id())) {
      Trainer.Outcome outcome = trainer.train();
      summary.add(row(spec, outcome.status().key(), plan.folder().readRecord().orElse(null)));
      return true;
    } catch (Exception e) {
      String message = oneLine(e);
      if (verbose) {
        LOG.error("run {} failed: {}", spec.id(), message, e);
      } else {
        LOG.error("run {} failed: {} (--verbose shows where)", spec.id(), message);
      }
      RunRecord record = plan.folder().readRecord().orElse(null);
      if (plan.folder().latestCheckpoint().isEmpty()) {
        // Nothing to resume from: a folder left behind would only look like a run that could be resumed.
        plan.folder().clear();
        record = null;
      }
      summary.add(row(spec, "failed: " + message, record));
      return false;
    } finally {
      Interruption.clear();
    }
  }

  /** An exception's message on one line (TensorFlow's can span several), or its class when it has none. */
  static String oneLine(Exception e) {
    String message = e.getMessage() == null || e.getMessage().isBlank() ? e.toString() : e.getMessage();
    return message.strip().replaceAll("\\s*\n\\s*", " ");
  }

  private Map<Dataset, DataSplits> loadData(List<RunPlan> plans) {
    Map<Dataset, DataSplits> data = new LinkedHashMap<>();
    DataLocation location = dataOptions.location();
    FetchPolicy policy = dataOptions.policy();
    for (RunPlan plan : plans) {
      Dataset dataset = plan.spec().dataset();
      if (plan.action() != RunPlan.Action.SKIP && !data.containsKey(dataset)) {
        data.put(dataset, Datasets.load(dataset, location, policy));
      }
    }
    return data;
  }

  private static String[] row(RunSpec spec, String status, RunRecord record) {
    String epochs = record == null ? "0" : Integer.toString(record.epochsCompleted());
    String best = record == null || record.bestValAccuracy() == null ? "-"
        : String.format(Locale.ROOT, "%.2f @%d", record.bestValAccuracy() * 100, record.bestEpoch());
    return new String[] {spec.id(), status, epochs + "/" + spec.epochs(), best};
  }

  private void printSummary(List<String[]> rows, Path dir) {
    String[] header = {"RUN", "STATUS", "EPOCHS", "BEST VAL ACC (%)"};
    int[] widths = new int[header.length];
    for (String[] row : concat(header, rows)) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : concat(header, rows)) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(String.format("%-" + (widths[i] + 2) + "s", row[i]));
      }
      out().println(line.toString().stripTrailing());
    }
    out().println("run folders: " + dir + "   (superconv report " + dir + ")");
  }

  private static List<String[]> concat(String[] header, List<String[]> rows) {
    List<String[]> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    return all;
  }

  /** Marks the run in progress as interrupted when the JVM is stopped (Ctrl-C, SIGTERM). */
  static final class Interruption {
    private static volatile superconv.training.run.RunFolder current;

    static {
      Runtime.getRuntime().addShutdownHook(new Thread(Interruption::mark, "superconv-interrupt"));
    }

    static void watch(superconv.training.run.RunFolder folder) {
      current = folder;
    }

    static void clear() {
      current = null;
    }

    private static void mark() {
      superconv.training.run.RunFolder folder = current;
      if (folder == null) {
        return;
      }
      try {
        var record = folder.readRecord();
        if (record.isPresent() && record.get().status() == RunStatus.RUNNING) {
          folder.writeRecord(record.get().withStatus(RunStatus.INTERRUPTED, java.time.Instant.now().toString(),
              "stopped by a signal; the next run of the manifest resumes from the last checkpoint"));
        }
      } catch (IOException e) {
        System.err.println("superconv: could not mark " + folder.dir() + " as interrupted: " + e.getMessage());
      }
    }
  }

  private PrintWriter out() {
    return commandSpec.commandLine().getOut();
  }

  private PrintWriter err() {
    return commandSpec.commandLine().getErr();
  }
}
