package superconv.optimizers;

import static superconv.optimizers.Specs.require;
import static superconv.optimizers.Specs.table;

import java.util.Map;
import java.util.Set;

/** {@code { type = "constant", lr = 0.01 }}. */
public record ConstantSchedule(double lr) implements Schedule {
  public ConstantSchedule {
    require(Double.isFinite(lr) && lr >= 0, "lr = %s is not allowed: expected a finite rate >= 0", lr);
  }

  /** Reads a {@code constant} table (the run's length does not matter to it). */
  static ConstantSchedule fromTable(Table t, Span run) {
    t.allowOnly(Set.of("type", "lr"));
    return new ConstantSchedule(t.number("lr"));
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
