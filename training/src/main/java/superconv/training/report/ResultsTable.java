package superconv.training.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import superconv.datasets.Dataset;
import superconv.training.run.RunStatus;

/**
 * The thesis's results table (Tables 4.1-4.5) for whatever ran: Data Set, Network, Optimizer, LR Scheme, LR,
 * Batch Size, Max Acc. (%), @epoch, followed by the data protocol, epochs trained, status and run. The best run
 * per data set and network is marked.
 *
 * <p>Runs that differ only in their seed ({@link SeedGroups}) are one row: Max Acc. is then the mean, sample
 * standard deviation and range over the seeds, @epoch and Epochs the range, and a Seeds column counts them. Each
 * target accuracy adds the epoch, step and seconds at which validation accuracy first reached it ({@link
 * LearningSpeed#reached}), and any target adds the normalized area under the accuracy curve ({@link
 * LearningSpeed#area}); a seed group reports how many seeds reached a target and the statistics over those. A table
 * without targets or seed groups is the thesis's, unchanged.
 */
public record ResultsTable(List<Row> rows, List<Double> targets, boolean seedColumns) {

  public static final List<String> HEADER = List.of("Data Set", "Network", "Optimizer", "LR Scheme", "LR",
      "Batch Size", "Max Acc. (%)", "@epoch", "Protocol", "Epochs", "Status", "Run");

  /** One target over a row's runs: how many reached it, and when, over those that did. */
  public record Speed(double target, int reached, Stats epoch, Stats step, Stats seconds) {}

  /**
   * One run's row, or one seed group's ({@code seeds} runs); {@code best} marks the highest (mean) accuracy of its
   * data set and network. Max accuracy is in percent; the area a fraction.
   */
  public record Row(String dataSet, String network, String optimizer, String scheme, String lr, int batchSize,
      Stats maxAccuracy, Stats bestEpochs, Stats epochs, String protocol, String status, String run, boolean best,
      int seeds, Stats area, List<Speed> speeds) {

    public Row {
      speeds = List.copyOf(speeds);
    }

    /** The max accuracy in percent (the seeds' mean), NaN when no epoch was recorded. */
    public double maxAccuracyPercent() {
      return maxAccuracy.mean();
    }

    /** The epoch of the max accuracy (the earliest of the seeds'), 0 when no epoch was recorded. */
    public int atEpoch() {
      return bestEpochs.n() == 0 ? 0 : (int) bestEpochs.min();
    }

    /** The epochs trained, as a range over the seeds: "4", or "2–4" when a seed stopped early. */
    public String epochsTrained() {
      return range(epochs);
    }

    Row asBest() {
      return new Row(dataSet, network, optimizer, scheme, lr, batchSize, maxAccuracy, bestEpochs, epochs, protocol,
          status, run, true, seeds, area, speeds);
    }
  }

  public ResultsTable {
    rows = List.copyOf(rows);
    targets = List.copyOf(targets);
  }

  /** A run folder may come from a build that knew other data sets: an id that is none of ours is shown as is. */
  private static Optional<Dataset> dataset(String id) {
    return Arrays.stream(Dataset.values()).filter(d -> d.id().equals(id)).findFirst();
  }

  public static ResultsTable of(List<RunResult> results) {
    return of(results, List.of());
  }

