package superconv.training.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An experiment manifest: a TOML file with a {@code [defaults]} table and {@code [[experiment]]} tables, each
 * optionally with an {@code [experiment.grid]} whose cartesian product gives one run per combination. The whole
 * manifest is parsed, expanded and validated on load; a manifest with any problem is refused with all of them,
 * before anything runs or is written.
 */
public final class Manifest {

  /**
   * The most runs a manifest may expand to. The thesis's tables are 63 runs; a grid of a hundred thousand is years
   * of training, and a grid of millions exhausts the memory that holds the expanded runs before anything is said.
   */
  public static final long MAX_RUNS = 100_000;

  /** Experiments a refused {@code --only} lists in full; a longer list is a wall of names, not help. */
  private static final int LISTED_EXPERIMENTS = 8;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private final String source;
  private final List<String> experiments;
  private final List<RunSpec> runs;

  private Manifest(String source, List<String> experiments, List<RunSpec> runs) {
    this.source = source;
    this.experiments = List.copyOf(experiments);
    this.runs = List.copyOf(runs);
  }

  /** Reads, expands and validates a manifest file. */
  public static Manifest load(Path file, ComponentRules rules) throws ManifestException {
    return parse(ManifestReader.text(file), file.toString(), rules);
  }

  /** Parses, expands and validates manifest text; {@code source} names it in messages. */
  public static Manifest parse(String text, String source, ComponentRules rules) throws ManifestException {
    return new Builder(source, rules).build(ManifestReader.tree(text, source));
  }

  public String source() {
    return source;
  }

  /** Experiment names in manifest order. */
  public List<String> experiments() {
    return experiments;
  }

  /** Every run of every experiment, in manifest and grid order. */
  public List<RunSpec> runs() {
    return runs;
  }

  /**
   * The runs matching any of the comma-separated glob patterns, each tried against the experiment name and
   * against {@code experiment/run} ({@code quickstart}, {@code t4.1-*}, {@code t4.1-sgd-25-cycle/max=3*}).
   * A pattern that matches nothing is an error suggesting the closest experiment names.
   */
  public List<RunSpec> select(String patterns) throws ManifestException {
    if (patterns == null || patterns.isBlank()) {
      return runs;
    }
    Set<RunSpec> chosen = new LinkedHashSet<>();
    List<String> problems = new ArrayList<>();
    for (String pattern : patterns.split(",")) {
      String glob = pattern.strip();
      if (glob.isEmpty()) {
        continue;
      }
      PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
      List<RunSpec> matched =
          runs.stream()
              .filter(r -> matcher.matches(Path.of(r.experiment())) || matcher.matches(Path.of(r.experiment(), r.run())))
              .toList();
      if (matched.isEmpty()) {
        problems.add(source + ": --only pattern \"" + glob + "\" matches no run; " + nearest(glob));
      }
      chosen.addAll(matched);
    }
    if (!problems.isEmpty()) {
      throw new ManifestException(problems);
    }
    return runs.stream().filter(chosen::contains).toList();
  }

  /** What a pattern that matched nothing may have meant: close names, else a short manifest's names. */
  private String nearest(String glob) {
    String experimentPart = glob.split("/", 2)[0];
    List<String> close = Suggestions.closest(experimentPart, experiments, 3);
    String list = "superconv list " + source + " lists them";
    if (!close.isEmpty()) {
      return "did you mean " + String.join(" or ", close) + "? (" + list + ")";
    }
    if (experiments.size() <= LISTED_EXPERIMENTS) {
      return "experiments: " + String.join(", ", experiments);
    }
    return "no experiment of the " + experiments.size() + " has a close name (" + list + ")";
  }

  /** One manifest's parse: collects every problem before deciding. */
  private static final class Builder {
    private final String source;
    private final List<String> problems = new ArrayList<>();
    private final RunResolver resolver;
    /** Whether the grids together are over {@link #MAX_RUNS}: then none is expanded. */
    private boolean tooManyRuns;

    Builder(String source, ComponentRules rules) {
      this.source = source;
      this.resolver = new RunResolver(rules, problems);
    }

