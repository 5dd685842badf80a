package superconv.optimizers;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/**
 * Global step j of a schedule-driven run, the one place that knows what is fed and fetched: the rate
 * {@code schedule.rate(j)} (and the momentum where the schedule cycles one) into their placeholders, the train op of
 * the phase that owns the epoch, the ops that must run with it (batch-norm statistics), and the diagnostics asked
 * for. The caller adds only its data (scalars or a batch) to the runner. Training, {@code bench} and {@code trace}
 * all step through it, so what they measure is what a run does.
 */
public final class ScheduledStep {

  /** What a step can fetch; everything else in {@link Values} stays NaN. */
  public enum Fetch {
    /** The loss of the step's batch (before the update). */
    LOSS,
    /** Whether that loss is finite: one bool, cheap enough to fetch every step. */
    LOSS_FINITE,
    /** The Euclidean norm of the whole update. */
    UPDATE_NORM,
    /** The calculated rates' Euclidean norm, for optimizers that calculate rates (else NaN). */
    RATE_NORM,
    /** The calculated rates' mean over all parameters, likewise. */
    RATE_MEAN
  }

  /** What one step fetched; NaN (or true for {@code lossFinite}) where it was not fetched. */
  public record Values(boolean lossFinite, double loss, double updateNorm, double rateNorm, double rateMean) {}

  private final TrainStep step;
  private final Schedule schedule;
  private final Placeholder<? extends TFloating> rate;
  private final Placeholder<? extends TFloating> momentum;
  private final Operand<? extends TFloating> loss;
  private final Operand<TBool> lossFinite;
  private final List<Op> alongside;

  private ScheduledStep(TrainStep step, Schedule schedule, Placeholder<? extends TFloating> rate,
      Placeholder<? extends TFloating> momentum, Operand<? extends TFloating> loss, Operand<TBool> lossFinite,
      List<Op> alongside) {
    this.step = step;
    this.schedule = schedule;
    this.rate = rate;
    this.momentum = momentum;
    this.loss = loss;
    this.lossFinite = lossFinite;
    this.alongside = List.copyOf(alongside);
  }

  /**
   * Builds {@code optimizer}'s train step over {@code variables}, with a scalar {@code learning_rate} placeholder of
   * {@code rateType} (and {@code momentum} where {@code schedule} cycles it) and a {@code loss_is_finite} op.
   *
   * @param nextLoss the loss of batch j+1 at the same weights when the optimizer needs it, else null
   * @param lossScale dynamic loss scaling (float16 compute), or null
   * @param alongside ops to run with every step (batch-norm statistics updates)
   */
  public static <T extends TFloating> ScheduledStep build(Ops tf, OptimizerSpec optimizer, Schedule schedule,
      List<Variable<T>> variables, Operand<T> loss, Operand<T> nextLoss, Class<? extends TFloating> rateType,
      LossScale lossScale, List<Op> alongside) {
    Placeholder<? extends TFloating> rate =
        tf.withName("learning_rate").placeholder(rateType, Placeholder.shape(Shape.scalar()));
    Placeholder<? extends TFloating> momentum = schedule.hasMomentum()
        ? tf.withName("momentum").placeholder(rateType, Placeholder.shape(Shape.scalar()))
        : null;
    TrainStep step = optimizer.build(tf, variables, loss, nextLoss, rate, momentum, lossScale);
    Operand<TBool> finite = tf.withName("loss_is_finite").math.isFinite(loss);
    return new ScheduledStep(step, schedule, rate, momentum, loss, finite, alongside);
  }

  /** The optimizer state to initialize and checkpoint (slots, counters, the loss scale). */
  public List<Variable<?>> stateVariables() {
    return step.stateVariables();
  }

  public Schedule schedule() {
    return schedule;
  }

  /** Whether the phase owning {@code epoch} calculates its rates (so the fed rate is not what it used). */
  public boolean calculatesRates(long epoch) {
    return step.phaseForEpoch(epoch).rateNorm().isPresent();
  }

  /**
   * Runs global step {@code j} of epoch {@code epoch} on {@code runner}, which already holds the step's data.
   */
  public Values run(Session.Runner runner, long j, long epoch, Set<Fetch> fetch) {
    Fed fed = prepare(runner, j, epoch);
    try {
      List<Fetched> order = fetched(epoch, fetch);
      order.forEach(f -> runner.fetch(f.tensor()));
      try (Result result = runner.run()) {
        return values(result, order);
      }
    } finally {
      fed.close();
    }
  }

