package superconv.optimizers;

import static superconv.optimizers.Specs.require;
import static superconv.optimizers.Specs.requireParameter;
import static superconv.optimizers.Specs.table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.framework.optimizers.Optimizer.GradAndVar;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;
import org.tensorflow.types.family.TNumber;
import org.tensorflow.types.family.TType;

/**
 * The optimizers and their TOML tables, e.g. {@code { type = "sgd", momentum = 0.9, nesterov = true }}. Start here:
 * {@link #fromTable} validates a table into an {@link OptimizerSpec}; {@link #schedule} resolves the schedule a run
 * feeds it; {@link OptimizerSpec#build} makes the {@link TrainStep}.
 */
public final class Optimizers {

  /** The valid {@code type} values. */
  public static final List<String> TYPES =
      List.of("sgd", "adam", "cus-adam", "simple-adasecant", "adasecant", "switching");

  private Optimizers() {}

  /** Reads an optimizer table; messages are prefixed with {@code optimizer}. */
  public static OptimizerSpec fromTable(Map<String, ?> table) {
    return fromTable(new Table("optimizer", table));
  }

  /** Reads an optimizer table; messages are prefixed with {@code where}. */
  public static OptimizerSpec fromTable(String where, Map<String, ?> table) {
    return fromTable(new Table(where, table));
  }

  static OptimizerSpec fromTable(Table t) {
    String type = t.choice("type", TYPES);
    return t.locate(() -> switch (type) {
        case "sgd" -> {
          t.allowOnly(Set.of("type", "momentum", "nesterov", "weight_decay"));
          yield new Sgd(t.number("momentum", 0.0), t.bool("nesterov", false), t.number("weight_decay", 0.0));
        }
        case "adam", "cus-adam" -> {
          t.allowOnly(Set.of("type", "beta1", "beta2", "epsilon"));
          yield new Adam(t.number("beta1", 0.9), t.number("beta2", 0.999), t.number("epsilon", 1e-8),
              type.equals("adam"));
        }
        case "simple-adasecant" -> {
          t.allowOnly(Set.of("type", "threshold"));
          yield new SimpleAdaSecant(t.number("threshold", Double.POSITIVE_INFINITY));
        }
        case "adasecant" -> {
          t.allowOnly(Set.of("type"));
          yield new AdaSecant();
        }
        case "switching" -> {
          t.allowOnly(Set.of("type", "phases"));
          yield switching(t);
        }
        default -> throw new AssertionError(type);
      });
  }

  private static Switching switching(Table t) {
    List<Table> tables = t.tables("phases");
    if (tables.size() < 2) {
      throw t.fail("phases lists " + tables.size() + " phase; switching needs at least 2");
    }
    List<Switching.Phase> phases = new ArrayList<>();
    long start = 0;
    for (int i = 0; i < tables.size(); i++) {
      Table p = tables.get(i);
      p.allowOnly(Set.of("epochs", "optimizer", "schedule"));
      boolean last = i == tables.size() - 1;
      Long epochs = null;
      if (p.has("epochs")) {
        epochs = p.positiveInteger("epochs");
      } else if (!last) {
        throw p.fail("missing key 'epochs' (only the last phase may omit it: it runs to the end)");
      }
      OptimizerSpec optimizer = fromTable(p.table("optimizer"));
      if (optimizer instanceof Switching) {
        throw p.fail("a phase cannot itself be a switching optimizer");
      }
      Map<String, Object> schedule = p.has("schedule") ? p.table("schedule").map() : null;
      if (schedule == null && optimizer.usesRate()) {
        throw p.fail("missing key 'schedule': " + optimizer.type() + " uses the fed learning rate");
      }
      phases.add(new Switching.Phase(start, epochs, optimizer, schedule));
      start += epochs == null ? 0 : epochs;
    }
    return new Switching(phases);
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
      schedule = new Schedules.Constant(0.0);
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
  public static <T extends TType> List<Output<?>> gradients(Ops tf, Operand<T> loss, List<? extends Operand<?>> variables) {
    Graph graph = (Graph) tf.scope().env();
    Output<?>[] xs = new Output<?>[variables.size()];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = variables.get(i).asOutput();
    }
    refuseRefInputs(loss);
    // An explicit fresh prefix: a second default-prefixed call on one graph crashes TensorFlow's C++ builder.
    Output<?>[] grads = graph.addGradients(freshPrefix(graph), new Output<?>[] {loss.asOutput()}, xs, null);
    List<Output<?>> out = new ArrayList<>();
    for (int i = 0; i < grads.length; i++) {
      if (grads[i] == null) {
        throw new IllegalArgumentException("the loss does not depend on variable " + xs[i].op().name());
      }
      out.add(grads[i]);
    }
    return out;
  }

