package superconv.training.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * An experiment's {@code [experiment.grid]}: its keys flattened to dotted paths, the cartesian product of their
 * values (first key outermost, values in the order written), each combination set into a copy of the
 * experiment's settings and named after the values it chose. Problems are added to the manifest's list.
 */
final class GridExpansion {

  /** The longest file name most file systems allow, in bytes; a run's name is its folder's. */
  static final int MAX_NAME_BYTES = 255;

  private static final Pattern UNSAFE_NAME_CHARS = Pattern.compile("[^A-Za-z0-9._=,+-]");

  /** One run of the grid: its name, where messages place it, its settings and the grid values it chose. */
  record Combination(String run, String where, ObjectNode tree, Map<String, Object> chosen) {}

  private final List<String> problems;
  private final String where;

  GridExpansion(List<String> problems, String where) {
    this.problems = problems;
    this.where = where;
  }

  /**
   * The grid's keys (quoted {@code "schedule.max"} or nested tables alike) with their values; an empty map for
   * no grid, null after reporting a problem.
   */
  Map<String, List<JsonNode>> flatten(JsonNode gridNode) {
    Map<String, List<JsonNode>> grid = new LinkedHashMap<>();
    if (gridNode == null) {
      return grid;
    }
    if (!gridNode.isObject()) {
      problems.add(where + ": grid must be a table ([experiment.grid]) of key = [values]");
      return null;
    }
    int before = problems.size();
    flatten("", gridNode, grid);
    return problems.size() == before ? grid : null;
  }

  private void flatten(String prefix, JsonNode table, Map<String, List<JsonNode>> grid) {
    Set<String> settings = Schema.BUILT_IN_DEFAULTS.keySet();
    table.fields().forEachRemaining(e -> {
      String key = prefix + e.getKey();
      JsonNode value = e.getValue();
      String head = key.split("\\.", 2)[0];
      if (!settings.contains(head)) {
        problems.add(where + ": grid key \"" + key + "\" does not start with a setting"
            + Suggestions.didYouMean(head, settings) + "; valid settings: " + String.join(", ", settings));
      } else if (value.isObject()) {
        flatten(key + ".", value, grid);
      } else if (!value.isArray() || value.isEmpty()) {
        problems.add(where + ": grid key \"" + key + "\" needs a non-empty array of values, e.g. [1, 2]");
      } else {
        List<JsonNode> values = new ArrayList<>();
        value.forEach(values::add);
        grid.put(key, values);
      }
    });
  }

  /** How many runs the grid gives, without expanding it; {@link Long#MAX_VALUE} when that overflows. */
  static long size(Map<String, List<JsonNode>> grid) {
    long size = 1;
    for (List<JsonNode> values : grid.values()) {
      if (size > Long.MAX_VALUE / values.size()) {
        return Long.MAX_VALUE;
      }
      size *= values.size();
    }
    return size;
  }

  /**
   * Every combination of the grid laid over {@code settings}; an experiment without a grid is one run named after
   * it. None after reporting a problem that spoils the whole grid; a combination with a problem of its own is left
   * out. Each run is handed to {@code each} as it is made, so that its problems follow those found before it.
   */
  void expand(ObjectNode settings, Map<String, List<JsonNode>> grid, String experiment, Consumer<Combination> each) {
    if (grid.isEmpty()) {
      each.accept(new Combination(experiment, where, settings.deepCopy(), Map.of()));
      return;
    }
    Map<String, String> labels = labels(grid.keySet());
    Set<String> names = new HashSet<>();
    List<String> tooLong = new ArrayList<>();
    for (Map<String, JsonNode> combination : cartesian(grid)) {
      ObjectNode tree = settings.deepCopy();
      StringBuilder name = new StringBuilder();
      Map<String, Object> chosen = new LinkedHashMap<>();
      boolean applied = true;
      for (var entry : combination.entrySet()) {
        applied &= set(tree, entry.getKey(), entry.getValue());
        if (name.length() > 0) {
          name.append(',');
        }
        if (!entry.getValue().isObject()) {
          name.append(labels.get(entry.getKey())).append('=');
        }
        name.append(format(entry.getValue()));
        chosen.put(entry.getKey(), TomlValues.javaValue(entry.getValue()));
      }
      if (!applied) {
        return;
      }
      String run = UNSAFE_NAME_CHARS.matcher(name).replaceAll("_");
      String runWhere = where + ", run \"" + run + "\"";
      if (run.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
        tooLong.add(run);
      } else if (!names.add(run)) {
        problems.add(runWhere + ": two grid combinations give the same run name; make the grid values distinct");
      } else {
        each.accept(new Combination(run, runWhere, tree, chosen));
      }
    }
    if (!tooLong.isEmpty()) {
      String longest = tooLong.stream().reduce((a, b) -> b.length() > a.length() ? b : a).orElseThrow();
      problems.add(where + ": " + (tooLong.size() == 1 ? "a run name is" : tooLong.size() + " run names are")
          + " longer than the " + MAX_NAME_BYTES + " bytes a file name may have (each run is a folder named after"
          + " its grid values); the longest, " + longest.length() + " bytes: \"" + longest.substring(0, 60)
          + "...\"; grid over shorter values");
    }
  }

