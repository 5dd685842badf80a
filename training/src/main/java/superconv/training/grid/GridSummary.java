package superconv.training.grid;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import superconv.training.manifest.RunSpec;
import superconv.training.run.AtomicFiles;
import superconv.training.run.RunRecord;

/**
 * What a grid did with each run, as the table {@code superconv run} prints at its end. The workers of {@code run
 * --workers} hand theirs to the parent as JSON ({@link #write}, {@link #read}), which merges them into one
 * ({@link #merge}).
 */
public record GridSummary(Path runsDir, List<Row> rows) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a grid did with a run. */
  public enum Kind {
    /** Trained in this grid (to its end, a divergence, or an interruption). */
    TRAINED,
    /** Finished or diverged before; not touched. */
    SKIPPED,
    /** Another process held its lock. */
    BUSY,
    /** Its folder disagrees with its spec. */
    REFUSED,
    /** It failed. */
    FAILED
  }

  /**
   * One run: its id, what happened, epochs done of all, best test accuracy ("-" before any epoch), and the worker
   * that trained it (null in a grid of one process).
   */
  public record Row(String run, Kind kind, String status, String epochs, String best, Integer worker) {

    public boolean failed() {
      return kind == Kind.FAILED || kind == Kind.REFUSED;
    }

    Row byWorker(int number) {
      return new Row(run, kind, status, epochs, best, number);
    }
  }

  public GridSummary {
    rows = List.copyOf(rows);
  }

  /** Whether any run failed or was refused. */
  public boolean failures() {
    return rows.stream().anyMatch(Row::failed);
  }

  /**
   * The summaries of the workers that shared a grid as one, a row per run in {@code runs}' order: the row of the
   * worker that trained the run (a worker that found it locked or already finished says nothing about it), else a
   * worker's "skipped", else its "busy" (a process outside the pool held it), else {@code missing}'s row (no worker
   * reported on the run: one ended early).
   *
   * @param byWorker each worker's summary, by worker number
   */
  public static GridSummary merge(Path runsDir, List<String> runs, Map<Integer, GridSummary> byWorker,
      Function<String, Row> missing) {
    List<Row> merged = new ArrayList<>();
    // By worker number, so that of two equal rows the lower-numbered worker's is chosen.
    Map<Integer, GridSummary> ordered = new TreeMap<>(byWorker);
    for (String run : runs) {
      Row chosen = null;
      for (Map.Entry<Integer, GridSummary> worker : ordered.entrySet()) {
        for (Row row : worker.getValue().rows()) {
          if (row.run().equals(run) && (chosen == null || rank(row.kind()) < rank(chosen.kind()))) {
            chosen = row.byWorker(worker.getKey());
          }
        }
      }
      merged.add(chosen != null ? chosen : missing.apply(run));
    }
    return new GridSummary(runsDir, merged);
  }

  /** Which worker's row tells a run's story: the last training of it, then a failure, then a skip or a lock. */
  private static int rank(Kind kind) {
    return switch (kind) {
      case TRAINED -> 0;
      case FAILED -> 1;
      case REFUSED -> 2;
      case SKIPPED -> 3;
      case BUSY -> 4;
    };
  }

  /** The summary as JSON, for the parent of a worker. */
  public void write(Path file) throws IOException {
    AtomicFiles.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n");
  }

  public static GridSummary read(Path file) throws IOException {
    return JSON.readValue(file.toFile(), GridSummary.class);
  }

  public void print(PrintWriter out) {
    boolean workers = rows.stream().anyMatch(r -> r.worker() != null);
    String[] header = workers ? new String[] {"RUN", "STATUS", "EPOCHS", "BEST VAL ACC (%)", "WORKER"}
        : new String[] {"RUN", "STATUS", "EPOCHS", "BEST VAL ACC (%)"};
    List<String[]> lines = new ArrayList<>();
    lines.add(header);
    rows.forEach(r -> lines.add(workers
        ? new String[] {r.run(), r.status(), r.epochs(), r.best(), r.worker() == null ? "-" : "w" + r.worker()}
        : new String[] {r.run(), r.status(), r.epochs(), r.best()}));
    int[] widths = new int[header.length];
    for (String[] line : lines) {
      for (int i = 0; i < line.length; i++) {
        widths[i] = Math.max(widths[i], line[i].length());
      }
    }
    for (String[] line : lines) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < line.length; i++) {
        text.append(String.format("%-" + (widths[i] + 2) + "s", line[i]));
      }
      out.println(text.toString().stripTrailing());
    }
    out.println("run folders: " + runsDir + "   (superconv report " + runsDir + ")");
    out.flush();
  }

  static final class Builder {
    private final Path runsDir;
    private final List<Row> rows = new ArrayList<>();

    Builder(Path runsDir) {
      this.runsDir = runsDir;
    }

    void skipped(RunSpec spec, RunRecord previous) {
      rows.add(row(spec, Kind.SKIPPED, previous.status().key() + " (skipped)", previous));
    }

    void busy(RunSpec spec) {
      rows.add(row(spec, Kind.BUSY, "busy elsewhere (skipped)", null));
    }

    void refused(RunSpec spec, String why) {
      rows.add(row(spec, Kind.REFUSED, "refused: " + why, null));
    }

    void trained(RunSpec spec, String status, RunRecord record) {
      rows.add(row(spec, Kind.TRAINED, status, record));
    }

    void failed(RunSpec spec, String why, RunRecord record) {
      rows.add(row(spec, Kind.FAILED, "failed: " + why, record));
    }

    GridSummary build() {
      return new GridSummary(runsDir, rows);
    }
  }

  /** A run's row: epochs and best accuracy from its record (none: nothing done yet). */
  static Row row(RunSpec spec, Kind kind, String status, RunRecord record) {
    String epochs = record == null ? "0" : Integer.toString(record.epochsCompleted());
    String best = record == null || record.bestValAccuracy() == null ? "-"
        : String.format(Locale.ROOT, "%.2f @%d", record.bestValAccuracy() * 100, record.bestEpoch());
    return new Row(spec.id(), kind, status, epochs + "/" + spec.epochs(), best, null);
  }
}
