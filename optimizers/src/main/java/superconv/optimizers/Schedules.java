package superconv.optimizers;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the learning-rate schedules' TOML tables, such as
 * {@code { type = "triangular", min = 0.001, max = 1.0, cycle_epochs = 25 }}, for a run of a given length into
 * {@link Schedule} records (which check their own values). Lengths are given as {@code cycle_epochs} (converted
 * with the run's iterations per epoch, fractions allowed) or {@code cycle_iterations}.
 *
 * <p>Each record reads its own table (a static {@code fromTable(Table, Span)}), so that a new schedule is its
 * record and one line in {@code PARSERS}.
 */
public final class Schedules {

  /** How a type's record reads its table laid over a run. */
  @FunctionalInterface
  interface Parser {
    Schedule parse(Table t, Span run);
  }

  /**
   * Every schedule type, in the order the documentation lists them: the one place a new schedule is registered.
   * Package-private so that a test can hold {@link #TYPES} to it.
   */
  static final Map<String, Parser> PARSERS = parsers();

  /** The valid {@code type} values, in the order the documentation lists them. */
  public static final List<String> TYPES = List.copyOf(PARSERS.keySet());

  private static Map<String, Parser> parsers() {
    Map<String, Parser> p = new LinkedHashMap<>();
    p.put("constant", ConstantSchedule::fromTable);
    p.put("triangular", TriangularSchedule::fromTable);
    p.put("one-cycle", OneCycleSchedule::fromTable);
    p.put("exponential", ExponentialSchedule::fromTable);
    p.put("random", RandomSchedule::fromTable);
    p.put("cosine", CosineSchedule::fromTable);
    p.put("range-test", RangeTestSchedule::fromTable);
    p.put("sequence", SequenceSchedule::fromTable);
    return Collections.unmodifiableMap(p);
  }

  private Schedules() {}

  /** Reads a schedule table for a run of the given length; messages are prefixed with {@code schedule}. */
  public static Schedule fromTable(Map<String, ?> table, RunLength run) {
    return fromTable(new Table("schedule", table), Span.of(run));
  }

  /** Reads a schedule table for a run of the given length; messages are prefixed with {@code where}. */
  public static Schedule fromTable(String where, Map<String, ?> table, RunLength run) {
    return fromTable(new Table(where, table), Span.of(run));
  }

  /** Reads a schedule table laid over {@code run}: a run or a part of one. */
  static Schedule fromTable(Table t, Span run) {
    String type = t.choice("type", TYPES);
    return t.locate(() -> PARSERS.get(type).parse(t, run));
  }

  /** The cycle length in iterations from cycle_epochs or cycle_iterations; {@code fallback} when neither. */
  static double cycle(Table t, Span run, Double fallback) {
    if (t.has("cycle_epochs") && t.has("cycle_iterations")) {
      throw t.fail("give cycle_epochs or cycle_iterations, not both");
    }
    double iterations;
    String key;
    if (t.has("cycle_epochs")) {
      key = "cycle_epochs";
      iterations = t.positive(key) * run.iterationsPerEpoch();
    } else if (t.has("cycle_iterations")) {
      key = "cycle_iterations";
      iterations = t.positive(key);
    } else if (fallback != null) {
      return fallback;
    } else {
      throw t.fail("missing key 'cycle_epochs' or 'cycle_iterations' (the cycle length)");
    }
    if (iterations < 2) {
      throw t.bad(key, t.map().get(key),
          "a cycle of at least 2 iterations (this one is " + iterations + " at "
              + run.iterationsPerEpoch() + " iterations per epoch)");
    }
    return iterations;
  }
}
