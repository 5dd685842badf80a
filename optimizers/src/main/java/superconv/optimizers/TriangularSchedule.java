package superconv.optimizers;

import static superconv.optimizers.Specs.require;
import static superconv.optimizers.Specs.requireRates;
import static superconv.optimizers.Specs.table;

import java.util.Map;
import java.util.Set;

/**
 * The thesis's N-cycle CLR: from {@code min} up to {@code max} and back in every cycle of {@code cycleIterations}
 * (fractional allowed), rising for the first {@code upFraction} of each cycle, the height multiplied by
 * {@code peakDecay} after every cycle. With up_fraction 0.5 and peak_decay 1 it is bit for bit PyTorch's
 * {@code CyclicLR(base_lr=min, max_lr=max, step_size_up=cycle/2, mode="triangular")} stepped every iteration.
 */
public record TriangularSchedule(double min, double max, double cycleIterations, double upFraction, double peakDecay)
    implements Schedule {
  public TriangularSchedule {
    requireRates(min, max);
    require(Double.isFinite(cycleIterations) && cycleIterations >= 2,
        "cycle_iterations = %s is not allowed: expected a cycle of at least 2 iterations", cycleIterations);
    require(upFraction > 0 && upFraction < 1, "up_fraction = %s is not allowed: expected a number in (0, 1)", upFraction);
    require(peakDecay > 0 && peakDecay <= 1, "peak_decay = %s is not allowed: expected a factor in (0, 1]", peakDecay);
  }

  /** Reads a {@code triangular} table; its cycle length is required. */
  static TriangularSchedule fromTable(Table t, Span run) {
    t.allowOnly(Set.of("type", "min", "max", "cycle_epochs", "cycle_iterations", "up_fraction", "peak_decay"));
    return new TriangularSchedule(t.number("min"), t.number("max"), Schedules.cycle(t, run, null),
        t.number("up_fraction", 0.5), t.number("peak_decay", 1.0));
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

  /** The triangular scale s in [0, 1] at iteration j of cycles of length L rising for the first u of each: PyTorch's CyclicLR. */
  static double triangle(double j, double cycle, double upFraction) {
    double c = Math.floor(1 + j / cycle);
    double x = 1.0 + j / cycle - c;
    return x <= upFraction ? x / upFraction : (x - 1) / (upFraction - 1);
  }

  @Override
  public Map<String, Object> toTable() {
    return table(type(), "min", min, "max", max, "cycle_iterations", cycleIterations,
        "up_fraction", upFraction, "peak_decay", peakDecay);
  }
}
