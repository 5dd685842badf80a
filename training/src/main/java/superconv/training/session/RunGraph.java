package superconv.training.session;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import superconv.graph.Checkpoint;
import superconv.graph.Precision;
import superconv.graph.TrainingGraph;
import superconv.graph.TrainingGraphSpec;
import superconv.optimizers.LossScale;
import superconv.optimizers.OptimizerSpec;
import superconv.optimizers.ScheduledStep;
import superconv.optimizers.Schedule;

/**
 * The graph of one run, built once for {@link Trainer} and for the placement audit (which must see exactly what a
 * run builds): the network with its input pipeline, the optimizer's scheduled step, and the savers of the full state
 * (resume) and of the model's weights (best).
 *
 * @param model network, input pipeline, loss and metrics
 * @param step the optimizer's step, fed and fetched by the training loop
 * @param full save/restore of the model and the optimizer state
 * @param weights save/restore of the model's variables only
 */
public record RunGraph(TrainingGraph model, ScheduledStep step, Checkpoint full, Checkpoint weights) {

  /** Builds the run's graph into {@code tf}'s graph (on {@code tf}'s device). */
  public static RunGraph build(Ops tf, TrainingGraphSpec graphSpec, OptimizerSpec optimizer, Schedule schedule) {
    TrainingGraph model = TrainingGraph.build(tf, graphSpec);
    ScheduledStep step = trainStep(tf, model, optimizer, schedule);
    List<Variable<?>> state = new ArrayList<>(model.modelVariables());
    state.addAll(step.stateVariables());
    Checkpoint full = Checkpoint.build(tf.withSubScope("resume"), state);
    Checkpoint weights = Checkpoint.build(tf.withSubScope("best"), model.modelVariables());
    return new RunGraph(model, step, full, weights);
  }

  /**
   * The optimizer's scheduled step on {@code model}'s loss, built into {@code tf}'s graph after the model, as a run
   * builds it: the range test and {@code bench} take this step too, so that what they measure is what a run trains.
   */
  public static ScheduledStep trainStep(Ops tf, TrainingGraph model, OptimizerSpec optimizer, Schedule schedule) {
    return ScheduledStep.build(tf, optimizer, schedule, model.trainableVariables(), model.loss(),
        model.nextLoss().orElse(null), TFloat32.class, lossScale(model.spec().model().precision()),
        model.batchNormUpdates());
  }

  /**
   * Dynamic loss scaling for float16 activations, whose small gradients would otherwise flush to zero; null for
   * bfloat16 and float32, which have float32's exponent range and need none.
   */
  public static LossScale lossScale(Precision precision) {
    return precision == Precision.FLOAT16 ? LossScale.dynamic() : null;
  }
}
