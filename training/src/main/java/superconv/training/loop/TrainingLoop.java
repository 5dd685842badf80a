package superconv.training.loop;

import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.tensorflow.Session;
import superconv.datasets.ImageSet;
import superconv.graph.InputMode;
import superconv.graph.TrainingGraph;
import superconv.optimizers.ScheduledStep;
import superconv.optimizers.ScheduledStep.Fetch;
import superconv.training.run.EpochMetrics;
import superconv.training.run.PartialEpoch;
import superconv.training.run.RunProgress;

/**
 * The epochs and steps of one run, and nothing else: each step through {@link ScheduledStep}, an evaluation per
 * epoch (or every k steps, see {@link Evaluations}), and every event to the {@link TrainingListener}s, which write,
 * draw, checkpoint and record. Steps are pure functions of (seed, epoch, step) and the restored state, so a run resumed
 * after epoch k, or at step s of an epoch with that epoch's running sums, takes exactly the steps an uninterrupted run
 * takes from there and writes the same rows.
 */
public final class TrainingLoop {

  private static final Set<Fetch> FINITE_ONLY = EnumSet.of(Fetch.LOSS_FINITE);
  /**
   * What a step fetches when it reports its loss (every {@code loss_every} steps, every step of a phase that
   * calculates its rates); the other steps fetch only whether the loss is finite.
   */
  public static final Set<Fetch> WITH_LOSS = Set.copyOf(EnumSet.of(Fetch.LOSS_FINITE, Fetch.LOSS, Fetch.RATE_NORM));
  private static final TrainingGraph.Evaluation NOT_EVALUATED = new TrainingGraph.Evaluation(Double.NaN, Double.NaN, 0);

  /**
   * @param epochs the run's length
   * @param stepsPerEpoch iterations per epoch
   * @param batchSize images per step
   * @param lossEvery fetch the loss every k steps (and at the epoch's end)
   */
  public record Length(int epochs, int stepsPerEpoch, int batchSize, int lossEvery) {}

  /**
   * When the loop runs the evaluation tower over its test set.
   *
   * @param atEpochEnds after each epoch's last step: a run's validation, the accuracy of its {@link EpochEnd} row
   *     (NaN in that row where false)
   * @param everySteps also after every k-th step counted from global step 0 (global steps k - 1, 2k - 1, ...), each
   *     heard as a {@link StepEvaluation}; 0 for never
   */
  public record Evaluations(boolean atEpochEnds, int everySteps) {

    /** A run's: each epoch's end, nothing between. */
    public static final Evaluations EPOCH_ENDS = new Evaluations(true, 0);

    public Evaluations {
      if (everySteps < 0) {
        throw new IllegalArgumentException("evaluations every " + everySteps + " steps: k must be 0 (never) or more");
      }
    }

    /**
     * Every {@code k} steps and never at an epoch's end (no evaluation at all for 0): for explorations whose epochs
     * are no unit of their own (the range test), so that what is evaluated, and what it costs, is what was asked.
     */
    public static Evaluations every(int k) {
      return new Evaluations(false, k);
    }

    boolean after(long globalStep) {
      return everySteps > 0 && (globalStep + 1) % everySteps == 0;
    }
  }

  private final Session session;
  private final TrainingGraph model;
  private final ScheduledStep step;
  private final Length length;
  private final ImageSet train;
  private final ImageSet test;
  private final List<TrainingListener> listeners;
  private final StopCondition stop;
  private final Evaluations evaluations;
  private final MidEpochCheckpoints checkpoints;

  /**
   * A run's loop, checkpointing inside epochs as {@code checkpoints} says.
   *
   * @param train the training set, read per batch in host-fed input mode (resident data is already uploaded)
   * @param test the test set, likewise
   */
  public TrainingLoop(Session session, TrainingGraph model, ScheduledStep step, Length length, ImageSet train,
      ImageSet test, List<TrainingListener> listeners, MidEpochCheckpoints checkpoints) {
    this(session, model, step, length, train, test, listeners, StopCondition.NEVER, Evaluations.EPOCH_ENDS,
        checkpoints);
  }

  /**
   * An exploration's loop (not a run), ending early after the first step for which {@code stop} gives a reason, and
   * evaluating the test set as {@code evaluations} says.
   */
  public TrainingLoop(Session session, TrainingGraph model, ScheduledStep step, Length length, ImageSet train,
      ImageSet test, List<TrainingListener> listeners, StopCondition stop, Evaluations evaluations) {
    this(session, model, step, length, train, test, listeners, stop, evaluations, MidEpochCheckpoints.none());
  }

  private TrainingLoop(Session session, TrainingGraph model, ScheduledStep step, Length length, ImageSet train,
      ImageSet test, List<TrainingListener> listeners, StopCondition stop, Evaluations evaluations,
      MidEpochCheckpoints checkpoints) {
    this.stop = stop;
    this.evaluations = evaluations;
    this.checkpoints = checkpoints;
    this.session = session;
    this.model = model;
    this.step = step;
    this.length = length;
    this.train = train;
    this.test = test;
    this.listeners = List.copyOf(listeners);
  }

  /**
   * Trains from {@code from} (an epoch's end, or a mid-epoch checkpoint's step) to the last epoch, or to the step
   * whose loss diverges, or to the step after which the stop condition stops it or a stop is requested.
   *
   * @return the progress after the last completed epoch
   */
  public RunProgress run(RunProgress from) throws IOException {
    try {
      emit(l -> l.onStart(new RunStart(from, length.stepsPerEpoch(), length.epochs())));
      RunProgress progress = from.atEpochStart();
      PartialEpoch resumed = from.epoch();
      for (int epoch = from.epochsCompleted(); epoch < length.epochs(); epoch++) {
        RunProgress next = epoch(epoch, progress, resumed);
        resumed = PartialEpoch.NONE;
        if (next == null) {
          return progress;
        }
        progress = next;
        // A stop requested during an epoch's last step or its evaluation: the epoch's own checkpoint is the one.
        if (epoch + 1 < length.epochs() && checkpoints.stop().requested()) {
          interrupt(progress);
          return progress;
        }
      }
      RunProgress finished = progress;
      emit(l -> l.onFinish(finished));
      return progress;
    } catch (IOException | RuntimeException e) {
      listeners.forEach(l -> l.onFailure(e));
      throw e;
    }
  }