    Manifest build(JsonNode root) throws ManifestException {
      Settings.unknownKeys(root, List.of("defaults", "experiment"), source + ": top level", problems);
      ObjectNode defaults = JsonNodeFactory.instance.objectNode();
      JsonNode defaultsNode = root.get("defaults");
      if (defaultsNode != null) {
        if (defaultsNode.isObject()) {
          defaults = (ObjectNode) defaultsNode;
          Settings.unknownKeys(defaults, Schema.BUILT_IN_DEFAULTS.keySet(), source + ": [defaults]", problems);
        } else {
          problems.add(source + ": defaults must be a table ([defaults])");
        }
      }
      JsonNode experimentsNode = root.get("experiment");
      List<String> names = new ArrayList<>();
      List<RunSpec> runs = new ArrayList<>();
      if (experimentsNode == null || (experimentsNode.isArray() && experimentsNode.isEmpty())) {
        problems.add(source + ": no experiments; add at least one [[experiment]] table with a name");
      } else if (!experimentsNode.isArray()) {
        problems.add(source + ": experiment must be an array of tables: write [[experiment]], not [experiment]");
      } else {
        tooManyRuns = tooManyRuns(experimentsNode);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < experimentsNode.size(); i++) {
          JsonNode experiment = experimentsNode.get(i);
          String where = source + ": [[experiment]] #" + (i + 1);
          if (!experiment.isObject()) {
            problems.add(where + " must be a table");
            continue;
          }
          // Every problem of an experiment is reported at once: a bad name or an unknown key does not stop the
          // checks of its other settings (an experiment with any problem yields no runs, the manifest is refused).
          int before = problems.size();
          JsonNode nameNode = experiment.get("name");
          String name;
          if (nameNode == null || !nameNode.isTextual()) {
            problems.add(where + ": name is missing; every experiment needs name = \"...\" (letters, digits, . _ -)");
            name = "experiment-" + (i + 1);
          } else {
            name = nameNode.asText();
            int bytes = name.getBytes(StandardCharsets.UTF_8).length;
            where = where + " \"" + (bytes > GridExpansion.MAX_NAME_BYTES ? name.substring(0, 40) + "..." : name)
                + "\"";
            if (!NAME.matcher(name).matches()) {
              problems.add(where + ": name may hold only letters, digits, '.', '_' and '-', starting with a letter or digit");
            } else if (bytes > GridExpansion.MAX_NAME_BYTES) {
              problems.add(where + ": the name is " + bytes + " bytes, longer than the " + GridExpansion.MAX_NAME_BYTES
                  + " bytes a file name may have (the experiment is a folder named after it)");
            } else if (!seen.add(name)) {
              problems.add(where + ": the name is used by an earlier experiment; experiment names must be unique");
            } else {
              names.add(name);
            }
          }
          List<String> allowed = new ArrayList<>(Schema.EXPERIMENT_ONLY_KEYS);
          allowed.addAll(Schema.BUILT_IN_DEFAULTS.keySet());
          Settings.unknownKeys(experiment, allowed, where, problems);
          List<RunSpec> expanded = expand((ObjectNode) experiment, defaults, name, where);
          if (problems.size() == before) {
            runs.addAll(expanded);
          }
        }
      }
      if (!problems.isEmpty()) {
        throw new ManifestException(problems);
      }
      return new Manifest(source, names, runs);
    }

    private List<RunSpec> expand(ObjectNode experiment, ObjectNode defaults, String name, String where) {
      ObjectNode merged = JsonNodeFactory.instance.objectNode();
      Schema.BUILT_IN_DEFAULTS.forEach((key, value) -> merged.set(key, TomlValues.node(value)));
      // An experiment that says how it trains (optimizer, schedule or phases) takes none of that from
      // [defaults]: a default schedule must not leak into an experiment that switched to AdaSecant.
      boolean ownsTraining = Schema.TRAINING_FORM_KEYS.stream().anyMatch(experiment::has);
      defaults.fields().forEachRemaining(e -> {
        if (!(ownsTraining && Schema.TRAINING_FORM_KEYS.contains(e.getKey()))) {
          merged.set(e.getKey(), e.getValue().deepCopy());
        }
      });
      experiment.fields().forEachRemaining(e -> {
        if (!Schema.EXPERIMENT_ONLY_KEYS.contains(e.getKey())) {
          merged.set(e.getKey(), e.getValue().deepCopy());
        }
      });
      String description = experiment.has("description") ? experiment.get("description").asText() : null;

      GridExpansion grid = new GridExpansion(problems, where);
      Map<String, List<JsonNode>> keys = grid.flatten(experiment.get("grid"));
      if (keys == null || tooManyRuns) {
        return List.of();
      }
      long size = GridExpansion.size(keys);
      if (size > MAX_RUNS) {
        String product = keys.values().stream().map(v -> Integer.toString(v.size())).collect(Collectors.joining(" x "));
        problems.add(where + ": the grid gives " + (size == Long.MAX_VALUE ? "more than 9e18" : Long.toString(size))
            + " runs (" + product + "), more than the " + MAX_RUNS + " runs a manifest may hold; split it or grid"
            + " over fewer values");
        return List.of();
      }
      List<RunSpec> runs = new ArrayList<>();
      grid.expand(merged, keys, name, combination -> {
        RunSpec spec = resolver.resolve(combination, name, description);
        if (spec != null) {
          runs.add(spec);
        }
      });
      return runs;
    }

    /**
     * Whether grids that are each within {@link #MAX_RUNS} are over it together: counted before any is expanded,
     * since expanding them is what runs out of memory. A grid over the bound on its own is its experiment's problem.
     */
    private boolean tooManyRuns(JsonNode experiments) {
      long total = 0;
      Map<String, Long> sizes = new LinkedHashMap<>();
      for (int i = 0; i < experiments.size(); i++) {
        JsonNode experiment = experiments.get(i);
        if (!experiment.isObject()) {
          continue;
        }
        // Problems with a grid's keys are reported when its experiment is checked.
        Map<String, List<JsonNode>> keys =
            new GridExpansion(new ArrayList<>(), "").flatten(experiment.get("grid"));
        long size = keys == null ? 0 : GridExpansion.size(keys);
        if (size <= MAX_RUNS) {
          total += size;
          sizes.put(experiment.path("name").asText("#" + (i + 1)), size);
        }
      }
      if (total <= MAX_RUNS) {
        return false;
      }
      problems.add(source + ": the experiments' grids give " + total + " runs together (" + sizes.entrySet().stream()
          .filter(e -> e.getValue() > 1).map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", "))
          + "), more than the " + MAX_RUNS + " runs a manifest may hold; split the manifest or grid over fewer values");
      return true;
    }
  }
}
