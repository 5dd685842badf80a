package superconv.optimizers;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the learning-rate schedules' TOML tables, such as
 * {@code { type = "triangular", min = 0.001, max = 1.0, cycle_epochs = 25 }}, for a run of a given length into
 * {@link Schedule} records (which check their own values). Lengths are given as {@code cycle_epochs} (converted
 * with the run's iterations per epoch, fractions allowed) or {@code cycle_iterations}.
 */
public final class Schedules {

  /** The valid {@code type} values, in the order the documentation lists them. */
  public static final List<String> TYPES =
      List.of("constant", "triangular", "one-cycle", "exponential", "random", "cosine", "sequence");

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
    return t.locate(() -> switch (type) {
      case "constant" -> {
        t.allowOnly(Set.of("type", "lr"));
        yield new ConstantSchedule(t.number("lr"));
      }
      case "triangular" -> {
        t.allowOnly(Set.of("type", "min", "max", "cycle_epochs", "cycle_iterations", "up_fraction", "peak_decay"));
        yield new TriangularSchedule(t.number("min"), t.number("max"), cycle(t, run, null),
            t.number("up_fraction", 0.5), t.number("peak_decay", 1.0));
      }
      case "one-cycle" -> {
        t.allowOnly(Set.of("type", "min", "max", "cycle_fraction", "cycle_epochs", "cycle_iterations", "final_div",
            "momentum_max", "momentum_min"));
        if (t.has("cycle_fraction") && (t.has("cycle_epochs") || t.has("cycle_iterations"))) {
          throw t.fail("give one of cycle_fraction, cycle_epochs, cycle_iterations, not several");
        }
        double n = run.iterations();
        double cycle = t.has("cycle_fraction")
            ? fraction(t, "cycle_fraction") * n
            : cycle(t, run, 0.9 * n);
        double momentumMax = t.number("momentum_max", Double.NaN);
        double momentumMin = t.number("momentum_min", Double.NaN);
        yield new OneCycleSchedule(t.number("min"), t.number("max"), cycle, t.number("final_div", 100.0), n,
            momentumMax, momentumMin);
      }
      case "exponential" -> {
        t.allowOnly(Set.of("type", "start", "end", "gamma"));
        if (t.has("end") == t.has("gamma")) {
          throw t.fail("give exactly one of end (the rate of the last iteration) and gamma (the factor per iteration)");
        }
        double start = t.positive("start");
        double gamma = t.has("gamma")
            ? t.positive("gamma")
            : Math.pow(t.positive("end") / start, 1.0 / run.iterations());
        yield new ExponentialSchedule(start, gamma);
      }
      case "random" -> {
        t.allowOnly(Set.of("type", "min", "max", "seed"));
        yield new RandomSchedule(t.number("min"), t.number("max"), t.has("seed") ? t.integer("seed") : 0L);
      }
      case "cosine" -> {
        t.allowOnly(Set.of("type", "min", "max", "cycle_epochs", "cycle_iterations", "cycle_mult", "peak_decay"));
        yield new CosineSchedule(t.number("min", 0.0), t.number("max"), cycle(t, run, (double) run.iterations()),
            t.number("cycle_mult", 1.0), t.number("peak_decay", 1.0));
      }
      case "sequence" -> {
        t.allowOnly(Set.of("type", "parts"));
        yield sequence(t, run);
      }
      default -> throw new AssertionError(type);
    });
  }

  private static double fraction(Table t, String key) {
    double f = t.number(key);
    if (!(f > 0 && f <= 1)) {
      throw t.bad(key, t.map().get(key), "a fraction in (0, 1]");
    }
    return f;
  }

  /** The cycle length in iterations from cycle_epochs or cycle_iterations; {@code fallback} when neither. */
  private static double cycle(Table t, Span run, Double fallback) {
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

  private static SequenceSchedule sequence(Table t, Span run) {
    List<Table> parts = t.tables("parts");
    SequenceLayout layout = new SequenceLayout(run);
    for (int i = 0; i < parts.size(); i++) {
      Table p = parts.get(i);
      p.allowOnly(Set.of("epochs", "iterations", "schedule"));
      if (p.has("epochs") && p.has("iterations")) {
        throw p.fail("give epochs or iterations, not both");
      }
      Long length = p.has("epochs")
          ? Long.valueOf(Math.multiplyExact(p.positiveInteger("epochs"), run.iterationsPerEpoch()))
          : p.has("iterations") ? Long.valueOf(p.positiveInteger("iterations")) : null;
      if (length == null && i < parts.size() - 1) {
        throw p.fail("missing key 'epochs' or 'iterations' (only the last part may omit its length: it takes the rest)");
      }
      layout.add(p.where(), length, partRun -> fromTable(p.table("schedule"), partRun));
    }
    return layout.sequence(t.where());
  }
}
