package superconv.optimizers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TType;

/**
 * The optimizers' TOML tables, e.g. {@code { type = "sgd", momentum = 0.9, nesterov = true }}. Start here:
 * {@link #fromTable} reads a table into an {@link OptimizerSpec} (a record that checks its own values);
 * {@link #schedule} resolves the schedule a run feeds it; {@link OptimizerSpec#build} makes the {@link TrainStep}.
 *
 * <p>Each optimizer class reads its own table into its nested {@code Spec}, so that a new optimizer is its class
 * and one line in {@code PARSERS}.
 */
public final class Optimizers {

  /** How a type reads its table into a spec. */
  @FunctionalInterface
  interface Parser {
    OptimizerSpec parse(Table t);
  }

  /**
   * Every optimizer type, in the order the documentation lists them: the one place a new optimizer is registered.
   * Package-private so that a test can hold {@link #TYPES} to it.
   */
  static final Map<String, Parser> PARSERS = parsers();

  /** The valid {@code type} values. */
  public static final List<String> TYPES = List.copyOf(PARSERS.keySet());

  private static Map<String, Parser> parsers() {
    Map<String, Parser> p = new LinkedHashMap<>();
    p.put("sgd", SgdOptimizer.Spec::fromTable);
    p.put("adam", AdamOptimizer.Spec::adam);
    p.put("cus-adam", AdamOptimizer.Spec::cusAdam);
    p.put("simple-adasecant", SimpleAdaSecantOptimizer.Spec::fromTable);
    p.put("adasecant", AdaSecantOptimizer.Spec::fromTable);
    p.put("switching", Optimizers::switching);
    return Collections.unmodifiableMap(p);
  }

  private Optimizers() {}

  /** Reads an optimizer table; messages are prefixed with {@code optimizer}. */
  public static OptimizerSpec fromTable(Map<String, ?> table) {
    return fromTable(new Table("optimizer", table));
  }

  /** Reads an optimizer table; messages are prefixed with {@code where}. */
  public static OptimizerSpec fromTable(String where, Map<String, ?> table) {
    return fromTable(new Table(where, table));
  }

  private static OptimizerSpec fromTable(Table t) {
    String type = t.choice("type", TYPES);
    return t.locate(() -> PARSERS.get(type).parse(t));
  }

  private static SwitchingSpec switching(Table t) {
    t.allowOnly(Set.of("type", "phases"));
    List<Table> tables = t.tables("phases");
    SwitchingSpec.requirePhaseCount(tables.size());
    List<OptimizerPhase> phases = new ArrayList<>();
    for (Table p : tables) {
      p.allowOnly(Set.of("epochs", "optimizer", "schedule"));
      Long epochs = p.has("epochs") ? Long.valueOf(p.integer("epochs")) : null;
      OptimizerSpec optimizer = fromTable(p.table("optimizer"));
      Map<String, Object> schedule = p.has("schedule") ? p.table("schedule").map() : null;
      phases.add(p.locate(() -> new OptimizerPhase(epochs, optimizer, schedule)));
    }
    return new SwitchingSpec(phases);
  }

  /**
   * The schedule a run feeds {@code spec}: the switching spec's own (phase schedules in sequence), else the run's
   * {@code schedule} table; an optimizer that ignores the rate needs none (it is fed 0). Checks that a schedule
   * with cyclical momentum meets an optimizer that can use it.
   *
   * @param scheduleTable the run's schedule table, or null when the manifest gives none
   */
  public static Schedule schedule(OptimizerSpec spec, Map<String, ?> scheduleTable, RunLength run) {
    Optional<Schedule> own = spec.schedule(run);
    Schedule schedule;
    if (own.isPresent()) {
      if (scheduleTable != null) {
        throw new IllegalArgumentException(
            "schedule: not allowed with optimizer type \"switching\": its phases carry their own schedules");
      }
      schedule = own.get();
    } else if (scheduleTable != null) {
      schedule = Schedules.fromTable(scheduleTable, run);
    } else if (!spec.usesRate()) {
      schedule = new ConstantSchedule(0.0);
    } else {
      throw new IllegalArgumentException(
          "schedule: missing; optimizer " + spec.type() + " needs a learning-rate schedule, e.g. "
              + "{ type = \"constant\", lr = 0.01 }");
    }
    if (schedule.hasMomentum() && !spec.acceptsMomentum()) {
      throw new IllegalArgumentException("schedule: " + schedule.type() + " cycles the momentum, but optimizer "
          + spec.type() + " has none to cycle (use sgd, adam or cus-adam, or drop momentum_max/momentum_min)");
    }
    return schedule;
  }

  /** The gradients of {@code loss} with respect to exactly these variables (never a sweep over the graph). */
  public static <T extends TType> List<Output<?>> gradients(Ops tf, Operand<T> loss,
      List<? extends Operand<?>> variables) {
    return Gradients.of(tf, loss, variables);
  }
}
