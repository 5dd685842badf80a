package superconv.training.listeners;

import java.io.IOException;
import java.nio.file.Path;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import superconv.graph.Checkpoint;
import superconv.training.loop.EpochEnd;
import superconv.training.loop.RunStart;
import superconv.training.loop.TrainingListener;
import superconv.training.run.AtomicFiles;
import superconv.training.run.CheckpointState;
import superconv.training.run.ResumePoint;
import superconv.training.run.RunFolder;
import superconv.training.run.RunProgress;

/**
 * {@code checkpoint/}: weights, optimizer state, batch-norm statistics and loss scale after every epoch, every
 * {@code run --checkpoint-every} steps inside one, and where an interrupted run stops, with the run's progress in
 * {@code state.json} ({@link CheckpointState}); built aside and swapped in, so one complete checkpoint always exists.
 */
public final class Checkpoints implements TrainingListener {

  private final RunFolder folder;
  private final Session session;
  private final Checkpoint state;
  private long savedStep = -1;

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

  /** The checkpoint a resumed run restored is of its first step. */
  @Override
  public void onStart(RunStart start) {
    savedStep = start.resumed() ? start.firstStep() : -1;
  }

  @Override
  public void onEpochEnd(EpochEnd end) throws IOException {
    save(end.progress());
  }

  @Override
  public void onMidEpochCheckpoint(RunProgress at) throws IOException {
    save(at);
  }

  /** Interrupted: a checkpoint of this step, unless the one there is (a stop heard right after an epoch's end). */
  @Override
  public void onInterrupt(RunProgress at) throws IOException {
    if (at.steps() != savedStep) {
      save(at);
    }
  }

  private void save(RunProgress progress) throws IOException {
    Path next = folder.startCheckpoint();
    state.save(session, next, progress.steps());
    AtomicFiles.writeString(next.resolve(RunFolder.CHECKPOINT_STATE), CheckpointState.json(progress));
    folder.commitCheckpoint();
    savedStep = progress.steps();
  }
}