  /** As {@link #run}, fetching only the loss, and traced: TensorFlow's per-op timings of the step. */
  public RunMetadata trace(Session.Runner runner, long j, long epoch) {
    Fed fed = prepare(runner, j, epoch);
    try {
      runner.setOptions(RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build());
      runner.fetch(loss);
      try (Result result = runner.runAndFetchMetadata()) {
        return result.getMetadata().orElseThrow();
      }
    } finally {
      fed.close();
    }
  }

  /** The rate and momentum tensors of one step, closed once the step has run. */
  private record Fed(List<Tensor> tensors) implements AutoCloseable {
    @Override
    public void close() {
      tensors.forEach(Tensor::close);
    }
  }

  private Fed prepare(Session.Runner runner, long j, long epoch) {
    List<Tensor> tensors = new ArrayList<>(2);
    Fed fed = new Fed(tensors);
    tensors.add(scalar(rate, schedule.rate(j)));
    runner.feed(rate, tensors.get(0));
    if (momentum != null) {
      tensors.add(scalar(momentum, schedule.momentum(j).orElseThrow()));
      runner.feed(momentum, tensors.get(1));
    }
    // The same ops as targets(epoch), added without building that list every step.
    runner.addTarget(step.phaseForEpoch(epoch).trainOp());
    alongside.forEach(runner::addTarget);
    return fed;
  }

  /** The placeholders {@link #run} feeds: the rate, and the momentum where the schedule cycles one. */
  public List<Placeholder<? extends TFloating>> feeds() {
    return momentum == null ? List.of(rate) : List.of(rate, momentum);
  }

  /** The ops {@link #run} runs in {@code epoch}: the train op of the phase owning it, then the ops alongside. */
  public List<Op> targets(long epoch) {
    List<Op> targets = new ArrayList<>();
    targets.add(step.phaseForEpoch(epoch).trainOp());
    targets.addAll(alongside);
    return targets;
  }

  /** The tensors {@link #run} fetches in {@code epoch} for {@code fetch}, in the order it fetches them. */
  public List<Operand<?>> fetches(long epoch, Set<Fetch> fetch) {
    return fetched(epoch, fetch).stream().<Operand<?>>map(Fetched::tensor).toList();
  }

  /** One fetched tensor and what it is. */
  private record Fetched(Fetch what, Operand<?> tensor) {}

  private List<Fetched> fetched(long epoch, Set<Fetch> fetch) {
    TrainStep.PhaseOps phase = step.phaseForEpoch(epoch);
    List<Fetched> order = new ArrayList<>(4);
    // Fetched in a fixed order, so the result's indices follow from the set alone.
    for (Fetch f : fetch.isEmpty() ? EnumSet.noneOf(Fetch.class) : EnumSet.copyOf(fetch)) {
      switch (f) {
        case LOSS -> order.add(new Fetched(f, loss));
        case LOSS_FINITE -> order.add(new Fetched(f, lossFinite));
        case UPDATE_NORM -> order.add(new Fetched(f, phase.updateNorm()));
        case RATE_NORM, RATE_MEAN -> {
          Optional<Operand<TFloat64>> rates = f == Fetch.RATE_NORM ? phase.rateNorm() : phase.rateMean();
          rates.ifPresent(r -> order.add(new Fetched(f, r)));
        }
      }
    }
    return order;
  }

  private static Values values(Result result, List<Fetched> order) {
    boolean finite = true;
    double lossValue = Double.NaN;
    double updateNorm = Double.NaN;
    double rateNorm = Double.NaN;
    double rateMean = Double.NaN;
    int i = 0;
    for (Fetched f : order) {
      switch (f.what()) {
        case LOSS -> lossValue = number(result.get(i++));
        case LOSS_FINITE -> finite = ((TBool) result.get(i++)).getBoolean();
        case UPDATE_NORM -> updateNorm = number(result.get(i++));
        case RATE_NORM -> rateNorm = number(result.get(i++));
        case RATE_MEAN -> rateMean = number(result.get(i++));
      }
    }
    return new Values(finite, lossValue, updateNorm, rateNorm, rateMean);
  }

  private static Tensor scalar(Placeholder<? extends TFloating> placeholder, double value) {
    return placeholder.type() == TFloat64.class ? TFloat64.scalarOf(value) : TFloat32.scalarOf((float) value);
  }

  private static double number(Tensor t) {
    return t instanceof TFloat64 d ? d.getDouble() : ((TFloat32) t).getFloat();
  }
}
