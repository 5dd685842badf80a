package superconv.training.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs that differ only in their seed, reported as one result with statistics over the seeds. Grouping reads the
 * spec in {@code run.json}, not the run names: two runs belong together when every key of their specs but
 * {@code seed}, {@code run} and {@code grid} is equal (the experiment included). {@code grid} only repeats values
 * the spec already holds, and {@code run} is named after them, so leaving both out loses no difference but the
 * seed's.
 */
public final class SeedGroups {

  private static final List<String> SEED_KEYS = List.of("seed", "run", "grid");

  private SeedGroups() {}

  /** Every run in exactly one group, the groups in the order of their first run, a run alone a group of one. */
  public static List<List<RunResult>> of(List<RunResult> runs) {
    Map<JsonNode, List<RunResult>> groups = new LinkedHashMap<>();
    for (RunResult run : runs) {
      groups.computeIfAbsent(withoutSeed(run.spec()), k -> new ArrayList<>()).add(run);
    }
    return groups.values().stream().map(List::copyOf).toList();
  }

  /** Whether any group has several runs: only then do the table and plots show seed statistics. */
  public static boolean any(List<List<RunResult>> groups) {
    return groups.stream().anyMatch(g -> g.size() > 1);
  }

  private static JsonNode withoutSeed(JsonNode spec) {
    if (!(spec instanceof ObjectNode object)) {
      return spec;
    }
    ObjectNode copy = object.deepCopy();
    copy.remove(SEED_KEYS);
    return copy;
  }

  /**
   * A group's id: a run's own id alone; for several, the first run's id with its {@code seed=N} written as the set
   * of seeds, {@code seeds/seed={1,2,3}}, or, where the run names do not carry the seed, the ids joined by " + ".
   */
  public static String name(List<RunResult> group) {
    RunResult first = group.get(0);
    if (group.size() == 1) {
      return first.id();
    }
    String own = label(first);
    String seeds = group.stream().map(r -> r.spec().path("seed").asLong()).sorted().distinct()
        .map(String::valueOf).collect(Collectors.joining(",", "seed={", "}"));
    String run = first.spec().path("run").asText();
    boolean named = group.stream().allMatch(r -> r.spec().path("run").asText()
        .equals(run.replace(own, label(r))));
    int at = run.indexOf(own);
    if (!named || at < 0) {
      return group.stream().map(RunResult::id).collect(Collectors.joining(" + "));
    }
    return first.experiment() + "/" + run.substring(0, at) + seeds + run.substring(at + own.length());
  }

  /** The run part of {@link #name}: what the plots of one experiment call a group. */
  public static String runName(List<RunResult> group) {
    String name = name(group);
    String prefix = group.get(0).experiment() + "/";
    return name.startsWith(prefix) && !name.contains(" + ") ? name.substring(prefix.length()) : name;
  }

  private static String label(RunResult run) {
    return "seed=" + run.spec().path("seed").asLong();
  }
}
