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

  /**
   * Builds the run's graph into {@code tf}'s graph (on {@code tf}'s device). float16 activations get dynamic loss
   * scaling; bfloat16 has float32's exponent range and needs none.
   */
  public static RunGraph build(Ops tf, TrainingGraphSpec graphSpec, OptimizerSpec optimizer, Schedule schedule) {
    TrainingGraph model = TrainingGraph.build(tf, graphSpec);
    LossScale lossScale = graphSpec.model().precision() == Precision.FLOAT16 ? LossScale.dynamic() : null;
    ScheduledStep step = ScheduledStep.build(tf, optimizer, schedule, model.trainableVariables(), model.loss(),
        model.nextLoss().orElse(null), TFloat32.class, lossScale, model.batchNormUpdates());
    List<Variable<?>> state = new ArrayList<>(model.modelVariables());
    state.addAll(step.stateVariables());
    Checkpoint full = Checkpoint.build(tf.withSubScope("resume"), state);
    Checkpoint weights = Checkpoint.build(tf.withSubScope("best"), model.modelVariables());
    return new RunGraph(model, step, full, weights);
  }
}
