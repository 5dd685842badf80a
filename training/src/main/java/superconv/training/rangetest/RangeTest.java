package superconv.training.rangetest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import superconv.graph.InputMode;
import superconv.graph.TrainingGraph;
import superconv.optimizers.OptimizerSpec;
import superconv.optimizers.RangeTestSchedule;
import superconv.optimizers.ScheduledStep;
import superconv.training.loop.Divergence;
import superconv.training.loop.StepEnd;
import superconv.training.loop.StepEvaluation;
import superconv.training.loop.StopCondition;
import superconv.training.loop.TrainingListener;
import superconv.training.loop.TrainingLoop;
import superconv.training.manifest.RunSpec;
import superconv.training.run.RunProgress;
import superconv.training.session.Devices;
import superconv.training.session.RunGraph;
import superconv.training.session.SessionOptions;
import superconv.training.session.Trainer;

/**
 * Runs Smith's range test on a run's network, data protocol and optimizer, from the run's initial weights (same
 * seed, same graph as {@link Trainer} builds), while a {@link RangeTestSchedule} raises the rate every step. It
 * steps through the run's {@link TrainingLoop}, fetching the loss every step and ending it with a
 * {@link StopCondition} once the schedule is done or the smoothed loss explodes. Given an {@link EvaluationPlan},
 * the loop also evaluates the plan's test subset every k iterations, by the same evaluation a run makes at each
 * epoch's end; without one it evaluates nothing, not even at an epoch's end.
 */
public final class RangeTest {

  /** The optimizers whose update follows the fed rate; the AdaSecant variants calculate their own. */
  public static final Set<String> OPTIMIZERS = Set.of("sgd", "adam", "cus-adam");

  private RangeTest() {}

  /** Refuses a run whose optimizer ignores the fed rate, in one line; else its optimizer. */
  public static OptimizerSpec optimizer(RunSpec spec) {
    OptimizerSpec optimizer = spec.optimizerSpec();
    if (!OPTIMIZERS.contains(optimizer.type())) {
      throw new IllegalArgumentException(String.format("%s trains with %s, which %s: a range test needs an "
          + "optimizer that follows the fed rate (sgd, adam or cus-adam)", spec.id(), optimizer.type(),
          optimizer.type().equals("switching") ? "switches optimizers" : "calculates its own rates"));
    }
    return optimizer;
  }

  /** Trains {@code spec}'s network on {@code data} under {@code schedule} and returns the curve; no evaluation. */
  public static RangeCurve run(RunSpec spec, Trainer.RunData data, RangeTestSchedule schedule) throws IOException {
    return run(spec, data, schedule, Optional.empty());
  }

  /**
   * As above, evaluating {@code plan}'s test subset (in place of {@code data}'s test set) every k iterations where
   * a plan is given.
   */
  public static RangeCurve run(RunSpec spec, Trainer.RunData runData, RangeTestSchedule schedule,
      Optional<EvaluationPlan> plan) throws IOException {
    OptimizerSpec optimizer = optimizer(spec);
    Trainer.RunData data = plan.map(p -> new Trainer.RunData(runData.train(), p.images())).orElse(runData);
    TrainingLoop.Evaluations evaluations = TrainingLoop.Evaluations.every(plan.map(EvaluationPlan::every).orElse(0));
    int perEpoch = Trainer.iterationsPerEpoch(spec, data.train().size());
    if (perEpoch == 0) {
      throw new IllegalArgumentException(spec.id() + ": batch " + spec.batchSize() + " is larger than the "
          + data.train().size() + " training images");
    }
    int epochs = (int) ((schedule.iterations() + perEpoch - 1) / perEpoch);
    String device = Devices.choose(spec.device(), Devices.list());
    Recorder recorder = new Recorder(schedule.iterations());
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph).withDevice(Devices.spec(device));
      // The run's model and step without its savers, whose ops the test never runs.
      TrainingGraph model = TrainingGraph.build(tf, Trainer.graphSpec(spec, data, optimizer.needsNextBatch()));
      ScheduledStep step = RunGraph.trainStep(tf, model, optimizer, schedule);
      try (Session session = new Session(graph, new SessionOptions(0, 0, spec.xla()).config())) {
        session.initialize();
        session.run(model.initializer());
        if (spec.input() == InputMode.RESIDENT) {
          model.uploadData(session, data.train(), data.test());
        }
        // The loss every step: the curve is the point of the test.
        new TrainingLoop(session, model, step, new TrainingLoop.Length(epochs, perEpoch, spec.batchSize(), 1),
            data.train(), data.test(), List.of(recorder), recorder, evaluations).run(RunProgress.NONE);
      }
    }
    return recorder.curve();
  }

  /**
   * Hears every step's rate and loss, and each evaluation, and stops the loop when the schedule ends or the loss
   * explodes.
   */
  static final class Recorder implements TrainingListener, StopCondition {
    private final long iterations;
    private final RangeCurve.Smoother smoother = new RangeCurve.Smoother();
    private final List<double[]> points = new ArrayList<>();
    private final List<RangeCurve.Accuracy> accuracies = new ArrayList<>();
    private String stop = "";

    Recorder(long iterations) {
      this.iterations = iterations;
    }

    @Override
    public void onStep(StepEnd step) {
      if (step.values().lossFinite()) {
        double loss = step.values().loss();
        points.add(new double[] {step.rate(), loss, smoother.add(loss)});
      }
    }

    @Override
    public void onEvaluation(StepEvaluation evaluated) {
      // Every recorded step precedes the first non-finite one, so a global step is the curve's index.
      accuracies.add(new RangeCurve.Accuracy((int) evaluated.globalStep(), evaluated.rate(),
          evaluated.evaluation().accuracy(), evaluated.evaluation().loss(), evaluated.evaluation().count()));
    }

    @Override
    public void onDivergence(Divergence divergence) {
      stop = "loss not finite at iteration " + divergence.globalStep();
    }

    @Override
    public Optional<String> after(StepEnd step) {
      Optional<String> exploded = smoother.exploded(step.globalStep());
      if (exploded.isPresent()) {
        stop = exploded.get();
        return exploded;
      }
      // The curve's stop stays empty: ending with the schedule is no early stop.
      return step.globalStep() + 1 >= iterations
          ? Optional.of("all " + iterations + " iterations done") : Optional.empty();
    }

    RangeCurve curve() {
      double[][] columns = new double[3][points.size()];
      for (int i = 0; i < points.size(); i++) {
        for (int c = 0; c < 3; c++) {
          columns[c][i] = points.get(i)[c];
        }
      }
      return new RangeCurve(columns[0], columns[1], columns[2], stop, accuracies);
    }
  }
}
