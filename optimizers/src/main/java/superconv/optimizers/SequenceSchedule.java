package superconv.optimizers;

import static superconv.optimizers.Specs.require;
import static superconv.optimizers.Specs.table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/** One schedule for a number of iterations, then another: each part counts its own iterations from 0. */
public record SequenceSchedule(List<Part> parts) implements Schedule {

  /** A part from iteration {@code start} (of the whole run) for {@code iterations}. */
  public record Part(long start, long iterations, Schedule schedule) {}

  public SequenceSchedule {
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

  /** Reads a {@code sequence} table: each part's schedule is laid over that part of {@code run} alone. */
  static SequenceSchedule fromTable(Table t, Span run) {
    t.allowOnly(Set.of("type", "parts"));
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
      layout.add(p.where(), length, partRun -> Schedules.fromTable(p.table("schedule"), partRun));
    }
    return layout.sequence(t.where());
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