  /**
   * Ops whose C++ gradient casts to its input's type: fed straight from a VariableV2 that type is a reference
   * (float_ref) and TensorFlow 2.18 fails (Pow) or crashes the JVM (Square).
   */
  private static final Set<String> NEED_VALUE_INPUTS = Set.of("Square", "Pow");

  /** Finds such ops on the loss's inputs, naming op and variable, before TensorFlow would crash on them. */
  private static void refuseRefInputs(Operand<?> loss) {
    java.util.ArrayDeque<org.tensorflow.GraphOperation> queue = new java.util.ArrayDeque<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    if (loss.op() instanceof org.tensorflow.GraphOperation root) {
      queue.add(root);
    }
    while (!queue.isEmpty()) {
      org.tensorflow.GraphOperation op = queue.poll();
      if (!seen.add(op.name())) {
        continue;
      }
      for (int i = 0; i < op.numInputs(); i++) {
        if (!(op.input(i).op() instanceof org.tensorflow.GraphOperation input)) {
          continue;
        }
        if (NEED_VALUE_INPUTS.contains(op.type()) && input.type().equals("VariableV2")) {
          throw new IllegalArgumentException(String.format(
              "the loss applies %s (op '%s') directly to variable '%s': TensorFlow's gradient of %s fails on a "
                  + "variable reference; read the variable through tf.identity(...) first (or use tf.math.mul(w, w))",
              op.type(), op.name(), input.name(), op.type()));
        }
        queue.add(input);
      }
    }
  }

  /** "gradients", "gradients_1", ...: the first prefix no operation of the graph uses yet. */
  private static synchronized String freshPrefix(Graph graph) {
    java.util.Set<String> taken = new java.util.HashSet<>();
    graph.operations().forEachRemaining(op -> {
      String name = op.name();
      int slash = name.indexOf('/');
      taken.add(slash < 0 ? name : name.substring(0, slash));
    });
    String prefix = "gradients";
    for (int i = 1; taken.contains(prefix); i++) {
      prefix = "gradients_" + i;
    }
    return prefix;
  }

  /**
   * A single optimizer: builds its {@link SuperconvOptimizer}. By default it is driven by the fed rate and momentum and
   * needs one batch a step, as SGD and Adam are; the AdaSecant variants override what differs.
   */
  sealed interface Single extends OptimizerSpec permits Sgd, Adam, CalculatedRate {
    @Override
    default boolean needsNextBatch() {
      return false;
    }

    @Override
    default boolean usesRate() {
      return true;
    }

    @Override
    default boolean acceptsMomentum() {
      return true;
    }

    SuperconvOptimizer create(Ops tf, String name, Operand<? extends TNumber> learningRate,
        Operand<? extends TNumber> momentum);

    @Override
    default <T extends TFloating> TrainStep build(Ops tf, List<Variable<T>> variables, Operand<T> loss,
        Operand<T> nextLoss, Operand<? extends TNumber> learningRate, Operand<? extends TNumber> momentum,
        LossScale lossScale) {
      Gradients g = Gradients.of(tf, this, variables, loss, nextLoss, lossScale);
      TrainStep.PhaseOps phase = phase(this, tf, "optimizer", 0, g, learningRate, momentum);
      return new TrainStep(List.of(phase), g.state);
    }
  }

