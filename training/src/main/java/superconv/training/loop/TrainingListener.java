package superconv.training.loop;

import java.io.IOException;
import superconv.training.run.RunProgress;

/**
 * Hears what a {@link TrainingLoop} does, one class per concern (the metrics file, TensorBoard, checkpoints, the run
 * record, the console, ...), in the style of Keras callbacks and DJL's {@code TrainingListener}. The loop calls every
 * listener in the order it was given them; where that order matters for an exact resume, the list that assembles
 * them says why.
 *
 * <p>A listener that throws stops the run: the exception reaches whoever started the loop, after every listener has
 * heard {@link #onFailure}.
 */
public interface TrainingListener {

  /** Before the first step: fresh ({@code start.resumed()} false) or resuming after a checkpoint. */
  default void onStart(RunStart start) throws IOException {}

  /** Before the first step of {@code epoch} (0-based). */
  default void onEpochStart(int epoch) throws IOException {}

  /** After every step, the diverging one included. */
  default void onStep(StepEnd step) throws IOException {}

  /** After a step's evaluation of the test set, where the loop evaluates between epoch ends (after {@link #onStep}). */
  default void onEvaluation(StepEvaluation evaluation) throws IOException {}

  /** After an epoch's evaluation. */
  default void onEpochEnd(EpochEnd end) throws IOException {}

  /**
   * Inside an epoch, after the step that completes {@code run --checkpoint-every} steps (an epoch's last step is
   * checkpointed at its end instead): {@code at} is where the run stands, {@code at.epoch()} the epoch in progress.
   */
  default void onMidEpochCheckpoint(RunProgress at) throws IOException {}

  /**
   * A {@link StopRequest} (SIGTERM, Ctrl-C) stopped the loop after a step, or right after an epoch's end: the run
   * is checkpointed at {@code at} (the listeners that write a checkpoint write it unless they have one of that
   * step) and ends interrupted; nothing else is heard after this.
   */
  default void onInterrupt(RunProgress at) throws IOException {}

  /** The loss became NaN or infinite; the run stops after this. */
  default void onDivergence(Divergence divergence) throws IOException {}

  /** A {@link StopCondition} ended the loop early; nothing else is heard after this. */
  default void onStop(Stop stop) throws IOException {}

  /** Every epoch trained. */
  default void onFinish(RunProgress progress) throws IOException {}

  /** The run stopped by an exception (a listener's, TensorFlow's, an interruption); it is rethrown after. */
  default void onFailure(Exception cause) {}
}
