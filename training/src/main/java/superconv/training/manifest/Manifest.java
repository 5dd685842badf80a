package superconv.training.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.toml.TomlStreamReadException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An experiment manifest: a TOML file with a {@code [defaults]} table and {@code [[experiment]]} tables, each
 * optionally with an {@code [experiment.grid]} whose cartesian product gives one run per combination. The whole
 * manifest is parsed, expanded and validated on load; a manifest with any problem is refused with all of them,
 * before anything runs or is written.
 */
public final class Manifest {

  /** Keys both {@code [defaults]} and an experiment may set, with their built-in values. */
  public static final Map<String, Object> BUILT_IN_DEFAULTS = builtInDefaults();

  /** Keys only an experiment has. */
  public static final List<String> EXPERIMENT_ONLY_KEYS = List.of("name", "description", "grid");

  public static final List<String> NETWORKS = List.of("resnet18", "resnet50");
  public static final List<String> DATA_PROTOCOLS = List.of("thesis", "standard");
  public static final List<String> PRECISIONS = List.of("float32", "bfloat16", "float16");
  /** resident: the data sets live in graph variables (one upload); host: every batch is fed from Java. */
  public static final List<String> INPUT_MODES = List.of("resident", "host");
  public static final List<String> PHASE_KEYS = List.of("epochs", "optimizer", "schedule");

  private static final List<String> TRAINING_FORM_KEYS = List.of("optimizer", "schedule", "phases");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern DEVICE = Pattern.compile("auto|cpu|gpu|gpu:\\d+");
  private static final Pattern UNSAFE_NAME_CHARS = Pattern.compile("[^A-Za-z0-9._=,+-]");

  private final String source;
  private final List<String> experiments;
  private final List<RunSpec> runs;

  private Manifest(String source, List<String> experiments, List<RunSpec> runs) {
    this.source = source;
    this.experiments = List.copyOf(experiments);
    this.runs = List.copyOf(runs);
  }

  private static Map<String, Object> builtInDefaults() {
    Map<String, Object> defaults = new LinkedHashMap<>();
    defaults.put("dataset", "cifar10");
    defaults.put("network", "resnet18");
    defaults.put("width", 64);
    defaults.put("batch_size", 128);
    defaults.put("epochs", 100);
    defaults.put("seed", 1);
    defaults.put("data_protocol", "thesis");
    defaults.put("device", "auto");
    defaults.put("precision", "float32");
    defaults.put("xla", false);
    defaults.put("train_limit", 0);
    defaults.put("test_limit", 0);
    defaults.put("loss_every", 10);
    defaults.put("label_smoothing", 0.0);
    defaults.put("input", "resident");
    defaults.put("optimizer", null);
    defaults.put("schedule", null);
    defaults.put("phases", null);
    return java.util.Collections.unmodifiableMap(defaults);
  }

