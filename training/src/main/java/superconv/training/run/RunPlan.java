package superconv.training.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import superconv.training.manifest.ManifestException;
import superconv.training.manifest.RunSpec;

/**
 * What {@code superconv run} will do with each selected run, decided from the run folders before anything is
 * trained or written: train it new, resume it from its checkpoint, start it over (interrupted before its first
 * checkpoint), or skip it (finished or diverged). A folder written for a different spec is a conflict that
 * refuses the whole invocation.
 */
public record RunPlan(RunSpec spec, RunFolder folder, Action action, RunRecord previous) {

  public enum Action {
    NEW, RESUME, RESTART, SKIP;

    public String key() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public static List<RunPlan> of(List<RunSpec> specs, Path runsDir) throws ManifestException, IOException {
    List<RunPlan> plans = new ArrayList<>();
    List<String> conflicts = new ArrayList<>();
    for (RunSpec spec : specs) {
      RunFolder folder = RunFolder.of(runsDir, spec);
      Optional<RunRecord> record;
      try {
        record = folder.readRecord();
      } catch (IOException e) {
        conflicts.add(folder.runJson() + ": unreadable (" + e.getMessage() + "); delete the run folder to start over");
        continue;
      }
      if (record.isEmpty()) {
        plans.add(new RunPlan(spec, folder, Action.NEW, null));
        continue;
      }
      List<String> changed = differences(RunFolder.json().valueToTree(spec), record.get().spec());
      if (!changed.isEmpty()) {
        conflicts.add(folder.dir() + " holds run " + spec.id() + " trained with a different spec (changed: "
            + String.join(", ", changed) + "); delete or move the folder, or rename the experiment");
        continue;
      }
      Action action = record.get().status().isFinal() ? Action.SKIP
          : Files.exists(folder.checkpoint().resolve(RunFolder.CHECKPOINT_STATE))
              || Files.exists(folder.dir().resolve("checkpoint.previous").resolve(RunFolder.CHECKPOINT_STATE))
              ? Action.RESUME : Action.RESTART;
      plans.add(new RunPlan(spec, folder, action, record.get()));
    }
    if (!conflicts.isEmpty()) {
      throw new ManifestException(conflicts);
    }
    return plans;
  }

  /**
   * Top-level spec keys whose values differ. The description is free text, and input (resident or host-fed) only
   * says how the same batches reach the graph: both may change between sessions of one run.
   */
  static List<String> differences(JsonNode current, JsonNode stored) {
    List<String> changed = new ArrayList<>();
    ObjectNode a = ((ObjectNode) current).deepCopy();
    ObjectNode b = stored == null ? RunFolder.json().createObjectNode() : ((ObjectNode) stored).deepCopy();
    for (String free : List.of("description", "input")) {
      a.remove(free);
      b.remove(free);
    }
    List<String> keys = new ArrayList<>();
    a.fieldNames().forEachRemaining(keys::add);
    for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!keys.contains(key)) {
        keys.add(key);
      }
    }
    for (String key : keys) {
      JsonNode x = a.get(key);
      JsonNode y = b.get(key);
      if (x == null || y == null || !RunFolder.canonical(x).equals(RunFolder.canonical(y))) {
        changed.add(key);
      }
    }
    return changed;
  }
}