  /**
   * One epoch, from step {@code resumed.steps()} on with its sums; the progress after it, or null when the loss
   * diverged, the stop condition ended the loop or a requested stop interrupted it.
   */
  private RunProgress epoch(int epoch, RunProgress progress, PartialEpoch resumed) throws IOException {
    long started = System.nanoTime();
    emit(l -> l.onEpochStart(epoch));
    boolean calculated = step.calculatesRates(epoch);
    // Host-fed input gathers each batch in Java by the graph's own permutation of the epoch.
    int[] permutation = model.spec().inputMode() == InputMode.HOST_FED ? model.permutation(session, epoch) : null;
    int perEpoch = length.stepsPerEpoch();
    PartialEpoch sofar = resumed;
    double rate = Double.NaN;
    for (int s = resumed.steps(); s < perEpoch; s++) {
      long global = (long) epoch * perEpoch + s;
      // Calculated rates are recorded every iteration (thesis Figs. 4.18b, 4.22), so their phases fetch every
      // step; otherwise the loss comes back every loss_every steps and at the end of the epoch.
      boolean fetch = calculated || (s + 1) % length.lossEvery() == 0 || s == perEpoch - 1;
      ScheduledStep.Values values;
      try (TrainingGraph.StepFeed scalars = permutation == null ? model.feed(epoch, s) : null;
          TrainingGraph.HostFeed batch = permutation == null ? null : model.hostFeed(train, permutation, epoch, s)) {
        Session.Runner runner = batch == null ? scalars.apply(session.runner()) : batch.apply(session.runner());
        values = step.run(runner, global, epoch, fetch ? WITH_LOSS : FINITE_ONLY);
      }
      rate = calculated ? Double.NaN : step.schedule().rate(global);
      sofar = sofar.after(fetch && values.lossFinite(), values.loss(), values.rateNorm());
      StepEnd end = new StepEnd(epoch, s, global, rate, values, fetch, sofar.meanLoss());
      emit(l -> l.onStep(end));
      if (!values.lossFinite()) {
        Divergence divergence =
            new Divergence(global, epoch, fetch ? Double.toString(values.loss()) : "non-finite");
        emit(l -> l.onDivergence(divergence));
        return null;
      }
      if (evaluations.after(global)) {
        StepEvaluation evaluated = new StepEvaluation(global, rate, evaluate());
        emit(l -> l.onEvaluation(evaluated));
      }
      Optional<String> reason = stop.after(end);
      if (reason.isPresent()) {
        Stop stopped = new Stop(global, epoch, reason.get());
        emit(l -> l.onStop(stopped));
        return null;
      }
      // An epoch's last step is checkpointed at the epoch's end, after its evaluation.
      if (s < perEpoch - 1 && interruptedWithin(global, progress, sofar, resumed, started)) {
        return null;
      }
    }
    TrainingGraph.Evaluation evaluation = evaluations.atEpochEnds() ? evaluate() : NOT_EVALUATED;
    double seconds = elapsed(resumed, started);
    EpochMetrics row = new EpochMetrics(epoch + 1, sofar.meanLoss(), evaluation.loss(), evaluation.accuracy(),
        rate, seconds, (long) (epoch + 1) * perEpoch, sofar.meanNorm());
    RunProgress after = progress.after(row);
    EpochEnd end = new EpochEnd(row, after);
    emit(l -> l.onEpochEnd(end));
    return after;
  }

  /**
   * After step {@code global}, not its epoch's last: where a stop is requested, interrupts the run there (checkpointed
   * with the epoch so far, {@code sofar}); else checkpoints there where a checkpoint is due. Whether it interrupted.
   */
  private boolean interruptedWithin(long global, RunProgress progress, PartialEpoch sofar, PartialEpoch resumed,
      long started) throws IOException {
    boolean interrupted = checkpoints.stop().requested();
    if (!interrupted && !checkpoints.dueAfter(global + 1)) {
      return false;
    }
    RunProgress at = progress.within(sofar.withSeconds(elapsed(resumed, started)));
    if (interrupted) {
      interrupt(at);
    } else {
      emit(l -> l.onMidEpochCheckpoint(at));
    }
    return interrupted;
  }

  /** The epoch's seconds: those before the checkpoint it resumed from, and those since {@code started} (nanoTime). */
  private static double elapsed(PartialEpoch resumed, long started) {
    return resumed.seconds() + (System.nanoTime() - started) / 1e9;
  }

  /** The evaluation tower over every test image: over the uploaded copy, or fed from {@code test} slice by slice. */
  private TrainingGraph.Evaluation evaluate() {
    return model.spec().inputMode() == InputMode.RESIDENT ? model.evaluate(session) : model.evaluate(session, test);
  }

  /** Stops at {@code at}: the listeners checkpoint there and mark the run interrupted, then the requester hears. */
  private void interrupt(RunProgress at) throws IOException {
    emit(l -> l.onInterrupt(at));
    checkpoints.stop().checkpointed();
  }

  @FunctionalInterface
  private interface Event {
    void send(TrainingListener listener) throws IOException;
  }

  private void emit(Event event) throws IOException {
    for (TrainingListener listener : listeners) {
      event.send(listener);
    }
  }
}
