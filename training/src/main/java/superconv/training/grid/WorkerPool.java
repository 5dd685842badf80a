package superconv.training.grid;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import superconv.training.run.AtomicFiles;
import superconv.training.run.RunPlan;
import superconv.training.run.RunRecord;

/**
 * {@code run --workers}: worker processes sharing one grid. Each worker is a JVM running {@code superconv run} on
 * the same selection (its {@link WorkerPlan}: device, threads, arguments); the run locks give each run to one of
 * them, exactly as for processes started by hand, and a worker passes over runs another one holds. The pool shows
 * the workers' log lines and where each stands ({@link WorkerBoard}), collects the summary each worker writes as
 * JSON into one table, and on SIGTERM or Ctrl-C stops every worker the way a signal stops a single {@code run}: its
 * run ends {@code interrupted} and resumes on the next {@code run}.
 */
public final class WorkerPool {

  /**
   * How long stopped workers get to mark their runs interrupted before they are killed: a worker's shutdown hook
   * waits up to {@link Interruption#CHECKPOINT_WAIT_SECONDS} for the checkpoint before it marks the run itself, so the parent
   * waits that long and a margin for the marking and the JVM's exit. A shorter wait would kill a slow worker before
   * its fallback and leave its run.json saying {@code running}. Still within the 120 s that our Slurm scripts and
   * Kubernetes jobs leave between SIGTERM and SIGKILL.
   */
  static final long STOP_SECONDS = Interruption.CHECKPOINT_WAIT_SECONDS + 10;

  /**
   * @param runsDir the runs directory the workers share
   * @param live draw the status block (stderr is a terminal and progress is wanted)
   * @param verbose pass TensorFlow's native log lines on
   * @param columns the terminal's width
   */
  public record Options(Path runsDir, boolean live, boolean verbose, int columns) {}

  /**
   * What the pool did: the merged summary, what went wrong with workers themselves (one line each), and whether a
   * signal stopped it (then the summary is empty and nothing more should be printed).
   */
  public record Outcome(GridSummary summary, List<String> problems, boolean stopped) {

    /** Whether a run failed or a worker ended without saying what it did. */
    public boolean failures() {
      return summary.failures() || !problems.isEmpty();
    }
  }

  private final JavaCommand java;
  private final List<WorkerPlan> workers;
  private final List<RunPlan> runs;
  private final Options options;
  private final PrintStream console;
  private final List<Process> processes = new ArrayList<>();
  private volatile boolean stopping;

  public WorkerPool(JavaCommand java, List<WorkerPlan> workers, List<RunPlan> runs, Options options,
      PrintStream console) {
    this.java = java;
    this.workers = List.copyOf(workers);
    this.runs = List.copyOf(runs);
    this.options = options;
    this.console = console;
  }