  /** Reads, expands and validates a manifest file. */
  public static Manifest load(Path file, ComponentRules rules) throws ManifestException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ManifestException(file + ": cannot read the manifest: " + e.getMessage());
    }
    return parse(text, file.toString(), rules);
  }

  /** Parses, expands and validates manifest text; {@code source} names it in messages. */
  public static Manifest parse(String text, String source, ComponentRules rules) throws ManifestException {
    JsonNode root;
    try {
      root = new TomlMapper().readTree(text);
    } catch (TomlStreamReadException e) {
      throw new ManifestException(syntaxError(source, text, e));
    } catch (IOException e) {
      throw new ManifestException(source + ": cannot parse the manifest: " + e.getMessage());
    }
    return new Builder(source, rules).build(root == null ? JsonNodeFactory.instance.objectNode() : root);
  }

  /**
   * The parser reports the position after the offending token, which for a token that ends a line is column 1 of
   * the next one: then both lines are named, and shown.
   */
  private static String syntaxError(String source, String text, TomlStreamReadException e) {
    var where = e.getLocation();
    if (where == null || where.getLineNr() < 1) {
      return source + ": TOML syntax error: " + e.getOriginalMessage();
    }
    int last = where.getLineNr();
    int first = where.getColumnNr() <= 1 && last > 1 ? last - 1 : last;
    String[] lines = text.split("\\R", -1);
    StringBuilder message = new StringBuilder(source).append(':').append(first);
    if (first != last) {
      message.append('-').append(last);
    }
    message.append(": TOML syntax error: ").append(e.getOriginalMessage());
    for (int n = first; n <= last && n <= lines.length; n++) {
      message.append(String.format("%n    %4d | %s", n, lines[n - 1]));
    }
    return message.toString();
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
   * A pattern that matches nothing is an error listing the experiments.
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
        problems.add(
            source + ": --only pattern \"" + glob + "\" matches no run; experiments: " + String.join(", ", experiments));
      }
      chosen.addAll(matched);
    }
    if (!problems.isEmpty()) {
      throw new ManifestException(problems);
    }
    return runs.stream().filter(chosen::contains).toList();
  }

  /** One manifest's parse: collects every problem before deciding. */
  private static final class Builder {
    private final String source;
    private final ComponentRules rules;
    private final List<String> problems = new ArrayList<>();

    Builder(String source, ComponentRules rules) {
      this.source = source;
      this.rules = rules;
    }

    Manifest build(JsonNode root) throws ManifestException {
      unknownKeys(root, List.of("defaults", "experiment"), source + ": top level");
      ObjectNode defaults = JsonNodeFactory.instance.objectNode();
      JsonNode defaultsNode = root.get("defaults");
      if (defaultsNode != null) {
        if (defaultsNode.isObject()) {
          defaults = (ObjectNode) defaultsNode;
          unknownKeys(defaults, BUILT_IN_DEFAULTS.keySet(), source + ": [defaults]");
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
            where = where + " \"" + name + "\"";
            if (!NAME.matcher(name).matches()) {
              problems.add(where + ": name may hold only letters, digits, '.', '_' and '-', starting with a letter or digit");
            } else if (!seen.add(name)) {
              problems.add(where + ": the name is used by an earlier experiment; experiment names must be unique");
            } else {
              names.add(name);
            }
          }
          List<String> allowed = new ArrayList<>(EXPERIMENT_ONLY_KEYS);
          allowed.addAll(BUILT_IN_DEFAULTS.keySet());
          unknownKeys(experiment, allowed, where);
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

    /** Reports keys outside {@code allowed}; true when there were any. */
    private boolean unknownKeys(JsonNode table, Collection<String> allowed, String where) {
      boolean any = false;
      var fields = table.fieldNames();
      while (fields.hasNext()) {
        String key = fields.next();
        if (!allowed.contains(key)) {
          problems.add(where + ": unknown key \"" + key + "\"" + suggestion(key, allowed) + "; valid keys: "
              + String.join(", ", allowed));
          any = true;
        }
      }
      return any;
    }

    private List<RunSpec> expand(ObjectNode experiment, ObjectNode defaults, String name, String where) {
      ObjectNode merged = JsonNodeFactory.instance.objectNode();
      for (String key : BUILT_IN_DEFAULTS.keySet()) {
        merged.set(key, plain(BUILT_IN_DEFAULTS.get(key)));
      }
      // An experiment that says how it trains (optimizer, schedule or phases) takes none of that from
      // [defaults]: a default schedule must not leak into an experiment that switched to AdaSecant.
      boolean ownsTraining = TRAINING_FORM_KEYS.stream().anyMatch(experiment::has);
      defaults.fields().forEachRemaining(e -> {
        if (!(ownsTraining && TRAINING_FORM_KEYS.contains(e.getKey()))) {
          merged.set(e.getKey(), e.getValue().deepCopy());
        }
      });
      experiment.fields().forEachRemaining(e -> {
        if (!EXPERIMENT_ONLY_KEYS.contains(e.getKey())) {
          merged.set(e.getKey(), e.getValue().deepCopy());
        }
      });
      String description = experiment.has("description") ? experiment.get("description").asText() : null;

      Map<String, List<JsonNode>> grid = new LinkedHashMap<>();
      JsonNode gridNode = experiment.get("grid");
      if (gridNode != null) {
        if (!gridNode.isObject()) {
          problems.add(where + ": grid must be a table ([experiment.grid]) of key = [values]");
          return List.of();
        }
        flattenGrid("", gridNode, grid, where);
      }
      if (problems.stream().anyMatch(p -> p.startsWith(where + ": grid"))) {
        return List.of();
      }

      List<RunSpec> runs = new ArrayList<>();
      Map<String, String> labels = gridLabels(grid.keySet());
      Set<String> runNames = new HashSet<>();
      for (Map<String, JsonNode> combination : cartesian(grid)) {
        ObjectNode tree = merged.deepCopy();
        StringBuilder runName = new StringBuilder();
        Map<String, Object> chosen = new LinkedHashMap<>();
        boolean applied = true;
        for (var entry : combination.entrySet()) {
          applied &= set(tree, entry.getKey(), entry.getValue(), where);
          if (runName.length() > 0) {
            runName.append(',');
          }
          if (!entry.getValue().isObject()) {
            runName.append(labels.get(entry.getKey())).append('=');
          }
          runName.append(format(entry.getValue()));
          chosen.put(entry.getKey(), javaValue(entry.getValue()));
        }
        if (!applied) {
          return List.of();
        }
        String run = grid.isEmpty() ? name : UNSAFE_NAME_CHARS.matcher(runName).replaceAll("_");
        String runWhere = grid.isEmpty() ? where : where + ", run \"" + run + "\"";
        if (!runNames.add(run)) {
          problems.add(runWhere + ": two grid combinations give the same run name; make the grid values distinct");
          continue;
        }
        RunSpec spec = resolve(tree, name, run, description, chosen, runWhere);
        if (spec != null) {
          runs.add(spec);
        }
      }
      return runs;
    }

    /** Grid keys may be written quoted ("schedule.max") or as nested tables (schedule.max unquoted). */
    private void flattenGrid(String prefix, JsonNode table, Map<String, List<JsonNode>> grid, String where) {
      table.fields().forEachRemaining(e -> {
        String key = prefix + e.getKey();
        JsonNode value = e.getValue();
        String head = key.split("\\.", 2)[0];
        if (!BUILT_IN_DEFAULTS.containsKey(head)) {
          problems.add(where + ": grid key \"" + key + "\" does not start with a setting" + suggestion(head,
              BUILT_IN_DEFAULTS.keySet()) + "; valid settings: " + String.join(", ", BUILT_IN_DEFAULTS.keySet()));
        } else if (value.isObject()) {
          flattenGrid(key + ".", value, grid, where);
        } else if (!value.isArray() || value.isEmpty()) {
          problems.add(where + ": grid key \"" + key + "\" needs a non-empty array of values, e.g. [1, 2]");
        } else {
          List<JsonNode> values = new ArrayList<>();
          value.forEach(values::add);
          grid.put(key, values);
        }
      });
    }

    /** Sets a dotted path ({@code schedule.max}, {@code phases.1.optimizer.threshold}) in the run's tree. */
    private boolean set(ObjectNode tree, String path, JsonNode value, String where) {
      String[] parts = path.split("\\.");
      JsonNode container = tree;
      for (int i = 0; i < parts.length - 1; i++) {
        JsonNode next = container.isArray() && parts[i].matches("\\d+")
            ? container.get(Integer.parseInt(parts[i]))
            : container.isObject() ? container.get(parts[i]) : null;
        if (next == null || !(next.isObject() || next.isArray())) {
          problems.add(where + ": grid key \"" + path + "\": the experiment has no table \""
              + String.join(".", java.util.Arrays.copyOfRange(parts, 0, i + 1)) + "\" to set it in"
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

    private RunSpec resolve(
        ObjectNode tree, String experiment, String run, String description, Map<String, Object> grid, String where) {
      int before = problems.size();
      String dataset = choice(tree, "dataset", DataSetInfo.keys(), where);
      String network = choice(tree, "network", NETWORKS, where);
      int width = integer(tree, "width", 1, Integer.MAX_VALUE, where);
      // Batch norm needs at least two images per batch for a variance.
      int lengthProblems = problems.size();
      int batchSize = integer(tree, "batch_size", 2, Integer.MAX_VALUE, where);
      int epochs = integer(tree, "epochs", 1, Integer.MAX_VALUE, where);
      boolean lengthsValid = problems.size() == lengthProblems;
      long seed = longInteger(tree, "seed", where);
      String protocol = choice(tree, "data_protocol", DATA_PROTOCOLS, where);
      String device = text(tree, "device", where);
      if (device != null && !DEVICE.matcher(device).matches()) {
        problems.add(where + ": device \"" + device + "\" is not one of auto, cpu, gpu, gpu:N (N = 0, 1, ...)");
      }
      String precision = choice(tree, "precision", PRECISIONS, where);
      boolean xla = bool(tree, "xla", where);
      lengthProblems = problems.size();
      int trainLimit = integer(tree, "train_limit", 0, Integer.MAX_VALUE, where);
      int testLimit = integer(tree, "test_limit", 0, Integer.MAX_VALUE, where);
      lengthsValid &= problems.size() == lengthProblems;
      int lossEvery = integer(tree, "loss_every", 1, Integer.MAX_VALUE, where);
      double labelSmoothing = number(tree, "label_smoothing", where);
      if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
        problems.add(where + ": label_smoothing " + labelSmoothing + " must be in [0, 1)");
      }
      String input = choice(tree, "input", INPUT_MODES, where);
      int iterationsPerEpoch = 0;
      DataSetInfo info = dataset == null ? null : DataSetInfo.byKey(dataset).orElse(null);
      // The run's length (so the schedules' checks) is known when the settings it comes from are valid.
      if (info != null && lengthsValid) {
        if (trainLimit > info.trainSize()) {
          problems.add(where + ": train_limit " + trainLimit + " exceeds the " + info.trainSize() + " training images of "
              + dataset + " (0 means all)");
        }
        if (testLimit > info.testSize()) {
          problems.add(where + ": test_limit " + testLimit + " exceeds the " + info.testSize() + " test images of "
              + dataset + " (0 means all)");
        }
        int trainImages = trainLimit == 0 ? info.trainSize() : Math.min(trainLimit, info.trainSize());
        if (batchSize > trainImages) {
          problems.add(where + ": batch_size " + batchSize + " is larger than the training set (" + trainImages
              + " images" + (trainLimit == 0 ? "" : " with train_limit = " + trainLimit) + ")");
        } else {
          iterationsPerEpoch = trainImages / batchSize;
        }
      }
      List<Phase> phases = phases(tree, epochs, iterationsPerEpoch, where);
      if (problems.size() > before) {
        return null;
      }
      return new RunSpec(experiment, run, description, dataset, network, width, batchSize, epochs, seed, protocol,
          device, precision, xla, trainLimit, testLimit, lossEvery, labelSmoothing, input, phases, grid);
    }

    private List<Phase> phases(ObjectNode tree, int epochs, int iterationsPerEpoch, String where) {
      if (!switchingToPhases(tree, where)) {
        return List.of();
      }
      JsonNode phasesNode = tree.get("phases");
      boolean hasPhases = phasesNode != null && !phasesNode.isNull();
      boolean hasSingle = isSet(tree, "optimizer") || isSet(tree, "schedule");
      if (hasPhases && hasSingle) {
        problems.add(where + ": give either optimizer + schedule or phases, not both");
        return List.of();
      }
      if (!hasPhases) {
        Phase phase = phase(tree, 0, epochs, epochs, iterationsPerEpoch, where);
        return phase == null ? List.of() : List.of(phase);
      }
      if (!phasesNode.isArray() || phasesNode.isEmpty()) {
        problems.add(where + ": phases must be a non-empty array of tables { epochs, optimizer, schedule }");
        return List.of();
      }
      List<Phase> phases = new ArrayList<>();
      boolean anyBad = false;
      int from = 0;
      for (int i = 0; i < phasesNode.size(); i++) {
        JsonNode node = phasesNode.get(i);
        String phaseWhere = where + ": phases[" + i + "]";
        if (!node.isObject()) {
          problems.add(phaseWhere + " must be a table { epochs, optimizer, schedule }");
          return List.of();
        }
        boolean bad = unknownKeys(node, PHASE_KEYS, phaseWhere);
        boolean last = i == phasesNode.size() - 1;
        int length;
        if (node.has("epochs")) {
          length = integer((ObjectNode) node, "epochs", 1, Integer.MAX_VALUE, phaseWhere);
          if (last && from + length != epochs) {
            problems.add(phaseWhere + ": the last phase must end with the run: its epochs would be " + (epochs - from)
                + ", not " + length + " (or leave epochs out)");
            return List.of();
          }
        } else if (last) {
          length = epochs - from;
        } else {
          problems.add(phaseWhere + ": epochs is missing; every phase but the last says how many epochs it trains");
          return List.of();
        }
        if (length < 1 || from + length > epochs) {
          problems.add(phaseWhere + ": the phases take more than the run's " + epochs + " epochs");
          return List.of();
        }
        Phase phase = phase((ObjectNode) node, from, length, epochs, iterationsPerEpoch, phaseWhere);
        // A bad phase does not stop the checks of the phases after it; the run is refused at the end.
        if (phase == null || bad) {
          anyBad = true;
        } else {
          phases.add(phase);
        }
        from += length;
      }
      return anyBad ? List.of() : phases;
    }

    /**
     * {@code optimizer = { type = "switching", phases = [...] }} (the optimizers module's spelling) means exactly
     * {@code phases = [...]}: it is rewritten to that one representation here. False after reporting a problem.
     */
    private boolean switchingToPhases(ObjectNode tree, String where) {
      JsonNode optimizer = tree.get("optimizer");
      if (optimizer == null || !optimizer.isObject() || !"switching".equals(optimizer.path("type").asText())) {
        return true;
      }
      String switchWhere = where + ": optimizer switching";
      if (unknownKeys(optimizer, List.of("type", "phases"), switchWhere)) {
        return false;
      }
      if (isSet(tree, "phases")) {
        problems.add(switchWhere + ": give either phases = [...] or optimizer = { type = \"switching\", phases = [...] },"
            + " not both");
        return false;
      }
      if (isSet(tree, "schedule")) {
        problems.add(switchWhere + " takes no schedule: each phase carries its own; remove the schedule");
        return false;
      }
      if (!isSet(optimizer, "phases")) {
        problems.add(switchWhere + ": phases is missing; e.g. optimizer = { type = \"switching\", phases = ["
            + "{ epochs = 10, optimizer = { type = \"sgd\" }, schedule = { type = \"constant\", lr = 0.1 } },"
            + " { optimizer = { type = \"adasecant\" } }] }");
        return false;
      }
      tree.set("phases", optimizer.get("phases"));
      tree.putNull("optimizer");
      return true;
    }

    private Phase phase(ObjectNode table, int from, int length, int runEpochs, int iterationsPerEpoch, String where) {
      Component optimizer = component(table, "optimizer", rules.optimizerTypes(), where);
      if (optimizer == null) {
        // The schedule is still checked, on its own, so that one refusal lists its problems too.
        Component schedule = isSet(table, "schedule") ? component(table, "schedule", rules.scheduleTypes(), where) : null;
        if (schedule != null && iterationsPerEpoch > 0) {
          rules.checkSchedule(schedule, null, iterationsPerEpoch, length)
              .forEach(p -> problems.add(where + ": schedule " + schedule.type() + ": " + p));
        }
        return null;
      }
      List<String> optimizerProblems = rules.checkOptimizer(optimizer);
      optimizerProblems.forEach(p -> problems.add(where + ": optimizer " + optimizer.type() + ": " + p));
      boolean calculates = rules.calculatesRates(optimizer.type());
      Component schedule = null;
      if (calculates) {
        if (isSet(table, "schedule")) {
          problems.add(where + ": optimizer " + optimizer.type()
              + " calculates its own rates and takes no schedule; remove the schedule");
          return null;
        }
      } else {
        schedule = component(table, "schedule", rules.scheduleTypes(), where);
        if (schedule == null) {
          return null;
        }
        if (iterationsPerEpoch > 0) {
          Component checked = schedule;
          // A phase's schedule is laid over the phase (it starts at the phase's first iteration); with bad
          // optimizer settings it is still checked, against that optimizer type's defaults.
          Component against = optimizerProblems.isEmpty() ? optimizer : new Component(optimizer.type(), Map.of());
          rules.checkSchedule(schedule, against, iterationsPerEpoch, length)
              .forEach(p -> problems.add(where + ": schedule " + checked.type() + ": " + p));
        }
      }
      return optimizerProblems.isEmpty() ? new Phase(from, length, optimizer, schedule) : null;
    }

    private Component component(ObjectNode table, String key, Set<String> types, String where) {
      JsonNode node = table.get(key);
      String example = key.equals("optimizer") ? "{ type = \"sgd\" }" : "{ type = \"constant\", lr = 0.01 }";
      if (node == null || node.isNull()) {
        problems.add(where + ": " + key + " is missing; e.g. " + key + " = " + example + "; types: "
            + String.join(", ", types));
        return null;
      }
      if (!node.isObject() || !node.has("type") || !node.get("type").isTextual()) {
        problems.add(where + ": " + key + " must be a table with a type, e.g. " + key + " = " + example);
        return null;
      }
      String type = node.get("type").asText();
      if (!types.contains(type)) {
        problems.add(where + ": unknown " + key + " \"" + type + "\"" + suggestion(type, types) + "; valid: "
            + String.join(", ", types));
        return null;
      }
      Map<String, Object> params = new LinkedHashMap<>();
      node.fields().forEachRemaining(e -> {
        if (!e.getKey().equals("type")) {
          params.put(e.getKey(), javaValue(e.getValue()));
        }
      });
      return new Component(type, params);
    }

    private boolean isSet(JsonNode table, String key) {
      return table.has(key) && !table.get(key).isNull();
    }

    private String choice(ObjectNode tree, String key, List<String> choices, String where) {
      String value = text(tree, key, where);
      if (value != null && !choices.contains(value)) {
        problems.add(where + ": unknown " + key + " \"" + value + "\"" + suggestion(value, choices) + "; valid: "
            + String.join(", ", choices));
        return null;
      }
      return value;
    }

    private boolean bool(ObjectNode tree, String key, String where) {
      JsonNode node = tree.get(key);
      if (node == null || !node.isBoolean()) {
        problems.add(where + ": " + key + " must be true or false, got " + describe(node));
        return false;
      }
      return node.asBoolean();
    }

    private String text(ObjectNode tree, String key, String where) {
      JsonNode node = tree.get(key);
      if (node == null || !node.isTextual()) {
        problems.add(where + ": " + key + " must be a string, got " + describe(node));
        return null;
      }
      return node.asText();
    }

    private int integer(ObjectNode tree, String key, int min, int max, String where) {
      JsonNode node = tree.get(key);
      if (node == null || !node.isIntegralNumber() || !node.canConvertToInt()) {
        problems.add(where + ": " + key + " must be an integer, got " + describe(node));
        return min;
      }
      int value = node.intValue();
      if (value < min || value > max) {
        problems.add(where + ": " + key + " is " + value + " but must be at least " + min
            + (key.equals("epochs") ? " (a run trains at least one epoch)" : ""));
        return min;
      }
      return value;
    }

    private long longInteger(ObjectNode tree, String key, String where) {
      JsonNode node = tree.get(key);
      if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
        problems.add(where + ": " + key + " must be an integer, got " + describe(node));
        return 0;
      }
      return node.longValue();
    }

    private double number(ObjectNode tree, String key, String where) {
      JsonNode node = tree.get(key);
      Object value = node == null ? null : javaValue(node);
      if (!(value instanceof Number n)) {
        problems.add(where + ": " + key + " must be a number, got " + describe(node));
        return 0;
      }
      return n.doubleValue();
    }
  }

  private static JsonNode plain(Object value) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (value == null) {
      return f.nullNode();
    } else if (value instanceof Integer i) {
      return f.numberNode(i);
    } else if (value instanceof Double d) {
      return f.numberNode(d);
    } else if (value instanceof Boolean b) {
      return f.booleanNode(b);
    }
    return f.textNode(value.toString());
  }

  private static String describe(JsonNode node) {
    if (node == null || node.isNull()) {
      return "nothing";
    }
    return (node.isTextual() ? "\"" + node.asText() + "\"" : node.toString());
  }

  /**
   * A TOML value as a plain Java value: Long for integers, Double for floats (TOML's inf and nan included, which
   * Jackson's TOML reader hands over as the strings "Infinity", "-Infinity" and "NaN"), Boolean, String, and
   * List/Map for arrays and tables.
   */
  static Object javaValue(JsonNode node) {
    if (node.isIntegralNumber()) {
      return node.longValue();
    } else if (node.isNumber()) {
      return node.doubleValue();
    } else if (node.isBoolean()) {
      return node.booleanValue();
    } else if (node.isTextual()) {
      return switch (node.asText()) {
        case "Infinity" -> Double.POSITIVE_INFINITY;
        case "-Infinity" -> Double.NEGATIVE_INFINITY;
        case "NaN" -> Double.NaN;
        default -> node.asText();
      };
    } else if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(item -> list.add(javaValue(item)));
      return List.copyOf(list);
    } else if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.fields().forEachRemaining(e -> map.put(e.getKey(), javaValue(e.getValue())));
      return java.util.Collections.unmodifiableMap(map);
    }
    return null;
  }

  /** A grid value as it reads in a run name: 1.0 as 1, 0.0001 as 0.0001, 1e-5 as 0.00001. */
  static String format(JsonNode value) {
    Object plain = javaValue(value);
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
  private static Map<String, String> gridLabels(Collection<String> keys) {
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

  /** ", did you mean "x"?" for a close valid name, else nothing. */
  static String suggestion(String given, Collection<String> valid) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : valid) {
      int d = distance(given.toLowerCase(java.util.Locale.ROOT), candidate.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return best != null && bestDistance <= Math.min(3, Math.max(1, (given.length() + 2) / 3))
        ? " (did you mean \"" + best + "\"?)"
        : "";
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
