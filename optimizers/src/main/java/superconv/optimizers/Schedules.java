package superconv.optimizers;

import static superconv.optimizers.Specs.require;
import static superconv.optimizers.Specs.requireParameter;
import static superconv.optimizers.Specs.table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The learning-rate schedules and their TOML tables. Each record is validated on construction; {@link #fromTable}
 * reads a table such as {@code { type = "triangular", min = 0.001, max = 1.0, cycle_epochs = 25 }} for a run of a
 * given length. Lengths are given as {@code cycle_epochs} (converted with the run's iterations per epoch, fractions
 * allowed) or {@code cycle_iterations}.
 */
public final class Schedules {

  /** The valid {@code type} values, in the order the documentation lists them. */
  public static final List<String> TYPES =
      List.of("constant", "triangular", "one-cycle", "exponential", "random", "cosine", "sequence");

  private Schedules() {}

  /** Reads a schedule table for a run of the given length; messages are prefixed with {@code schedule}. */
  public static Schedule fromTable(Map<String, ?> table, RunLength run) {
    return fromTable(new Table("schedule", table), run);
  }

  /** Reads a schedule table for a run of the given length; messages are prefixed with {@code where}. */
  public static Schedule fromTable(String where, Map<String, ?> table, RunLength run) {
    return fromTable(new Table(where, table), run);
  }

  static Schedule fromTable(Table t, RunLength run) {
    return fromTable(t, new Span(run.iterations(), run.iterationsPerEpoch()));
  }

  /**
   * The stretch of iterations a schedule is laid over, with the epoch length that converts its epoch keys: a run,
   * or a part of a sequence (which need not be whole epochs).
   */
  private record Span(long iterations, long iterationsPerEpoch) {}

  private static Schedule fromTable(Table t, Span run) {
    String type = t.choice("type", TYPES);
    return t.locate(() -> switch (type) {
        case "constant" -> {
          t.allowOnly(Set.of("type", "lr"));
          yield new Constant(t.number("lr"));
        }
        case "triangular" -> {
          t.allowOnly(Set.of("type", "min", "max", "cycle_epochs", "cycle_iterations", "up_fraction", "peak_decay"));
          yield new Triangular(t.number("min"), t.number("max"), cycle(t, run, null),
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
          yield new OneCycle(t.number("min"), t.number("max"), cycle, t.number("final_div", 100.0), n,
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
          yield new Exponential(start, gamma);
        }
        case "random" -> {
          t.allowOnly(Set.of("type", "min", "max", "seed"));
          yield new Random(t.number("min"), t.number("max"), t.has("seed") ? t.integer("seed") : 0L);
        }
        case "cosine" -> {
          t.allowOnly(Set.of("type", "min", "max", "cycle_epochs", "cycle_iterations", "cycle_mult", "peak_decay"));
          yield new Cosine(t.number("min", 0.0), t.number("max"), cycle(t, run, (double) run.iterations()),
              t.number("cycle_mult", 1.0), t.number("peak_decay", 1.0));
        }
        case "sequence" -> {
          t.allowOnly(Set.of("type", "parts"));
          yield sequence(t, "parts", run);
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

  /** A sequence from the list {@code listKey} of {@code t}; used for {@code parts} and for switching's phases. */
  static Sequence sequence(Table t, String listKey, RunLength run) {
    return sequence(t, listKey, new Span(run.iterations(), run.iterationsPerEpoch()));
  }

  private static Sequence sequence(Table t, String listKey, Span run) {
    List<Table> parts = t.tables(listKey);
    List<Sequence.Part> out = new ArrayList<>();
    long start = 0;
    long total = run.iterations();
    for (int i = 0; i < parts.size(); i++) {
      Table p = parts.get(i);
      if (listKey.equals("parts")) {
        p.allowOnly(Set.of("epochs", "iterations", "schedule"));
      }
      boolean last = i == parts.size() - 1;
      long length;
      if (p.has("epochs") && p.has("iterations")) {
        throw p.fail("give epochs or iterations, not both");
      } else if (p.has("epochs")) {
        length = Math.multiplyExact(p.positiveInteger("epochs"), run.iterationsPerEpoch());
      } else if (p.has("iterations")) {
        length = p.positiveInteger("iterations");
      } else if (last) {
        length = total - start;
        if (length <= 0) {
          throw p.fail("the earlier parts already fill the run of " + total + " iterations; nothing is left for this one");
        }
      } else {
        throw p.fail("missing key 'epochs' or 'iterations' (only the last part may omit its length: it takes the rest)");
      }
      if (start + length > total) {
        throw p.fail(String.format("this part ends at iteration %d, after the run's %d iterations", start + length, total));
      }
      Span partRun = new Span(length, run.iterationsPerEpoch());
      Schedule schedule = fromTable(p.table("schedule"), partRun);
      if (schedule instanceof Sequence) {
        throw p.fail("a sequence cannot nest another sequence; list all parts in one");
      }
      out.add(new Sequence.Part(start, length, schedule));
      start += length;
    }
    if (start != total) {
      throw t.fail(String.format("the parts cover %d iterations but the run has %d (%s epochs of %d); "
          + "omit the last part's length to let it take the rest", start, total,
          Table.fmt((double) total / run.iterationsPerEpoch()), run.iterationsPerEpoch()));
    }
    return new Sequence(out);
  }

  private static void rates(double min, double max) {
    require(Double.isFinite(min) && min >= 0, "min = %s is not allowed: expected a finite rate >= 0", min);
    require(Double.isFinite(max) && max > min, "max = %s is not allowed: expected a finite rate > min (%s)", max, min);
  }

  /** The triangular scale s in [0, 1] at iteration j of cycles of length L rising for the first u of each: PyTorch's CyclicLR. */
  static double triangle(double j, double cycle, double upFraction) {
    double c = Math.floor(1 + j / cycle);
    double x = 1.0 + j / cycle - c;
    return x <= upFraction ? x / upFraction : (x - 1) / (upFraction - 1);
  }

  /** {@code { type = "constant", lr = 0.01 }}. */
  public record Constant(double lr) implements Schedule {
    public Constant {
      require(Double.isFinite(lr) && lr >= 0, "lr = %s is not allowed: expected a finite rate >= 0", lr);
    }

    @Override
    public String type() {
      return "constant";
    }

    @Override
    public double rate(long iteration) {
      return lr;
    }

    @Override
    public Map<String, Object> toTable() {
      return table(type(), "lr", lr);
    }
  }

  /**
   * The thesis's N-cycle CLR: from {@code min} up to {@code max} and back in every cycle of {@code cycleIterations}
   * (fractional allowed), rising for the first {@code upFraction} of each cycle, the height multiplied by
   * {@code peakDecay} after every cycle. With up_fraction 0.5 and peak_decay 1 it is bit for bit PyTorch's
   * {@code CyclicLR(base_lr=min, max_lr=max, step_size_up=cycle/2, mode="triangular")} stepped every iteration.
   */
  public record Triangular(double min, double max, double cycleIterations, double upFraction, double peakDecay)
      implements Schedule {
    public Triangular {
      rates(min, max);
      require(Double.isFinite(cycleIterations) && cycleIterations >= 2,
          "cycle_iterations = %s is not allowed: expected a cycle of at least 2 iterations", cycleIterations);
      require(upFraction > 0 && upFraction < 1, "up_fraction = %s is not allowed: expected a number in (0, 1)", upFraction);
      require(peakDecay > 0 && peakDecay <= 1, "peak_decay = %s is not allowed: expected a factor in (0, 1]", peakDecay);
    }

    @Override
    public String type() {
      return "triangular";
    }

    @Override
    public double rate(long iteration) {
      double s = triangle(iteration, cycleIterations, upFraction);
      // PyTorch: base_height = (max - min) * scale; lr = min + base_height * scale_fn(cycle), scale_fn = 1.
      double height = (max - min) * s;
      if (peakDecay != 1.0) {
        height = height * Math.pow(peakDecay, Math.floor(iteration / cycleIterations));
      }
      return min + height;
    }

    @Override
    public Map<String, Object> toTable() {
      return table(type(), "min", min, "max", max, "cycle_iterations", cycleIterations,
          "up_fraction", upFraction, "peak_decay", peakDecay);
    }
  }

  /**
   * Smith and Topin's 1cycle: one triangular cycle of {@code cycleIterations} from {@code min} to {@code max} and
   * back, then a linear annihilation to {@code min / finalDiv} reached at the run's last iteration. With
   * {@code momentumMax}/{@code momentumMin} (else NaN) the momentum cycles the other way: max at the ends, min at
   * the peak of the rate, and stays at max during the annihilation.
   */
  public record OneCycle(double min, double max, double cycleIterations, double finalDiv, double runIterations,
      double momentumMax, double momentumMin) implements Schedule {
    public OneCycle {
      rates(min, max);
      require(cycleIterations >= 2 && cycleIterations <= runIterations,
          "cycle_iterations = %s is not allowed: expected a cycle of at least 2 iterations within the run of %s",
          cycleIterations, runIterations);
      require(Double.isFinite(finalDiv) && finalDiv >= 1, "final_div = %s is not allowed: expected a number >= 1", finalDiv);
      require(Double.isNaN(momentumMax) == Double.isNaN(momentumMin),
          "give both momentum_max and momentum_min (cyclical momentum) or neither");
      requireParameter(Double.isNaN(momentumMax) || (momentumMax >= 0 && momentumMax < 1), "momentum_max", momentumMax,
          "a number in [0, 1)");
      requireParameter(Double.isNaN(momentumMin) || (momentumMin >= 0 && momentumMin < 1), "momentum_min", momentumMin,
          "a number in [0, 1)");
      require(Double.isNaN(momentumMax) || momentumMin <= momentumMax,
          "momentum_min = %s is not allowed: expected a number <= momentum_max (%s)", momentumMin, momentumMax);
    }

    @Override
    public String type() {
      return "one-cycle";
    }

    @Override
    public double rate(long iteration) {
      if (iteration < cycleIterations) {
        return min + (max - min) * triangle(iteration, cycleIterations, 0.5);
      }
      return min + (min / finalDiv - min) * annihilated(iteration);
    }

    /** Progress 0..1 through the annihilation, 1 at the run's last iteration. */
    private double annihilated(long iteration) {
      double span = runIterations - 1 - cycleIterations;
      return span <= 0 ? 1.0 : Math.min(1.0, (iteration - cycleIterations) / span);
    }

    @Override
    public boolean hasMomentum() {
      return !Double.isNaN(momentumMax);
    }

    @Override
    public OptionalDouble momentum(long iteration) {
      if (!hasMomentum()) {
        return OptionalDouble.empty();
      }
      if (iteration >= cycleIterations) {
        return OptionalDouble.of(momentumMax);
      }
      return OptionalDouble.of(momentumMax - (momentumMax - momentumMin) * triangle(iteration, cycleIterations, 0.5));
    }

    @Override
    public Map<String, Object> toTable() {
      Map<String, Object> m = table(type(), "min", min, "max", max, "cycle_iterations", cycleIterations,
          "final_div", finalDiv);
      if (hasMomentum()) {
        m.put("momentum_max", momentumMax);
        m.put("momentum_min", momentumMin);
      }
      return m;
    }
  }

  /** Thesis eq. 4.1: rate(j) = start * gamma^j. */
  public record Exponential(double start, double gamma) implements Schedule {
    public Exponential {
      require(Double.isFinite(start) && start > 0, "start = %s is not allowed: expected a finite rate > 0", start);
      require(Double.isFinite(gamma) && gamma > 0, "gamma = %s is not allowed: expected a finite factor > 0", gamma);
    }

    @Override
    public String type() {
      return "exponential";
    }

    @Override
    public double rate(long iteration) {
      return start * Math.pow(gamma, iteration);
    }

    @Override
    public Map<String, Object> toTable() {
      return table(type(), "start", start, "gamma", gamma);
    }
  }

  /**
   * Thesis 4.3.3: a fresh rate uniform in [min, max) every iteration. The value is a pure function of (seed,
   * iteration), so a resumed run sees exactly the rates of an uninterrupted one.
   */
  public record Random(double min, double max, long seed) implements Schedule {
    public Random {
      rates(min, max);
    }

    @Override
    public String type() {
      return "random";
    }

    @Override
    public double rate(long iteration) {
      return min + (max - min) * uniform(seed, iteration);
    }

    /** SplitMix64 of (seed, iteration): 53 random bits as a double in [0, 1). */
    static double uniform(long seed, long iteration) {
      long z = seed * 0xBF58476D1CE4E5B9L + (iteration + 1) * 0x9E3779B97F4A7C15L;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      z = z ^ (z >>> 31);
      return (z >>> 11) * 0x1.0p-53;
    }

    @Override
    public Map<String, Object> toTable() {
      return table(type(), "min", min, "max", max, "seed", seed);
    }
  }

  /**
   * Cosine annealing from {@code max} to {@code min} over cycles of {@code cycleIterations} (the whole run unless
   * a cycle is given), each {@code cycleMult} times as long as the one before, with warm restarts to a peak that
   * shrinks by {@code peakDecay} per cycle: PyTorch's CosineAnnealingWarmRestarts with T_0 = cycle.
   */
  public record Cosine(double min, double max, double cycleIterations, double cycleMult, double peakDecay)
      implements Schedule {
    public Cosine {
      rates(min, max);
      require(Double.isFinite(cycleIterations) && cycleIterations >= 2,
          "cycle_iterations = %s is not allowed: expected a cycle of at least 2 iterations", cycleIterations);
      require(Double.isFinite(cycleMult) && cycleMult >= 1, "cycle_mult = %s is not allowed: expected a number >= 1", cycleMult);
      require(peakDecay > 0 && peakDecay <= 1, "peak_decay = %s is not allowed: expected a factor in (0, 1]", peakDecay);
    }

    @Override
    public String type() {
      return "cosine";
    }

    @Override
    public double rate(long iteration) {
      double j = iteration;
      double cycleIndex;
      double t;
      double length;
      if (cycleMult == 1.0) {
        cycleIndex = Math.floor(j / cycleIterations);
        t = j - cycleIndex * cycleIterations;
        length = cycleIterations;
      } else {
        cycleIndex = Math.floor(Math.log(j / cycleIterations * (cycleMult - 1) + 1) / Math.log(cycleMult));
        t = j - cycleIterations * (Math.pow(cycleMult, cycleIndex) - 1) / (cycleMult - 1);
        length = cycleIterations * Math.pow(cycleMult, cycleIndex);
      }
      double peak = max - min;
      if (peakDecay != 1.0) {
        peak *= Math.pow(peakDecay, cycleIndex);
      }
      return min + peak * (1 + Math.cos(Math.PI * t / length)) / 2;
    }

    @Override
    public Map<String, Object> toTable() {
      return table(type(), "min", min, "max", max, "cycle_iterations", cycleIterations, "cycle_mult", cycleMult,
          "peak_decay", peakDecay);
    }
  }

  /** One schedule for a number of iterations, then another: each part counts its own iterations from 0. */
  public record Sequence(List<Part> parts) implements Schedule {

    /** A part from iteration {@code start} (of the whole run) for {@code iterations}. */
    public record Part(long start, long iterations, Schedule schedule) {}

    public Sequence {
      parts = List.copyOf(parts);
      require(!parts.isEmpty(), "parts = [] is not allowed: expected at least one part");
      long expected = 0;
      for (Part p : parts) {
        require(p.start() == expected && p.iterations() > 0, "parts must follow each other without gaps");
        expected += p.iterations();
      }
      boolean momentum = parts.get(0).schedule().hasMomentum();
      for (Part p : parts) {
        require(p.schedule().hasMomentum() == momentum,
            "either every part cycles the momentum or none does (part at iteration %d differs)", p.start());
      }
    }

    @Override
    public String type() {
      return "sequence";
    }

    /** The part that iteration {@code iteration} falls in (the last part goes on past the run's end). */
    public Part partAt(long iteration) {
      for (Part p : parts) {
        if (iteration < p.start() + p.iterations()) {
          return p;
        }
      }
      return parts.get(parts.size() - 1);
    }

    @Override
    public double rate(long iteration) {
      Part p = partAt(iteration);
      return p.schedule().rate(iteration - p.start());
    }

    @Override
    public boolean hasMomentum() {
      return parts.get(0).schedule().hasMomentum();
    }

    @Override
    public OptionalDouble momentum(long iteration) {
      Part p = partAt(iteration);
      return p.schedule().momentum(iteration - p.start());
    }

    @Override
    public Map<String, Object> toTable() {
      List<Map<String, Object>> list = new ArrayList<>();
      for (Part p : parts) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("iterations", p.iterations());
        m.put("schedule", p.schedule().toTable());
        list.add(m);
      }
      return table(type(), "parts", list);
    }
  }
}
