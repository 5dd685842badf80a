package superconv.training.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How one run trains: its optimizer and schedule, or its phases, each checked by the optimizers module's own rules
 * over the run's length. Problems are added to the manifest's list; a phase with a problem does not stop the checks
 * of the phases after it.
 */
final class PhaseResolver {

  private static final String SWITCHING = "switching";

  private final ComponentRules rules;
  private final List<String> problems;

  PhaseResolver(ComponentRules rules, List<String> problems) {
    this.rules = rules;
    this.problems = problems;
  }

  /** The run's phases (one for a run that does not switch); empty after reporting a problem. */
  List<Phase> phases(ObjectNode tree, int epochs, int iterationsPerEpoch, String where) {
    if (!switchingToPhases(tree, where)) {
      return List.of();
    }
    JsonNode phasesNode = tree.get("phases");
    boolean hasPhases = phasesNode != null && !phasesNode.isNull();
    boolean hasSingle = TomlValues.isSet(tree, "optimizer") || TomlValues.isSet(tree, "schedule");
    if (hasPhases && hasSingle) {
      problems.add(where + ": give either optimizer + schedule or phases, not both");
      return List.of();
    }
    if (!hasPhases) {
      Phase phase = phase(tree, 0, epochs, iterationsPerEpoch, true, where);
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
      boolean bad = Settings.unknownKeys(node, Schema.PHASE_KEYS, phaseWhere, problems);
      boolean last = i == phasesNode.size() - 1;
      int length;
      if (node.has("epochs")) {
        length = new Settings((ObjectNode) node, phaseWhere, problems).integer("epochs", 1, Integer.MAX_VALUE);
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
      Phase phase = phase((ObjectNode) node, from, length, iterationsPerEpoch, false, phaseWhere);
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
    if (optimizer == null || !optimizer.isObject() || !SWITCHING.equals(optimizer.path("type").asText())) {
      return true;
    }
    String switchWhere = where + ": optimizer switching";
    if (Settings.unknownKeys(optimizer, List.of("type", "phases"), switchWhere, problems)) {
      return false;
    }
    if (TomlValues.isSet(tree, "phases")) {
      problems.add(switchWhere + ": give either phases = [...] or optimizer = { type = \"switching\", phases = [...] },"
          + " not both");
      return false;
    }
    if (TomlValues.isSet(tree, "schedule")) {
      problems.add(switchWhere + " takes no schedule: each phase carries its own; remove the schedule");
      return false;
    }
    if (!TomlValues.isSet(optimizer, "phases")) {
      problems.add(switchWhere + ": phases is missing; e.g. optimizer = { type = \"switching\", phases = ["
          + "{ epochs = 10, optimizer = { type = \"sgd\" }, schedule = { type = \"constant\", lr = 0.1 } },"
          + " { optimizer = { type = \"adasecant\" } }] }");
      return false;
    }
    tree.set("phases", optimizer.get("phases"));
    tree.putNull("optimizer");
    return true;
  }

  /**
   * One phase of {@code length} epochs from {@code from}. {@code whole} when it is the run's only phase, written at
   * the top of the experiment: there the optimizer may also be the switching one, and a refusal lists it.
   */
  private Phase phase(ObjectNode table, int from, int length, int iterationsPerEpoch, boolean whole, String where) {
    Component optimizer = component(table, "optimizer", optimizerTypes(whole), rules.optimizerTypes(), where);
    if (optimizer == null) {
      // The schedule is still checked, on its own, so that one refusal lists its problems too.
      Component schedule = TomlValues.isSet(table, "schedule")
          ? component(table, "schedule", rules.scheduleTypes(), rules.scheduleTypes(), where) : null;
      if (schedule != null && iterationsPerEpoch > 0) {
        rules.checkSchedule(schedule, null, iterationsPerEpoch, length)
            .forEach(p -> problems.add(where + ": schedule " + schedule.type() + ": " + p));
      }
      return null;
    }
    List<String> optimizerProblems = rules.checkOptimizer(optimizer);
    optimizerProblems.forEach(p -> problems.add(where + ": optimizer " + optimizer.type() + ": " + p));
    Component schedule = null;
    if (rules.calculatesRates(optimizer.type())) {
      if (TomlValues.isSet(table, "schedule")) {
        problems.add(where + ": optimizer " + optimizer.type()
            + " calculates its own rates and takes no schedule; remove the schedule");
        return null;
      }
    } else {
      schedule = component(table, "schedule", rules.scheduleTypes(), rules.scheduleTypes(), where);
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

  /** The optimizer types a refusal lists: a run's own optimizer may switch, a phase's may not. */
  private Set<String> optimizerTypes(boolean whole) {
    if (!whole) {
      return rules.optimizerTypes();
    }
    Set<String> types = new LinkedHashSet<>(rules.optimizerTypes());
    types.add(SWITCHING);
    return types;
  }

  /**
   * The {@code key} table as a component of a type in {@code accepted}; {@code listed} are the types a refusal
   * names, which for a run's optimizer include the switching one that was rewritten before.
   */
  private Component component(
      ObjectNode table, String key, Collection<String> listed, Set<String> accepted, String where) {
    JsonNode node = table.get(key);
    String example = key.equals("optimizer") ? "{ type = \"sgd\" }" : "{ type = \"constant\", lr = 0.01 }";
    if (node == null || node.isNull()) {
      problems.add(where + ": " + key + " is missing; e.g. " + key + " = " + example + "; types: "
          + String.join(", ", listed));
      return null;
    }
    if (!node.isObject() || !node.has("type") || !node.get("type").isTextual()) {
      problems.add(where + ": " + key + " must be a table with a type, e.g. " + key + " = " + example);
      return null;
    }
    String type = node.get("type").asText();
    if (!accepted.contains(type)) {
      String nested = key.equals("optimizer") && type.equals(SWITCHING)
          ? " (a phase cannot itself switch: list the phases in one phases = [...])" : "";
      problems.add(where + ": unknown " + key + " \"" + type + "\"" + nested + Suggestions.didYouMean(type, listed)
          + "; valid: " + String.join(", ", listed));
      return null;
    }
    Map<String, Object> params = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> {
      if (!e.getKey().equals("type")) {
        params.put(e.getKey(), TomlValues.javaValue(e.getValue()));
      }
    });
    return new Component(type, params);
  }
}
