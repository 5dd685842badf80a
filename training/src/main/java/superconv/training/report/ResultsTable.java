package superconv.training.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
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
 */
public record ResultsTable(List<Row> rows) {

  public static final List<String> HEADER = List.of("Data Set", "Network", "Optimizer", "LR Scheme", "LR",
      "Batch Size", "Max Acc. (%)", "@epoch", "Protocol", "Epochs", "Status", "Run");

  /** One run's row; {@code best} marks the highest accuracy of its data set and network. */
  public record Row(String dataSet, String network, String optimizer, String scheme, String lr, int batchSize,
      double maxAccuracyPercent, int atEpoch, String protocol, int epochs, String status, String run,
      boolean best) {

    List<String> cells() {
      return List.of(dataSet, network, optimizer, scheme, lr, Integer.toString(batchSize),
          Double.isNaN(maxAccuracyPercent) ? "-" : String.format(Locale.ROOT, "%.2f", maxAccuracyPercent),
          Double.isNaN(maxAccuracyPercent) ? "-" : Integer.toString(atEpoch), protocol, Integer.toString(epochs),
          status, run);
    }
  }

  /** A run folder may come from a build that knew other data sets: an id that is none of ours is shown as is. */
  private static Optional<Dataset> dataset(String id) {
    return java.util.Arrays.stream(Dataset.values()).filter(d -> d.id().equals(id)).findFirst();
  }

