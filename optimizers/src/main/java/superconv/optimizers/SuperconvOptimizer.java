package superconv.optimizers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.OperationBuilder;
import org.tensorflow.Output;
import org.tensorflow.framework.optimizers.Optimizer;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TNumber;
import org.tensorflow.types.family.TType;

/**
 * The common ground of superconv's optimizers: a direct subclass of TensorFlow Framework's {@link Optimizer} whose
 * learning rate (and, where used, momentum) is an {@code Operand} the training loop feeds every step (the AdaSecant
 * variants, which calculate their own rates, take it and ignore it), which updates an explicit list of variables,
 * whose state lives in variables it lists ({@link #stateVariables()}) for initialization and checkpoints, and which
 * reports diagnostics as tensors of the step just taken.
 *
 * <p>The framework drives the build: {@code applyGradients} calls {@link #createSlots}, {@link #prepare}, one
 * {@link #applyDense} per variable and {@link #finish}. Subclasses compute every new value first and commit them
 * with {@link #commit}: all assignments wait until the loss and every gradient of the step (and every new value of
 * the same variable) have been computed, so no loss, gradient or state read ever sees a half-updated step (TF1's
 * GATE_GRAPH). One instance builds one train op.
 */
public abstract class SuperconvOptimizer extends Optimizer {

  private final String name;
  /** Ops for everything this optimizer adds: the caller's scope (device, ...) under the optimizer's sub-scope. */
  protected final Ops ops;
  private final Operand<? extends TNumber> learningRate;
  private final Operand<? extends TNumber> momentum;
  private final List<Variable<?>> state = new ArrayList<>();
  private final Map<String, Variable<?>> slots = new HashMap<>();
  private final Map<Class<?>, Operand<?>> castRates = new HashMap<>();
  private final Map<Class<?>, Operand<?>> castMomenta = new HashMap<>();
  private final List<Operand<TFloat64>> updateSquares = new ArrayList<>();
  private final List<Operand<TFloat64>> rateSums = new ArrayList<>();
  private final List<Operand<TFloat64>> rateSquares = new ArrayList<>();
  private long rateCount;
  private Map<String, Output<?>> nextGradients = Map.of();
  private Op gradientsReady;
  private Operand<TFloat64> updateNorm;
  private Operand<TFloat64> rateNorm;
  private Operand<TFloat64> rateMean;
  /** When set (loss scaling), every state change of the step happens only where this is true. */
  private Operand<TBool> applyIf;
  private Variable<TFloat64> stepCounter;

  /**
   * @param tf the caller's ops (its device scope is kept)
   * @param name the sub-scope of this optimizer's ops and variables
   * @param learningRate the fed learning rate, a scalar of any floating type
   * @param momentum the fed momentum (SGD's mu, Adam's beta1), or null to use the configured constant
   */
  protected SuperconvOptimizer(Ops tf, String name, Operand<? extends TNumber> learningRate,
      Operand<? extends TNumber> momentum) {
    super(graphOf(tf), name);
    this.name = name;
    this.ops = tf.withSubScope(name);
    this.learningRate = learningRate;
    this.momentum = momentum;
  }

  private static Graph graphOf(Ops tf) {
    if (!(tf.scope().env() instanceof Graph graph)) {
      throw new IllegalArgumentException("optimizers build graphs: the Ops must be those of a Graph, not eager");
    }
    return graph;
  }

  @Override
  public String getOptimizerName() {
    return name;
  }

  /**
   * Refused: the framework's version differentiates every {@code VariableV2} of the graph, which would reach
   * batch-norm statistics and the resident data set. Compute gradients for an explicit variable list with
   * {@link Optimizers#gradients} (or let {@link OptimizerSpec#build} do it) and call {@link #applyGradients}.
   */
  @Override
  public <T extends TType> List<GradAndVar<?>> computeGradients(Operand<?> loss) {
    throw new UnsupportedOperationException(name + ": gradients over every variable of the graph are refused; "
        + "use Optimizers.gradients(tf, loss, variables) for an explicit variable list and applyGradients, or OptimizerSpec.build");
  }

  /**
   * Builds the update of {@code gradsAndVars} (g, theta pairs); {@code nextGradients} (g' on the next batch, same
   * order) only for optimizers that need it, else null. Returns the train op.
   */
  public Op applyGradients(List<GradAndVar<? extends TType>> gradsAndVars, List<Output<?>> nextGradients, String opName) {
    return applyGradients(gradsAndVars, nextGradients, List.of(), opName);
  }