  /** Sets a dotted path ({@code schedule.max}, {@code phases.1.optimizer.threshold}) in the run's tree. */
  private boolean set(ObjectNode tree, String path, JsonNode value) {
    String[] parts = path.split("\\.");
    JsonNode container = tree;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode next = container.isArray() && parts[i].matches("\\d+")
          ? container.get(Integer.parseInt(parts[i]))
          : container.isObject() ? container.get(parts[i]) : null;
      if (next == null || !(next.isObject() || next.isArray())) {
        problems.add(where + ": grid key \"" + path + "\": the experiment has no table \""
            + String.join(".", Arrays.copyOfRange(parts, 0, i + 1)) + "\" to set it in"
            + (container.isArray() ? " (phase indices count from 0)" : ""));
        return false;
      }
      container = next;
    }
    String last = parts[parts.length - 1];
    if (container.isObject()) {
      ((ObjectNode) container).set(last, value.deepCopy());
    } else if (last.matches("\\d+") && Integer.parseInt(last) < container.size()) {
      ((ArrayNode) container).set(Integer.parseInt(last), value.deepCopy());
    } else {
      problems.add(where + ": grid key \"" + path + "\" points outside " + parts[parts.length - 2]);
      return false;
    }
    return true;
  }

  /** A grid value as it reads in a run name: 1.0 as 1, 0.0001 as 0.0001, 1e-5 as 0.00001. */
  static String format(JsonNode value) {
    Object plain = TomlValues.javaValue(value);
    if (plain instanceof Double d) {
      if (d.isInfinite()) {
        return d > 0 ? "inf" : "-inf";
      }
      if (d.isNaN()) {
        return "nan";
      }
      return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }
    if (value.isObject()) {
      // A whole table reads as its type and values: triangular_min0.001_max1_cycle_epochs25.
      StringBuilder text = new StringBuilder();
      value.fields().forEachRemaining(e -> {
        if (text.length() > 0) {
          text.append('_');
        }
        if (!e.getKey().equals("type")) {
          text.append(e.getKey());
        }
        text.append(format(e.getValue()));
      });
      return text.toString();
    }
    return plain == null ? "null" : plain.toString();
  }

  /** The last segment of each grid key, or the whole key where two last segments would clash. */
  private static Map<String, String> labels(Collection<String> keys) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String key : keys) {
      counts.merge(last(key), 1, Integer::sum);
    }
    Map<String, String> labels = new LinkedHashMap<>();
    for (String key : keys) {
      labels.put(key, counts.get(last(key)) > 1 ? key : last(key));
    }
    return labels;
  }

  private static String last(String key) {
    return key.substring(key.lastIndexOf('.') + 1);
  }

  /** The cartesian product, first key outermost, values in the order written. */
  private static List<Map<String, JsonNode>> cartesian(Map<String, List<JsonNode>> grid) {
    List<Map<String, JsonNode>> combinations = new ArrayList<>();
    combinations.add(new LinkedHashMap<>());
    for (var entry : grid.entrySet()) {
      List<Map<String, JsonNode>> next = new ArrayList<>();
      for (Map<String, JsonNode> partial : combinations) {
        for (JsonNode value : entry.getValue()) {
          Map<String, JsonNode> extended = new LinkedHashMap<>(partial);
          extended.put(entry.getKey(), value);
          next.add(extended);
        }
      }
      combinations = next;
    }
    return combinations;
  }
}