  /** The table with learning-speed columns for each target, a fraction in (0, 1]. */
  public static ResultsTable of(List<RunResult> results, List<Double> targets) {
    targets.forEach(LearningSpeed::checkTarget);
    // Grouped like the thesis's tables: by data set, then network; runs keep their order within a group.
    List<RunResult> ordered = new ArrayList<>(results);
    ordered.sort(Comparator
        .comparingInt((RunResult r) -> dataset(r.spec().path("dataset").asText()).map(Enum::ordinal)
            .orElse(Integer.MAX_VALUE))
        .thenComparing(r -> r.spec().path("network").asText()));
    List<List<RunResult>> groups = SeedGroups.of(ordered);
    List<Row> rows = new ArrayList<>(groups.stream().map(g -> row(g, targets)).toList());
    // Mark the best of each data set + network (first of equals), leaving the order of the runs as it was.
    Map<String, Integer> bestIndex = new HashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      // A run still training, or stopped before its last epoch, has not reached its accuracy: it is no result.
      if (Double.isNaN(row.maxAccuracyPercent()) || !groups.get(i).stream().allMatch(r -> r.status().isFinal())) {
        continue;
      }
      String group = row.dataSet() + "|" + row.network();
      Integer current = bestIndex.get(group);
      if (current == null || row.maxAccuracyPercent() > rows.get(current).maxAccuracyPercent()) {
        bestIndex.put(group, i);
      }
    }
    bestIndex.values().forEach(i -> rows.set(i, rows.get(i).asBest()));
    return new ResultsTable(rows, targets, SeedGroups.any(groups));
  }

  private static Row row(List<RunResult> group, List<Double> targets) {
    JsonNode spec = group.get(0).spec();
    String dataset = spec.path("dataset").asText();
    String network = spec.path("network").asText();
    int width = spec.path("width").asInt(64);
    List<RunResult> recorded = group.stream().filter(r -> !Double.isNaN(r.maxAccuracy())).toList();
    List<Speed> speeds = new ArrayList<>();
    for (double target : targets) {
      List<LearningSpeed.Reached> reached = group.stream()
          .flatMap(r -> LearningSpeed.reached(r.metrics(), target).stream()).toList();
      speeds.add(new Speed(target, reached.size(),
          Stats.of(reached.stream().map(s -> (double) s.epoch()).toList()),
          Stats.of(reached.stream().map(s -> (double) s.step()).toList()),
          Stats.of(reached.stream().map(LearningSpeed.Reached::seconds).toList())));
    }
    return new Row(
        dataset(dataset).map(Dataset::title).orElse(dataset),
        SpecTitles.networkTitle(network) + (width == 64 ? "" : " (width " + width + ")"),
        SpecTitles.join(spec.path("phases"), SpecTitles::optimizerTitle),
        SpecTitles.join(spec.path("phases"), SpecTitles::schemeTitle),
        SpecTitles.join(spec.path("phases"), SpecTitles::rateTitle),
        spec.path("batch_size").asInt(),
        Stats.of(recorded.stream().map(r -> r.maxAccuracy() * 100).toList()),
        Stats.of(recorded.stream().map(r -> (double) r.bestEpoch()).toList()),
        Stats.of(group.stream().map(r -> (double) r.metrics().size()).toList()),
        spec.path("data_protocol").asText(),
        status(group),
        SeedGroups.name(group),
        false,
        group.size(),
        Stats.of(group.stream().map(r -> LearningSpeed.area(r.metrics(), r.spec().path("epochs").asInt())).toList()),
        speeds);
  }

  /** One run's status; a group's counted per status when its seeds differ ("2 finished, 1 diverged"). */
  private static String status(List<RunResult> group) {
    RunResult first = group.get(0);
    if (group.size() == 1) {
      return first.status() == RunStatus.DIVERGED && first.record().divergedAtStep() != null
          ? "diverged at step " + first.record().divergedAtStep() : first.status().key();
    }
    Map<RunStatus, Integer> counts = new EnumMap<>(RunStatus.class);
    group.forEach(r -> counts.merge(r.status(), 1, Integer::sum));
    if (counts.size() == 1) {
      return first.status().key();
    }
    List<String> parts = new ArrayList<>();
    counts.forEach((status, n) -> parts.add(n + " " + status.key()));
    return String.join(", ", parts);
  }

  /** The columns of {@link #text} and {@link #markdown}. */
  public List<String> header() {
    List<String> header = new ArrayList<>(HEADER);
    if (seedColumns) {
      header.add("Seeds");
    }
    if (!targets.isEmpty()) {
      header.add("AUC");
      for (double target : targets) {
        String at = " ≥" + percent(target);
        header.addAll(List.of("Epoch" + at, "Step" + at, "Seconds" + at));
      }
    }
    return header;
  }

  private List<String> cells(Row row) {
    List<String> cells = new ArrayList<>(List.of(row.dataSet(), row.network(), row.optimizer(), row.scheme(),
        row.lr(), Integer.toString(row.batchSize()),
        row.seeds() == 1 ? format("%.2f", row.maxAccuracy().mean(), "-") : spread(row.maxAccuracy(), row.seeds()),
        range(row.bestEpochs()), row.protocol(), range(row.epochs()), row.status(), row.run()));
    if (seedColumns) {
      cells.add(Integer.toString(row.seeds()));
    }
    if (!targets.isEmpty()) {
      Stats area = row.area();
      cells.add(row.seeds() == 1 ? format("%.4f", area.mean(), "")
          : String.format(Locale.ROOT, "%.4f ± %.4f", area.mean(), area.sd()));
      for (Speed speed : row.speeds()) {
        if (row.seeds() == 1) {
          cells.add(format("%.0f", speed.epoch().mean(), ""));
        } else {
          String when = speed.reached() == 0 ? "" : speed.reached() == 1 ? format("%.0f", speed.epoch().mean(), "")
              : String.format(Locale.ROOT, "%.2f ± %.2f (%s)", speed.epoch().mean(), speed.epoch().sd(),
                  range(speed.epoch()));
          cells.add((when.isEmpty() ? "" : when + ", ") + speed.reached() + "/" + row.seeds());
        }
        cells.add(format("%.0f", speed.step().mean(), ""));
        cells.add(format("%.1f", speed.seconds().mean(), ""));
      }
    }
    return cells;
  }

  /** Aligned plain text; the best rows carry a leading {@code *}. */
  public String text() {
    List<List<String>> cells = new ArrayList<>();
    cells.add(prefixed(" ", header()));
    rows.forEach(r -> cells.add(prefixed(r.best() ? "*" : " ", cells(r))));
    int[] widths = new int[header().size() + 1];
    for (List<String> line : cells) {
      for (int i = 0; i < line.size(); i++) {
        widths[i] = Math.max(widths[i], line.get(i).length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (List<String> line : cells) {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < line.size(); i++) {
        out.append(i == 0 ? "" : i == 1 ? " " : "  ").append(String.format("%-" + widths[i] + "s", line.get(i)));
      }
      text.append(out.toString().stripTrailing()).append('\n');
    }
    return text.toString();
  }

  /** GitHub-flavoured Markdown; the best rows are bold, as in the thesis (blank cells stay blank). */
  public String markdown() {
    StringBuilder text = new StringBuilder();
    text.append("| ").append(String.join(" | ", header())).append(" |\n");
    text.append("|").append(" --- |".repeat(header().size())).append('\n');
    for (Row row : rows) {
      List<String> cells = cells(row).stream()
          .map(c -> c.replace("|", "\\|"))
          .map(c -> row.best() && !c.isEmpty() ? "**" + c + "**" : c)
          .toList();
      text.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }
    return text.toString();
  }

  /**
   * CSV with a header, the accuracy as a percentage and a {@code best} column (true/false); the statistics of seed
   * groups and the learning speed in columns of their own, one number each, blank where there is none.
   */
  public String csv() {
    StringBuilder text = new StringBuilder();
    List<String> header = new ArrayList<>(HEADER);
    header.add("Best");
    if (seedColumns) {
      header.addAll(List.of("Seeds", "Max Acc. sd", "Max Acc. min", "Max Acc. max"));
    }
    if (!targets.isEmpty()) {
      header.add("AUC");
      if (seedColumns) {
        header.add("AUC sd");
      }
      for (double target : targets) {
        String at = " ≥" + percent(target);
        header.addAll(List.of("Epoch" + at, "Step" + at, "Seconds" + at));
        if (seedColumns) {
          header.addAll(List.of("Reached" + at, "Epoch" + at + " sd", "Epoch" + at + " min", "Epoch" + at + " max"));
        }
      }
    }
    text.append(String.join(",", header.stream().map(ResultsTable::quote).toList())).append('\n');
    for (Row row : rows) {
      text.append(String.join(",", csvCells(row).stream().map(ResultsTable::quote).toList())).append('\n');
    }
    return text.toString();
  }

  private List<String> csvCells(Row row) {
    List<String> cells = new ArrayList<>(cells(row).subList(0, HEADER.size()));
    cells.set(HEADER.indexOf("Max Acc. (%)"), format("%.2f", row.maxAccuracy().mean(), "-"));
    cells.add(Boolean.toString(row.best()));
    if (seedColumns) {
      Stats max = row.maxAccuracy();
      cells.addAll(List.of(Integer.toString(row.seeds()), format("%.2f", max.sd(), ""), format("%.2f", max.min(), ""),
          format("%.2f", max.max(), "")));
    }
    if (!targets.isEmpty()) {
      cells.add(format("%.4f", row.area().mean(), ""));
      if (seedColumns) {
        cells.add(format("%.4f", row.area().sd(), ""));
      }
      String mean = row.seeds() == 1 ? "%.0f" : "%.3f";
      for (Speed speed : row.speeds()) {
        cells.addAll(List.of(format(mean, speed.epoch().mean(), ""), format(mean, speed.step().mean(), ""),
            format("%.3f", speed.seconds().mean(), "")));
        if (seedColumns) {
          cells.addAll(List.of(Integer.toString(speed.reached()), format("%.3f", speed.epoch().sd(), ""),
              format("%.0f", speed.epoch().min(), ""), format("%.0f", speed.epoch().max(), "")));
        }
      }
    }
    return cells;
  }

  /** 0.9 as 90%, 0.925 as 92.5%: a target's column title. */
  static String percent(double target) {
    return new BigDecimal(Double.toString(target)).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
  }

  /** "92.00 ± 2.00 (90.00–94.00)"; seeds without an accuracy are left out and said to be ("..., 2/3"). */
  private static String spread(Stats stats, int seeds) {
    if (stats.n() == 0) {
      return "-";
    }
    String text = stats.n() == 1 ? format("%.2f", stats.mean(), "-") : String.format(Locale.ROOT,
        "%.2f ± %.2f (%.2f–%.2f)", stats.mean(), stats.sd(), stats.min(), stats.max());
    return stats.n() == seeds ? text : text + ", " + stats.n() + "/" + seeds;
  }

  /** Whole numbers as "4" or "2–4"; "-" for none. */
  private static String range(Stats stats) {
    if (stats.n() == 0) {
      return "-";
    }
    String min = String.format(Locale.ROOT, "%.0f", stats.min());
    String max = String.format(Locale.ROOT, "%.0f", stats.max());
    return min.equals(max) ? min : min + "–" + max;
  }

  private static String format(String format, double value, String none) {
    return Double.isNaN(value) ? none : String.format(Locale.ROOT, format, value);
  }

  private static List<String> prefixed(String mark, List<String> cells) {
    List<String> line = new ArrayList<>();
    line.add(mark);
    line.addAll(cells);
    return line;
  }

  private static String quote(String cell) {
    return cell.contains(",") || cell.contains("\"") ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell;
  }

  /** Plain decimals from 0.0001 to below a million, else the shortest mantissa and a power of ten. */
  public static String compact(double v) {
    return SpecTitles.compact(v);
  }
}