  /**
   * As {@link #applyGradients(List, List, String)}, and no assignment runs before the ops {@code before} either:
   * pass the loss (and the next batch's loss) so that a loss fetched in the same run as the train op is always the
   * loss before the update, even where no gradient needs the loss op itself.
   */
  public Op applyGradients(List<GradAndVar<? extends TType>> gradsAndVars, List<Output<?>> nextGradients,
      List<? extends Op> before, String opName) {
    if (gradientsReady != null) {
      throw new IllegalStateException(name + " already built its train op; create another optimizer for another");
    }
    List<Op> gate = new ArrayList<>(before);
    for (GradAndVar<? extends TType> pair : gradsAndVars) {
      gate.add(pair.getGradient());
    }
    Map<String, Output<?>> next = new HashMap<>();
    if (nextGradients != null) {
      if (nextGradients.size() != gradsAndVars.size()) {
        throw new IllegalArgumentException(
            nextGradients.size() + " next-batch gradients for " + gradsAndVars.size() + " variables");
      }
      for (int i = 0; i < nextGradients.size(); i++) {
        next.put(gradsAndVars.get(i).getVariable().op().name(), nextGradients.get(i));
        gate.add(nextGradients.get(i));
      }
    }
    this.nextGradients = next;
    this.gradientsReady = ops.withControlDependencies(gate).withName("gradients_ready").noOp();
    return super.applyGradients(gradsAndVars, opName);
  }

  /** The framework's entry point: {@link #applyGradients(List, List, String)} without next-batch gradients. */
  @Override
  public Op applyGradients(List<GradAndVar<? extends TType>> gradsAndVars, String opName) {
    return applyGradients(gradsAndVars, null, opName);
  }

  @Override
  protected void createSlots(List<Output<? extends TType>> variables) {
    for (Output<? extends TType> v : variables) {
      if (v.shape().isUnknown() || v.shape().hasUnknownDimension()) {
        throw new IllegalArgumentException("variable " + v.op().name() + " has no fully known shape: " + v.shape());
      }
      createSlotsFor(v);
    }
  }

  /**
   * Makes the whole step conditional: where {@code condition} is false (a loss-scaled step whose gradients
   * overflowed) every assignment keeps the old value, so the step is skipped exactly. Call before applyGradients.
   */
  void applyOnlyIf(Operand<TBool> condition) {
    this.applyIf = condition;
  }

  /** {@code value}, or {@code old} where the step is skipped (see {@link #applyOnlyIf}). */
  protected <T extends TType> Operand<T> unlessSkipped(Operand<T> value, Operand<T> old) {
    return applyIf == null ? value : ops.select(applyIf, value, old);
  }

  /** Creates the per-variable state of {@code variable} with {@link #slot}. */
  protected abstract <T extends TType> void createSlotsFor(Output<T> variable);

  /** A state variable shaped like {@code variable}, initialized to {@code initial} everywhere, listed in the state. */
  protected <T extends TType> Variable<T> slot(Output<T> variable, String slotName, double initial) {
    Ops init = ops.withInitScope();
    Operand<T> value = init.fill(init.constant(variable.shape()), init.dtypes.cast(init.constant(initial), variable.type()));
    Variable<T> slot = init.withName(variable.op().name().replace('/', '_') + "-" + slotName).variable(value);
    slots.put(variable.op().name() + "\u0000" + slotName, slot);
    state.add(slot);
    return slot;
  }

  /** The slot made by {@link #slot} for this variable. */
  @SuppressWarnings("unchecked")
  protected <T extends TType> Variable<T> slotOf(Output<T> variable, String slotName) {
    Variable<?> slot = slots.get(variable.op().name() + "\u0000" + slotName);
    if (slot == null) {
      throw new IllegalStateException("no slot " + slotName + " for " + variable.op().name());
    }
    return (Variable<T>) slot;
  }

  /** A scalar float64 state variable of the optimizer as a whole (e.g. the step counter), listed in the state. */
  protected Variable<TFloat64> globalState(String stateName, double initial) {
    Ops init = ops.withInitScope();
    Variable<TFloat64> v = init.withName(stateName).variable(init.constant(initial));
    state.add(v);
    return v;
  }

