package superconv.training.listeners;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import superconv.graph.Checkpoint;
import superconv.training.loop.EpochEnd;
import superconv.training.loop.TrainingListener;
import superconv.training.run.AtomicFiles;
import superconv.training.run.ResumePoint;
import superconv.training.run.RunFolder;
import superconv.training.run.RunProgress;

/**
 * {@code checkpoint/}: weights, optimizer state, batch-norm statistics and loss scale after every epoch, with the
 * run's progress in {@code state.json}; built aside and swapped in, so one complete checkpoint always exists.
 */
public final class Checkpoints implements TrainingListener {

  private final RunFolder folder;
  private final Session session;
  private final Checkpoint state;

  /** @param state a saver over every variable a step changes (model and optimizer) */
  public Checkpoints(RunFolder folder, Session session, Checkpoint state) {
    this.folder = folder;
    this.session = session;
    this.state = state;
  }

  /**
   * Restores the state of a run being resumed; a checkpoint TensorFlow cannot read is refused with the way to
   * start over.
   */
  public static void restore(RunFolder folder, Session session, Checkpoint state) throws IOException {
    try {
      state.restore(session, folder.checkpoint());
    } catch (TensorFlowException | IllegalArgumentException e) {
      String first = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip().split("\\R")[0];
      throw new ResumePoint.RefusedException(folder, "the checkpoint's weights cannot be restored (" + first + ")");
    }
  }

  @Override
  public void onEpochEnd(EpochEnd end) throws IOException {
    Path next = folder.startCheckpoint();
    state.save(session, next, end.row().step());
    RunProgress progress = end.progress();
    ObjectNode json = RunFolder.json().createObjectNode();
    json.put("epochs_completed", progress.epochsCompleted());
    json.put("steps", progress.steps());
    json.put("best_epoch", progress.bestEpoch());
    json.put("best_val_accuracy", progress.bestAccuracy());
    AtomicFiles.writeString(next.resolve(RunFolder.CHECKPOINT_STATE), json.toPrettyString());
    folder.commitCheckpoint();
  }
}