  /** The gradients of one step, shared by all phases. */
  private record Gradients(List<GradAndVar<? extends TType>> pairs, List<Output<?>> next, List<Op> losses,
      List<Variable<?>> state, Scaling scaling) {
    static <T extends TFloating> Gradients of(Ops tf, OptimizerSpec spec, List<Variable<T>> variables, Operand<T> loss,
        Operand<T> nextLoss, LossScale lossScale) {
      if (variables.isEmpty()) {
        throw new IllegalArgumentException("no trainable variables to optimize");
      }
      if (spec.needsNextBatch() && nextLoss == null) {
        throw new IllegalArgumentException(spec.type() + " needs the loss of the next batch (nextLoss)");
      }
      Scaling scaling = lossScale == null ? null : new Scaling(tf.withSubScope("loss_scale"), lossScale);
      List<Output<?>> grads = scaling == null ? gradients(tf, loss, variables) : scaling.gradients(loss, variables);
      List<GradAndVar<? extends TType>> pairs = new ArrayList<>();
      for (int i = 0; i < variables.size(); i++) {
        pairs.add(pair(grads.get(i), variables.get(i).asOutput()));
      }
      List<Output<?>> next = !spec.needsNextBatch() ? null
          : scaling == null ? gradients(tf, nextLoss, variables) : scaling.gradients(nextLoss, variables);
      List<Op> losses = spec.needsNextBatch() ? List.of(loss, nextLoss) : List.of(loss);
      List<Variable<?>> state = new ArrayList<>();
      if (scaling != null) {
        state.addAll(List.of(scaling.scale, scaling.goodSteps));
      }
      return new Gradients(pairs, next, losses, state, scaling);
    }

    @SuppressWarnings("unchecked")
    private static <T extends TType> GradAndVar<T> pair(Output<?> gradient, Output<T> variable) {
      return new GradAndVar<>((Output<T>) gradient, variable);
    }
  }

  /**
   * Dynamic loss scaling (see {@link LossScale}): gradients of {@code loss * scale} divided by the scale, whether
   * all of them are finite, and the scale's update after the step.
   */
  private static final class Scaling {
    private final Ops tf;
    private final LossScale config;
    final Variable<TFloat32> scale;
    final Variable<TFloat64> goodSteps;
    private final List<Operand<TBool>> finiteParts = new ArrayList<>();
    private Operand<TBool> finite;

    Scaling(Ops tf, LossScale config) {
      this.tf = tf;
      this.config = config;
      Ops init = tf.withInitScope();
      scale = init.withName("scale").variable(init.constant((float) config.initial()));
      goodSteps = init.withName("good_steps").variable(init.constant(0.0));
    }

    <T extends TFloating> List<Output<?>> gradients(Operand<T> loss, List<Variable<T>> variables) {
      Operand<T> scaled = tf.math.mul(loss, tf.dtypes.cast(scale, loss.type()));
      List<Output<?>> out = new ArrayList<>();
      for (Output<?> g : Optimizers.gradients(tf, scaled, variables)) {
        Output<?> unscaled = unscale(g);
        finiteParts.add(tf.reduceAll(
            tf.math.isFinite(tf.reshape(asFloating(unscaled), tf.constant(new long[] {-1}))), tf.constant(0)));
        out.add(unscaled);
      }
      return out;
    }

    @SuppressWarnings("unchecked")
    private <G extends TType> Output<G> unscale(Output<G> g) {
      Operand<TFloating> value = (Operand<TFloating>) (Operand<?>) g;
      return (Output<G>) (Output<?>) tf.math.div(value, tf.dtypes.cast(scale, value.type())).asOutput();
    }

    @SuppressWarnings("unchecked")
    private static Operand<TFloating> asFloating(Output<?> g) {
      return (Operand<TFloating>) (Operand<?>) g;
    }

    /** True when every gradient of the step (and of the next batch) is finite. */
    Operand<TBool> finite() {
      if (finite == null) {
        finite = tf.withName("all_finite").reduceAll(tf.stack(finiteParts), tf.constant(0));
      }
      return finite;
    }

    /** After {@code step}: grow the scale after enough finite steps, halve it (and restart counting) on overflow. */
    Op update(Op step) {
      Ops after = tf.withControlDependencies(List.of(step));
      Operand<TFloat64> counted = after.math.add(goodSteps, after.constant(1.0));
      Operand<TBool> grow = after.math.greaterEqual(counted, after.constant((double) config.growthInterval()));
      Operand<TFloat32> factor = after.constant((float) config.factor());
      Operand<TFloat32> newScale = after.select(finite(),
          after.select(grow, after.math.mul(scale, factor), scale),
          after.math.maximum(after.math.div(scale, factor), after.constant(1f)));
      Operand<TFloat64> newCount = after.select(finite(), after.select(grow, after.constant(0.0), counted),
          after.constant(0.0));
      return after.withName("update").withControlDependencies(List.of(
          after.assign(scale, newScale), after.assign(goodSteps, newCount))).noOp();
    }
  }