  /**
   * Creates the step counter, "step" in the state, which {@link #afterUpdates} advances by one after every step that
   * is not skipped: 0 during the first step. Call from {@link #prepare}.
   */
  protected Variable<TFloat64> stepCounter() {
    stepCounter = globalState("step", 0.0);
    return stepCounter;
  }

  /** g' of the next batch for this variable; only when the optimizer was given next-batch gradients. */
  @SuppressWarnings("unchecked")
  protected <T extends TType> Output<T> nextGradient(Output<T> variable) {
    Output<?> g = nextGradients.get(variable.op().name());
    if (g == null) {
      throw new IllegalStateException(name + " needs the gradient of the next batch (nextLoss) for " + variable.op().name());
    }
    return (Output<T>) g;
  }

  /** The fed learning rate as type T. */
  @SuppressWarnings("unchecked")
  protected <T extends TType> Operand<T> learningRate(Class<T> type) {
    return (Operand<T>) castRates.computeIfAbsent(type, t -> ops.dtypes.cast(learningRate, type));
  }

  /** Whether a momentum is fed (a schedule with cyclical momentum). */
  protected boolean momentumFed() {
    return momentum != null;
  }

  /** The fed momentum as type T; only when {@link #momentumFed()}. */
  @SuppressWarnings("unchecked")
  protected <T extends TType> Operand<T> fedMomentum(Class<T> type) {
    if (momentum == null) {
      throw new IllegalStateException("no momentum is fed");
    }
    return (Operand<T>) castMomenta.computeIfAbsent(type, t -> ops.dtypes.cast(momentum, type));
  }

  /** A scalar constant of type T. */
  protected <T extends TType> Operand<T> constant(double value, Class<T> type) {
    return ops.dtypes.cast(ops.constant(value), type);
  }

  /** One assignment of a new value to a state variable or parameter. */
  protected record Assignment<T extends TType>(Operand<T> target, Operand<T> value) {}

  /**
   * Assigns every new value after all gradients of the step and all of these values exist: no read of the old
   * state can come after a write. Returns the op that groups the assignments.
   */
  protected Op commit(List<Assignment<?>> assignments) {
    List<Op> ready = new ArrayList<>();
    ready.add(gradientsReady);
    List<Assignment<?>> kept = new ArrayList<>();
    for (Assignment<?> a : assignments) {
      kept.add(kept(a));
    }
    assignments = kept;
    for (Assignment<?> a : assignments) {
      ready.add(a.value());
    }
    Ops after = ops.withControlDependencies(ready);
    List<Op> assigns = new ArrayList<>();
    for (Assignment<?> a : assignments) {
      assigns.add(assign(after, a));
    }
    return ops.withControlDependencies(assigns).noOp();
  }

  /**
   * Ops that run only after all gradients of the step and the given values exist: for an update applied in place by a
   * fused kernel (ApplyGradientDescent), which reads and writes the variable in one op and so gets the same gating as
   * {@link #commit}.
   */
  protected Ops afterGradients(List<? extends Op> values) {
    List<Op> ready = new ArrayList<>();
    ready.add(gradientsReady);
    ready.addAll(values);
    return ops.withControlDependencies(ready);
  }

  private <T extends TType> Assignment<T> kept(Assignment<T> a) {
    return new Assignment<>(a.target(), unlessSkipped(a.value(), a.target()));
  }

  private static <T extends TType> Op assign(Ops after, Assignment<T> a) {
    return after.assign(a.target(), a.value());
  }

  /** Adds the update {@code delta} of one variable to the update-norm diagnostic. */
  protected <T extends TType> void recordUpdate(Operand<T> delta) {
    updateSquares.add(sumOfSquares(delta));
  }

  /** Adds the per-element calculated rates of one variable to the rate diagnostics. */
  protected <T extends TType> void recordRates(Operand<T> rates) {
    Operand<TFloat64> r = ops.dtypes.cast(rates, TFloat64.class);
    rateSums.add(sumAll(r));
    rateSquares.add(sumOfSquares(r));
    long size = rates.shape().size();
    if (size < 0) {
      throw new IllegalStateException("rates of unknown size: " + rates.shape());
    }
    rateCount += size;
  }

