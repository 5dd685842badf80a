package superconv.optimizers;

import static superconv.optimizers.Specs.require;
import static superconv.optimizers.Specs.requireInside;
import static superconv.optimizers.Specs.table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.family.TFloating;
import org.tensorflow.types.family.TNumber;

/**
 * Thesis 4.5.2: phases, each an optimizer with its schedule for a number of epochs, e.g.
 * {@code phases = [ { epochs = 13, optimizer = { type = "sgd" }, schedule = { type = "triangular", ... } },
 * { optimizer = { type = "simple-adasecant", threshold = 10 } } ]}. Every phase's optimizer keeps its own state,
 * starting fresh at its first step, as the thesis's switch constructed a new optimizer; the weights carry over.
 * Build one from a table with {@link Optimizers#fromTable}, or from phases already read with the constructor.
 */
public record SwitchingSpec(List<OptimizerPhase> phases) implements OptimizerSpec {

  /** The place its schedules' failures name: a switching spec is a manifest's optimizer table. */
  private static final String WHERE = "optimizer";

  public SwitchingSpec {
    phases = List.copyOf(phases);
    requirePhaseCount(phases.size());
    for (int i = 0; i < phases.size() - 1; i++) {
      requireInside(phases.get(i).epochs() != null, "phases[" + i + "]",
          "missing key 'epochs' (only the last phase may omit it: it runs to the end)");
    }
  }

  /** Also checked before a table's phases are read, so that a table of one phase hears that first. */
  static void requirePhaseCount(int count) {
    require(count >= 2, "phases lists %d phase%s; switching needs at least 2", count, count == 1 ? "" : "s");
  }

  /** The first epoch (0-based) of phase {@code phase}. */
  public long startEpoch(int phase) {
    long start = 0;
    for (int i = 0; i < phase; i++) {
      start += phases.get(i).epochs();
    }
    return start;
  }

  @Override
  public String type() {
    return "switching";
  }

  /** The table; phase schedules as given (laid over a run, {@code schedule(run).toTable()} resolves them). */
  @Override
  public Map<String, Object> toTable() {
    List<Map<String, Object>> list = new ArrayList<>();
    for (OptimizerPhase p : phases) {
      Map<String, Object> m = new LinkedHashMap<>();
      if (p.epochs() != null) {
        m.put("epochs", p.epochs());
      }
      m.put("optimizer", p.optimizer().toTable());
      if (p.schedule() != null) {
        m.put("schedule", p.schedule());
      }
      list.add(m);
    }
    return table(type(), "phases", list);
  }

  @Override
  public boolean usesNativeKernels() {
    return phases.stream().anyMatch(p -> p.optimizer().usesNativeKernels());
  }

  @Override
  public boolean needsNextBatch() {
    return phases.stream().anyMatch(p -> p.optimizer().needsNextBatch());
  }

  @Override
  public boolean usesRate() {
    return phases.stream().anyMatch(p -> p.optimizer().usesRate());
  }

  @Override
  public boolean acceptsMomentum() {
    return phases.stream().allMatch(p -> p.optimizer().acceptsMomentum());
  }

  /** The phases' schedules in sequence (constant 0 for phases that ignore the rate), laid over the run. */
  @Override
  public Optional<Schedule> schedule(RunLength run) {
    SequenceLayout layout = new SequenceLayout(Span.of(run));
    for (int i = 0; i < phases.size(); i++) {
      OptimizerPhase p = phases.get(i);
      String where = WHERE + ".phases[" + i + "]";
      Long iterations = p.epochs() == null ? null : Math.multiplyExact(p.epochs(), run.iterationsPerEpoch());
      layout.add(where, iterations, phaseRun -> p.schedule() == null
          ? new ConstantSchedule(0.0)
          : Schedules.fromTable(new Table(where + ".schedule", p.schedule()), phaseRun));
    }
    return Optional.of(layout.sequence(WHERE));
  }

  @Override
  public <T extends TFloating> TrainStep build(Ops tf, List<Variable<T>> variables, Operand<T> loss,
      Operand<T> nextLoss, Operand<? extends TNumber> learningRate, Operand<? extends TNumber> momentum,
      LossScale lossScale) {
    StepBuilder step = StepBuilder.of(tf, this, variables, loss, nextLoss, lossScale);
    List<TrainStep.PhaseOps> built = new ArrayList<>();
    for (int i = 0; i < phases.size(); i++) {
      // OptimizerPhase refuses a switching spec, so each phase's (sealed) spec is a single optimizer's.
      SingleOptimizerSpec single = (SingleOptimizerSpec) phases.get(i).optimizer();
      built.add(step.phase(single, "phase" + (i + 1) + "_" + single.type().replace('-', '_'), startEpoch(i),
          learningRate, momentum));
    }
    return step.step(built);
  }
}