  private static TrainStep.PhaseOps phase(Single spec, Ops tf, String name, long startEpoch, Gradients g,
      Operand<? extends TNumber> learningRate, Operand<? extends TNumber> momentum) {
    SuperconvOptimizer optimizer = spec.create(tf, name, learningRate, spec.acceptsMomentum() ? momentum : null);
    if (g.scaling() != null) {
      optimizer.applyOnlyIf(g.scaling().finite());
    }
    Op op = optimizer.applyGradients(g.pairs(), spec.needsNextBatch() ? g.next() : null, g.losses(), "train");
    if (g.scaling() != null) {
      op = tf.withSubScope(name).withName("train_and_rescale").withControlDependencies(List.of(op, g.scaling().update(op)))
          .noOp();
    }
    g.state().addAll(optimizer.stateVariables());
    return new TrainStep.PhaseOps(startEpoch, spec.type(), op, optimizer.updateNorm(), optimizer.rateNorm(),
        optimizer.rateMean());
  }

  /** {@code { type = "sgd", momentum = 0, nesterov = false, weight_decay = 0 }}: PyTorch's SGD. */
  public record Sgd(double momentum, boolean nesterov, double weightDecay) implements Single {
    public Sgd {
      requireParameter(momentum >= 0 && momentum < 1, "momentum", momentum, "a number in [0, 1)");
      requireParameter(weightDecay >= 0 && Double.isFinite(weightDecay), "weight_decay", weightDecay,
          "a finite number >= 0");
      require(!nesterov || momentum > 0, "nesterov = true is not allowed with momentum = 0: expected momentum > 0");
    }

    @Override
    public String type() {
      return "sgd";
    }

    @Override
    public Map<String, Object> toTable() {
      return table(type(), "momentum", momentum, "nesterov", nesterov, "weight_decay", weightDecay);
    }

    @Override
    public SuperconvOptimizer create(Ops tf, String name, Operand<? extends TNumber> learningRate,
        Operand<? extends TNumber> fedMomentum) {
      return new SgdOptimizer(tf, name, learningRate, fedMomentum, momentum, nesterov, weightDecay);
    }
  }

  /**
   * {@code { type = "adam", beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8 }}: PyTorch's Adam; type {@code cus-adam}
   * ({@code firstMomentCorrection} false) drops the first moment's bias correction (thesis 3.2).
   */
  public record Adam(double beta1, double beta2, double epsilon, boolean firstMomentCorrection) implements Single {
    public Adam {
      requireParameter(beta1 >= 0 && beta1 < 1, "beta1", beta1, "a number in [0, 1)");
      requireParameter(beta2 >= 0 && beta2 < 1, "beta2", beta2, "a number in [0, 1)");
      requireParameter(epsilon > 0 && Double.isFinite(epsilon), "epsilon", epsilon, "a finite number > 0");
    }

    @Override
    public String type() {
      return firstMomentCorrection ? "adam" : "cus-adam";
    }

    @Override
    public Map<String, Object> toTable() {
      return table(type(), "beta1", beta1, "beta2", beta2, "epsilon", epsilon);
    }

    @Override
    public SuperconvOptimizer create(Ops tf, String name, Operand<? extends TNumber> learningRate,
        Operand<? extends TNumber> fedMomentum) {
      return new AdamOptimizer(tf, name, learningRate, fedMomentum, beta1, beta2, epsilon, firstMomentCorrection);
    }
  }

  /** The AdaSecant variants: they compute their own per-element rates, so the fed rate and momentum are ignored. */
  sealed interface CalculatedRate extends Single permits SimpleAdaSecant, AdaSecant {
    @Override
    default boolean usesRate() {
      return false;
    }

    @Override
    default boolean usesNativeKernels() {
      return true;
    }

    @Override
    default boolean acceptsMomentum() {
      return false;
    }
  }

