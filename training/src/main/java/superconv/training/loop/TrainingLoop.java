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
import superconv.training.run.RunProgress;

/**
 * The epochs and steps of one run, and nothing else: each step through {@link ScheduledStep}, an evaluation per
 * epoch, and every event to the {@link TrainingListener}s, which write, draw, checkpoint and record. Steps are
 * pure functions of (seed, epoch, step) and the restored state, so a run resumed after epoch k takes exactly the
 * steps an uninterrupted run takes from there.
 */
public final class TrainingLoop {

  private static final Set<Fetch> FINITE_ONLY = EnumSet.of(Fetch.LOSS_FINITE);
  /**
   * What a step fetches when it reports its loss (every {@code loss_every} steps, every step of a phase that
   * calculates its rates); the other steps fetch only whether the loss is finite.
   */
  public static final Set<Fetch> WITH_LOSS = Set.copyOf(EnumSet.of(Fetch.LOSS_FINITE, Fetch.LOSS, Fetch.RATE_NORM));

  /**
   * @param epochs the run's length
   * @param stepsPerEpoch iterations per epoch
   * @param batchSize images per step
   * @param lossEvery fetch the loss every k steps (and at the epoch's end)
   */
  public record Length(int epochs, int stepsPerEpoch, int batchSize, int lossEvery) {}

  private final Session session;
  private final TrainingGraph model;
  private final ScheduledStep step;
  private final Length length;
  private final ImageSet train;
  private final ImageSet test;
  private final List<TrainingListener> listeners;
  private final StopCondition stop;

  /**
   * @param train the training set, read per batch in host-fed input mode (resident data is already uploaded)
   * @param test the test set, likewise
   */
  public TrainingLoop(Session session, TrainingGraph model, ScheduledStep step, Length length, ImageSet train,
      ImageSet test, List<TrainingListener> listeners) {
    this(session, model, step, length, train, test, listeners, StopCondition.NEVER);
  }

  /** As above, ending early after the first step for which {@code stop} gives a reason. */
  public TrainingLoop(Session session, TrainingGraph model, ScheduledStep step, Length length, ImageSet train,
      ImageSet test, List<TrainingListener> listeners, StopCondition stop) {
    this.stop = stop;
    this.session = session;
    this.model = model;
    this.step = step;
    this.length = length;
    this.train = train;
    this.test = test;
    this.listeners = List.copyOf(listeners);
  }

  /**
   * Trains from {@code from} to the last epoch, or to the step whose loss diverges, or to the step after which the
   * stop condition stops it.
   */
  public RunProgress run(RunProgress from) throws IOException {
    try {
      RunProgress progress = from;
      emit(l -> l.onStart(new RunStart(from, length.stepsPerEpoch(), length.epochs())));
      for (int epoch = from.epochsCompleted(); epoch < length.epochs(); epoch++) {
        RunProgress next = epoch(epoch, progress);
        if (next == null) {
          return progress;
        }
        progress = next;
      }
      RunProgress finished = progress;
      emit(l -> l.onFinish(finished));
      return progress;
    } catch (IOException | RuntimeException e) {
      listeners.forEach(l -> l.onFailure(e));
      throw e;
    }
  }

  /** One epoch; the progress after it, or null when the loss diverged or the stop condition ended the loop. */
  private RunProgress epoch(int epoch, RunProgress progress) throws IOException {
    long started = System.nanoTime();
    emit(l -> l.onEpochStart(epoch));
    boolean calculated = step.calculatesRates(epoch);
    // Host-fed input gathers each batch in Java by the graph's own permutation of the epoch.
    int[] permutation = model.spec().inputMode() == InputMode.HOST_FED ? model.permutation(session, epoch) : null;
    int perEpoch = length.stepsPerEpoch();
    double lossSum = 0;
    int lossCount = 0;
    double normSum = 0;
    int normCount = 0;
    double rate = Double.NaN;
    for (int s = 0; s < perEpoch; s++) {
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
      if (fetch && values.lossFinite()) {
        lossSum += values.loss();
        lossCount++;
        if (!Double.isNaN(values.rateNorm())) {
          normSum += values.rateNorm();
          normCount++;
        }
      }
      StepEnd end = new StepEnd(epoch, s, global, rate, values, fetch, lossCount == 0 ? Double.NaN : lossSum / lossCount);
      emit(l -> l.onStep(end));
      if (!values.lossFinite()) {
        Divergence divergence =
            new Divergence(global, epoch, fetch ? Double.toString(values.loss()) : "non-finite");
        emit(l -> l.onDivergence(divergence));
        return null;
      }
      Optional<String> reason = stop.after(end);
      if (reason.isPresent()) {
        Stop stopped = new Stop(global, epoch, reason.get());
        emit(l -> l.onStop(stopped));
        return null;
      }
    }
    TrainingGraph.Evaluation evaluation = permutation == null ? model.evaluate(session) : model.evaluate(session, test);
    double seconds = (System.nanoTime() - started) / 1e9;
    EpochMetrics row = new EpochMetrics(epoch + 1, lossSum / lossCount, evaluation.loss(), evaluation.accuracy(),
        rate, seconds, (long) (epoch + 1) * perEpoch, normCount == 0 ? Double.NaN : normSum / normCount);
    RunProgress after = progress.after(row);
    EpochEnd end = new EpochEnd(row, after);
    emit(l -> l.onEpochEnd(end));
    return after;
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