  /**
   * Whether {@link NativeKernels} can update this optimizer's variables: its ops are placed on a CPU explicitly (with
   * no device TensorFlow may place the variables on a GPU, where a CPU kernel would pull them across every step) and
   * the kernels are loaded. Each variable must also be float or double ({@link #nativeType}).
   */
  protected boolean nativeKernelsUsable() {
    String device = ops.scope().getDeviceString();
    return device != null && device.toUpperCase(Locale.ROOT).contains("CPU") && NativeKernels.loaded();
  }

  /** Whether the native kernels take variables of this type. */
  protected static boolean nativeType(Class<?> type) {
    return type == TFloat32.class || type == TFloat64.class;
  }

  /**
   * Updates {@code variable} with native kernel {@code opType} after every gradient of the step: its inputs are the
   * variable and the given slots (ref variables, updated in place), then {@code inputs}, then whether the step is
   * applied (false where a loss-scaled step is skipped); its output, float64[3], is the sum and sum of squares of the
   * variable's rates and the sum of squares of its update, which go to the diagnostics.
   */
  protected <T extends TType> Op applyNative(String opType, Output<T> variable, List<String> slots,
      List<Operand<?>> inputs) {
    OperationBuilder update = afterGradients(List.of()).scope().opBuilder(opType, "update").addInput(variable);
    for (String slot : slots) {
      update.addInput(slotOf(variable, slot).asOutput());
    }
    for (Operand<?> input : inputs) {
      update.addInput(input.asOutput());
    }
    Operation op = update.addInput((applyIf == null ? ops.constant(true) : applyIf).asOutput()).build();
    List<Output<TFloat64>> sums = ops.unstack(op.<TFloat64>output(0), 3L).output();
    rateSums.add(sums.get(0));
    rateSquares.add(sums.get(1));
    rateCount += variable.shape().size();
    updateSquares.add(sums.get(2));
    return ops.withControlDependencyOps(List.of(op)).noOp();
  }

  private <T extends TType> Operand<TFloat64> sumOfSquares(Operand<T> x) {
    Operand<TFloat64> d = ops.dtypes.cast(x, TFloat64.class);
    return sumAll(ops.math.square(d));
  }

  /**
   * The sum of all elements, whatever the (possibly unknown) static shape. The shape is int32, which TensorFlow keeps
   * in host memory where Reshape reads it; an int64 one would be copied from a GPU every step.
   */
  private Operand<TFloat64> sumAll(Operand<TFloat64> x) {
    return ops.reduceSum(ops.reshape(x, ops.constant(new int[] {-1})), ops.constant(0));
  }

  /** Ops to run after every variable's update, given those updates: advancing the {@link #stepCounter}, if any. */
  protected List<Op> afterUpdates(List<Op> updates) {
    return stepCounter == null ? List.of() : List.of(ops.withControlDependencies(updates)
        .assignAdd(stepCounter, unlessSkipped(ops.constant(1.0), ops.constant(0.0))));
  }

  @Override
  protected Op finish(List<Op> updateOperations, String opName) {
    List<Op> all = new ArrayList<>(updateOperations);
    all.addAll(afterUpdates(updateOperations));
    updateNorm = ops.withName("update_norm").math.sqrt(sum(updateSquares));
    if (!rateSums.isEmpty()) {
      rateNorm = ops.withName("rate_norm").math.sqrt(sum(rateSquares));
      rateMean = ops.withName("rate_mean").math.div(sum(rateSums), ops.constant((double) rateCount));
    }
    return ops.withControlDependencies(all).withName(opName).noOp();
  }

  private Operand<TFloat64> sum(List<Operand<TFloat64>> parts) {
    return parts.isEmpty() ? ops.constant(0.0) : parts.size() == 1 ? parts.get(0) : ops.math.addN(parts);
  }

  /** Every state variable this optimizer created (slots, counters), in creation order. */
  public List<Variable<?>> stateVariables() {
    return List.copyOf(state);
  }

  /** The Euclidean norm of the whole update of the step (fetch together with the train op). */
  public Operand<TFloat64> updateNorm() {
    if (updateNorm == null) {
      throw new IllegalStateException("build the train op first");
    }
    return updateNorm;
  }

  /** For optimizers that calculate their rates: the Euclidean norm of the per-element rate vector of the step. */
  public Optional<Operand<TFloat64>> rateNorm() {
    return Optional.ofNullable(rateNorm);
  }

  /** For optimizers that calculate their rates: the mean of the per-element rate vector of the step. */
  public Optional<Operand<TFloat64>> rateMean() {
    return Optional.ofNullable(rateMean);
  }
}