  /** {@code { type = "simple-adasecant", threshold = 10 }} (threshold +inf when absent): thesis Alg. 3.2. */
  public record SimpleAdaSecant(double threshold) implements CalculatedRate {
    public SimpleAdaSecant {
      require(threshold > 0, "threshold = %s is not allowed: expected a number > 0 (inf for none)", threshold);
    }

    @Override
    public String type() {
      return "simple-adasecant";
    }

    @Override
    public Map<String, Object> toTable() {
      return table(type(), "threshold", threshold);
    }

    @Override
    public SuperconvOptimizer create(Ops tf, String name, Operand<? extends TNumber> learningRate,
        Operand<? extends TNumber> fedMomentum) {
      return new SimpleAdaSecantOptimizer(tf, name, learningRate, threshold);
    }
  }

  /** {@code { type = "adasecant" }}: thesis Alg. 3.1 with the decisions of 3.3; needs the next batch's loss. */
  public record AdaSecant() implements CalculatedRate {
    @Override
    public String type() {
      return "adasecant";
    }

    @Override
    public Map<String, Object> toTable() {
      return table(type());
    }

    @Override
    public boolean needsNextBatch() {
      return true;
    }

    @Override
    public SuperconvOptimizer create(Ops tf, String name, Operand<? extends TNumber> learningRate,
        Operand<? extends TNumber> fedMomentum) {
      return new AdaSecantOptimizer(tf, name, learningRate);
    }
  }

  /**
   * Thesis 4.5.2: phases, each an optimizer with its schedule for a number of epochs, e.g.
   * {@code phases = [ { epochs = 13, optimizer = { type = "sgd" }, schedule = { type = "triangular", ... } },
   * { optimizer = { type = "simple-adasecant", threshold = 10 } } ]}. Every phase's optimizer keeps its own state,
   * starting fresh at its first step, as the thesis's switch constructed a new optimizer; the weights carry over.
   */
  public record Switching(List<Phase> phases) implements OptimizerSpec {

    /**
     * A phase from epoch {@code startEpoch} for {@code epochs} (null: to the end of the run); {@code schedule} the
     * raw table (null for optimizers that ignore the rate), validated when laid over a run.
     */
    public record Phase(long startEpoch, Long epochs, OptimizerSpec optimizer, Map<String, Object> schedule) {
      public Phase {
        schedule = schedule == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(schedule));
      }
    }

    public Switching {
      phases = List.copyOf(phases);
      require(phases.size() >= 2, "phases: switching needs at least 2 phases");
      for (int i = 0; i < phases.size() - 1; i++) {
        require(phases.get(i).epochs() != null, "phases[%d]: only the last phase may omit epochs", i);
      }
    }

    @Override
    public String type() {
      return "switching";
    }

    /** The table; phase schedules as given (laid over a run, {@code schedule(run).toTable()} resolves them). */
    @Override
    public Map<String, Object> toTable() {
      List<Map<String, Object>> list = new ArrayList<>();
      for (Phase p : phases) {
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
      List<Object> parts = new ArrayList<>();
      for (Phase p : phases) {
        Map<String, Object> part = new LinkedHashMap<>();
        if (p.epochs() != null) {
          part.put("epochs", p.epochs());
        }
        part.put("schedule", p.schedule() != null ? p.schedule() : Map.of("type", "constant", "lr", 0.0));
        parts.add(part);
      }
      Map<String, Object> sequence = new LinkedHashMap<>();
      sequence.put("type", "sequence");
      sequence.put("phases", parts);
      Table t = new Table("optimizer", sequence);
      return Optional.of(Schedules.sequence(t, "phases", run));
    }

    @Override
    public <T extends TFloating> TrainStep build(Ops tf, List<Variable<T>> variables, Operand<T> loss,
        Operand<T> nextLoss, Operand<? extends TNumber> learningRate, Operand<? extends TNumber> momentum,
        LossScale lossScale) {
      Gradients g = Gradients.of(tf, this, variables, loss, nextLoss, lossScale);
      List<TrainStep.PhaseOps> built = new ArrayList<>();
      for (int i = 0; i < phases.size(); i++) {
        Phase p = phases.get(i);
        Single single = (Single) p.optimizer();
        built.add(phase(single, tf, "phase" + (i + 1) + "_" + single.type().replace('-', '_'), p.startEpoch(), g,
            learningRate, momentum));
      }
      return new TrainStep(built, g.state());
    }
  }
}