  public static ResultsTable of(List<RunResult> results) {
    List<Row> rows = new ArrayList<>();
    // Grouped like the thesis's tables: by data set, then network; runs keep their order within a group.
    List<RunResult> ordered = new ArrayList<>(results);
    ordered.sort(java.util.Comparator
        .comparingInt((RunResult r) -> dataset(r.spec().path("dataset").asText()).map(Enum::ordinal)
            .orElse(Integer.MAX_VALUE))
        .thenComparing(r -> r.spec().path("network").asText()));
    for (RunResult result : ordered) {
      JsonNode spec = result.spec();
      String dataset = spec.path("dataset").asText();
      String network = spec.path("network").asText();
      int width = spec.path("width").asInt(64);
      String status = result.status().key();
      if (result.status() == RunStatus.DIVERGED && result.record().divergedAtStep() != null) {
        status = "diverged at step " + result.record().divergedAtStep();
      }
      rows.add(new Row(
          dataset(dataset).map(Dataset::title).orElse(dataset),
          networkTitle(network) + (width == 64 ? "" : " (width " + width + ")"),
          join(spec.path("phases"), ResultsTable::optimizerTitle),
          join(spec.path("phases"), ResultsTable::schemeTitle),
          join(spec.path("phases"), ResultsTable::rateTitle),
          spec.path("batch_size").asInt(),
          result.maxAccuracy() * 100,
          result.bestEpoch(),
          spec.path("data_protocol").asText(),
          result.metrics().size(),
          status,
          result.id(),
          false));
    }
    // Mark the best of each data set + network (first of equals), leaving the order of the runs as it was.
    Map<String, Integer> bestIndex = new HashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      // A run still training, or stopped before its last epoch, has not reached its accuracy: it is no result.
      if (Double.isNaN(row.maxAccuracyPercent()) || !ordered.get(i).status().isFinal()) {
        continue;
      }
      String group = row.dataSet() + "|" + row.network();
      Integer current = bestIndex.get(group);
      if (current == null || row.maxAccuracyPercent() > rows.get(current).maxAccuracyPercent()) {
        bestIndex.put(group, i);
      }
    }
    for (int i : bestIndex.values()) {
      Row r = rows.get(i);
      rows.set(i, new Row(r.dataSet(), r.network(), r.optimizer(), r.scheme(), r.lr(), r.batchSize(),
          r.maxAccuracyPercent(), r.atEpoch(), r.protocol(), r.epochs(), r.status(), r.run(), true));
    }
    return new ResultsTable(List.copyOf(rows));
  }

  /** Aligned plain text; the best rows carry a leading {@code *}. */
  public String text() {
    List<List<String>> cells = new ArrayList<>();
    cells.add(prefixed(" ", HEADER));
    rows.forEach(r -> cells.add(prefixed(r.best() ? "*" : " ", r.cells())));
    int[] widths = new int[HEADER.size() + 1];
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

  /** GitHub-flavoured Markdown; the best rows are bold, as in the thesis. */
  public String markdown() {
    StringBuilder text = new StringBuilder();
    text.append("| ").append(String.join(" | ", HEADER)).append(" |\n");
    text.append("|").append(" --- |".repeat(HEADER.size())).append('\n');
    for (Row row : rows) {
      List<String> cells = row.cells().stream()
          .map(c -> c.replace("|", "\\|"))
          .map(c -> row.best() ? "**" + c + "**" : c)
          .toList();
      text.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }
    return text.toString();
  }

  /** CSV with a header, the accuracy as a percentage and a {@code best} column (true/false). */
  public String csv() {
    StringBuilder text = new StringBuilder();
    List<String> header = new ArrayList<>(HEADER);
    header.add("Best");
    text.append(String.join(",", header.stream().map(ResultsTable::quote).toList())).append('\n');
    for (Row row : rows) {
      List<String> cells = new ArrayList<>(row.cells());
      cells.add(Boolean.toString(row.best()));
      text.append(String.join(",", cells.stream().map(ResultsTable::quote).toList())).append('\n');
    }
    return text.toString();
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

  private interface Title {
    String of(JsonNode phase);
  }

  private static String join(JsonNode phases, Title title) {
    List<String> parts = new ArrayList<>();
    phases.forEach(p -> parts.add(title.of(p)));
    return String.join(" → ", parts);
  }

  static String networkTitle(String network) {
    return switch (network) {
      case "resnet18" -> "ResNet18";
      case "resnet50" -> "ResNet50";
      default -> network;
    };
  }

  static String optimizerTitle(JsonNode phase) {
    JsonNode optimizer = phase.path("optimizer");
    String title = switch (optimizer.path("type").asText()) {
      case "sgd" -> "SGD";
      // The thesis calls Adam CLR-Adam throughout: "CLR-Adam with constant learning rate is normal Adam".
      case "adam" -> "CLR-Adam";
      case "cus-adam" -> "CUS-Adam";
      case "adasecant" -> "AdaSecant";
      case "simple-adasecant" -> "Simple AdaSecant";
      default -> optimizer.path("type").asText();
    };
    List<String> extras = new ArrayList<>();
    if (optimizer.path("momentum").asDouble(0) != 0) {
      extras.add((optimizer.path("nesterov").asBoolean(false) ? "Nesterov " : "momentum ")
          + number(optimizer.get("momentum")));
    }
    if (optimizer.path("weight_decay").asDouble(0) != 0) {
      extras.add("wd " + number(optimizer.get("weight_decay")));
    }
    return extras.isEmpty() ? title : title + " (" + String.join(", ", extras) + ")";
  }

  static String schemeTitle(JsonNode phase) {
    JsonNode schedule = phase.path("schedule");
    if (schedule.isMissingNode() || schedule.isNull()) {
      return "calculated";
    }
    return switch (schedule.path("type").asText()) {
      case "triangular" -> {
        String cycle = schedule.has("cycle_epochs")
            ? number(schedule.get("cycle_epochs")) + "-cycle"
            : "cycle of " + number(schedule.get("cycle_iterations")) + " it.";
        List<String> shape = new ArrayList<>();
        if (schedule.has("up_fraction") && schedule.get("up_fraction").asDouble() != 0.5) {
          shape.add("up " + number(schedule.get("up_fraction")));
        }
        if (schedule.has("peak_decay")) {
          shape.add("peaks ×" + number(schedule.get("peak_decay")));
        }
        yield shape.isEmpty() ? cycle : cycle + " (" + String.join(", ", shape) + ")";
      }
      case "exponential" -> "decay";
      default -> schedule.path("type").asText();
    };
  }

  static String rateTitle(JsonNode phase) {
    JsonNode schedule = phase.path("schedule");
    if (schedule.isMissingNode() || schedule.isNull()) {
      JsonNode optimizer = phase.path("optimizer");
      if (!optimizer.path("type").asText().equals("simple-adasecant")) {
        return "None";
      }
      JsonNode threshold = optimizer.get("threshold");
      return threshold == null || Double.isInfinite(value(threshold)) ? "< ∞" : number(threshold);
    }
    return switch (schedule.path("type").asText()) {
      case "constant" -> number(schedule.get("lr"));
      case "exponential" -> number(schedule.get("start"));
      default -> "[" + number(schedule.get("min")) + ", " + number(schedule.get("max")) + "]";
    };
  }

  private static double value(JsonNode node) {
    if (node.isTextual()) {
      return switch (node.asText()) {
        case "Infinity" -> Double.POSITIVE_INFINITY;
        case "-Infinity" -> Double.NEGATIVE_INFINITY;
        default -> Double.NaN;
      };
    }
    return node.asDouble();
  }

  /** 1.0 as 1, 0.0001 as 0.0001 (what the thesis's tables print); 1e30 as 1e30, 2.5e-7 as 2.5e-7. */
  static String number(JsonNode node) {
    if (node == null || node.isNull()) {
      return "?";
    }
    double v = value(node);
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return node.asText();
    }
    return compact(v);
  }

  /** Plain decimals from 0.0001 to below a million, else the shortest mantissa and a power of ten. */
  public static String compact(double v) {
    BigDecimal exact = new BigDecimal(Double.toString(v)).stripTrailingZeros();
    double magnitude = Math.abs(v);
    if (v == 0 || (magnitude >= 1e-4 && magnitude < 1e6)) {
      return exact.toPlainString();
    }
    String digits = exact.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - exact.scale();
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    return (v < 0 ? "-" : "") + mantissa + "e" + exponent;
  }
}