  /** Starts the workers, waits for all of them, and merges what they report. */
  public Outcome run() throws IOException {
    if (workers.isEmpty()) {
      // WorkerPlan.of starts none only when every run is finished or diverged: each is skipped, as planned.
      GridSummary.Builder skipped = new GridSummary.Builder(options.runsDir());
      runs.forEach(plan -> skipped.skipped(plan.spec(), plan.previous()));
      return new Outcome(skipped.build(), List.of(), false);
    }
    Path summaries = Files.createTempDirectory("superconv-workers");
    WorkerBoard board = new WorkerBoard(console, options.live(), options.verbose(), options.columns());
    Thread hook = new Thread(() -> stop(board), "superconv-stop-workers");
    Runtime.getRuntime().addShutdownHook(hook);
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "superconv-worker-board");
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Thread> readers = start(summaries, board);
      if (options.live()) {
        WorkerProgress progress = new WorkerProgress(runs);
        Set<Integer> seenTraining = new HashSet<>();
        ticker.scheduleWithFixedDelay(() -> board.show(status(progress, seenTraining)), 0, 1, TimeUnit.SECONDS);
      }
      List<Process> started;
      synchronized (processes) {
        started = List.copyOf(processes);
      }
      Map<Integer, Integer> exits = new LinkedHashMap<>();
      for (int k = 0; k < started.size(); k++) {
        exits.put(workers.get(k).number(), waitFor(started.get(k)));
      }
      for (Thread reader : readers) {
        join(reader);
      }
      ticker.shutdownNow();
      board.close();
      if (stopping) {
        // Nobody prints a stopped pool's summary, and the JVM is exiting: reading every run.json would only delay it.
        return new Outcome(new GridSummary(options.runsDir(), List.of()), List.of(), true);
      }
      return collect(summaries, exits);
    } finally {
      ticker.shutdownNow();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is shutting down: the hook is stopping the workers.
      }
      AtomicFiles.deleteTree(summaries);
    }
  }

  /** Starts every worker with a thread that passes its output on; a failed start stops those already started. */
  private List<Thread> start(Path summaries, WorkerBoard board) throws IOException {
    List<Thread> readers = new ArrayList<>();
    for (WorkerPlan worker : workers) {
      List<String> args = new ArrayList<>(worker.args());
      args.add("--summary-json");
      args.add(summaryFile(summaries, worker.number()).toString());
      ProcessBuilder builder = java.processBuilder(args).redirectErrorStream(true);
      builder.environment().putAll(worker.environment());
      builder.environment().put(ParentWatch.PARENT_VARIABLE, Long.toString(ProcessHandle.current().pid()));
      Process process;
      synchronized (processes) {
        if (stopping) {
          break;
        }
        try {
          process = builder.start();
        } catch (IOException e) {
          processes.forEach(Process::destroy);
          throw new IOException("cannot start worker " + worker.number() + " (" + java.java() + "): "
              + e.getMessage(), e);
        }
        processes.add(process);
      }
      board.note(worker.describe() + ", pid " + process.pid());
      Thread reader = new Thread(() -> passOn(process, worker.number(), board), "superconv-worker-" + worker.number());
      reader.setDaemon(true);
      reader.start();
      readers.add(reader);
    }
    return readers;
  }

  private static void passOn(Process process, int number, WorkerBoard board) {
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        board.line(number, line);
      }
    } catch (IOException e) {
      board.note("[w" + number + "] (its output could not be read: " + e.getMessage() + ")");
    }
  }

  /** The status block: per worker its run, or what it does between runs; then the runs done. */
  private List<String> status(WorkerProgress progress, Set<Integer> seenTraining) {
    Map<Integer, Long> pids = new LinkedHashMap<>();
    Map<Integer, String> devices = new LinkedHashMap<>();
    Map<Integer, String> states = new LinkedHashMap<>();
    synchronized (processes) {
      for (int k = 0; k < processes.size(); k++) {
        WorkerPlan worker = workers.get(k);
        Process process = processes.get(k);
        pids.put(worker.number(), process.pid());
        devices.put(worker.number(), worker.device());
        states.put(worker.number(), process.isAlive()
            ? (seenTraining.contains(worker.number()) ? "between runs" : "starting")
            : process.exitValue() == 0 ? "done" : "ended with status " + process.exitValue());
      }
    }
    WorkerProgress.Snapshot snapshot = progress.read(pids);
    seenTraining.addAll(snapshot.training().keySet());
    return WorkerBoard.lines(devices, snapshot, states, options.columns());
  }

  /**
   * The shutdown hook: signals every worker (SIGTERM, as a single {@code run} would get it), waits for each to
   * mark its run interrupted, kills any that does not end in time.
   */
  private void stop(WorkerBoard board) {
    List<Process> alive;
    synchronized (processes) {
      stopping = true;
      alive = processes.stream().filter(Process::isAlive).toList();
    }
    if (alive.isEmpty()) {
      return;
    }
    board.note("superconv: stopping " + alive.size() + " worker" + (alive.size() == 1 ? "" : "s")
        + "; their runs end interrupted and resume on the next run");
    alive.forEach(Process::destroy);
    for (Process process : alive) {
      try {
        if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
      }
    }
    board.close();
  }

  /** The merged summary, and a line for every worker that ended without one (it died, or refused to start). */
  private Outcome collect(Path summaries, Map<Integer, Integer> exits) {
    Map<Integer, GridSummary> byWorker = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (Map.Entry<Integer, Integer> exit : exits.entrySet()) {
      Path file = summaryFile(summaries, exit.getKey());
      int status = exit.getValue();
      if ((status == 0 || status == 1) && Files.isRegularFile(file)) {
        try {
          byWorker.put(exit.getKey(), GridSummary.read(file));
          continue;
        } catch (IOException e) {
          problems.add("worker " + exit.getKey() + ": its summary is unreadable (" + e.getMessage() + ")");
          continue;
        }
      }
      problems.add("worker " + exit.getKey() + " ended with status " + status + " before its summary; its lines"
          + " above ([w" + exit.getKey() + "]) say why");
    }
    return new Outcome(summary(byWorker), problems, false);
  }

  /** One row per selected run, from the workers' summaries; a run none reported on is told from its folder. */
  private GridSummary summary(Map<Integer, GridSummary> byWorker) {
    Map<String, RunPlan> byId = new LinkedHashMap<>();
    runs.forEach(plan -> byId.put(plan.spec().id(), plan));
    return GridSummary.merge(options.runsDir(), List.copyOf(byId.keySet()), byWorker, id -> {
      RunPlan plan = byId.get(id);
      RunRecord record = GridRunner.readQuietly(plan.folder());
      return GridSummary.row(plan.spec(), GridSummary.Kind.FAILED, record == null ? "not run: a worker ended early"
          : record.status().key() + " (its worker ended early)", record);
    });
  }

  private static Path summaryFile(Path summaries, int worker) {
    return summaries.resolve("worker-" + worker + ".json");
  }

  private static int waitFor(Process process) {
    while (true) {
      try {
        return process.waitFor();
      } catch (InterruptedException e) {
        // Only a signal ends the workers: it reaches them through the shutdown hook.
      }
    }
  }

  private static void join(Thread thread) {
    try {
      thread.join(TimeUnit.SECONDS.toMillis(STOP_SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
