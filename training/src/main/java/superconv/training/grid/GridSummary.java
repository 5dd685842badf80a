package superconv.training.grid;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import superconv.training.manifest.RunSpec;
import superconv.training.run.RunRecord;

/** What a grid did with each run, as the table {@code superconv run} prints at its end. */
public record GridSummary(Path runsDir, List<Row> rows) {

  /** One run: its id, what happened, epochs done of all, best test accuracy ("-" before any epoch). */
  public record Row(String run, String status, String epochs, String best, boolean failed) {}

  public GridSummary {
    rows = List.copyOf(rows);
  }

  /** Whether any run failed or was refused. */
  public boolean failures() {
    return rows.stream().anyMatch(Row::failed);
  }

  public void print(PrintWriter out) {
    String[] header = {"RUN", "STATUS", "EPOCHS", "BEST VAL ACC (%)"};
    List<String[]> lines = new ArrayList<>();
    lines.add(header);
    rows.forEach(r -> lines.add(new String[] {r.run(), r.status(), r.epochs(), r.best()}));
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
      add(spec, previous.status().key() + " (skipped)", previous, false);
    }

    void busy(RunSpec spec) {
      add(spec, "busy elsewhere (skipped)", null, false);
    }

    void refused(RunSpec spec, String why) {
      add(spec, "refused: " + why, null, true);
    }

    void trained(RunSpec spec, String status, RunRecord record) {
      add(spec, status, record, false);
    }

    void failed(RunSpec spec, String why, RunRecord record) {
      add(spec, "failed: " + why, record, true);
    }

    private void add(RunSpec spec, String status, RunRecord record, boolean failed) {
      String epochs = record == null ? "0" : Integer.toString(record.epochsCompleted());
      String best = record == null || record.bestValAccuracy() == null ? "-"
          : String.format(Locale.ROOT, "%.2f @%d", record.bestValAccuracy() * 100, record.bestEpoch());
      rows.add(new Row(spec.id(), status, epochs + "/" + spec.epochs(), best, failed));
    }

    GridSummary build() {
      return new GridSummary(runsDir, rows);
    }
  }
}
