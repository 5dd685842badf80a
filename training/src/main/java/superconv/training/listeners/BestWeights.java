package superconv.training.listeners;

import org.tensorflow.Session;
import superconv.graph.Checkpoint;
import superconv.training.loop.EpochEnd;
import superconv.training.loop.TrainingListener;
import superconv.training.run.RunFolder;

/** {@code best/}: the model's weights and batch-norm statistics at the epoch of best validation accuracy. */
public final class BestWeights implements TrainingListener {

  /** The folder (in the run folder) that {@code export --best} reads. */
  public static final String FOLDER = "best";

  private final RunFolder folder;
  private final Session session;
  private final Checkpoint weights;

  public BestWeights(RunFolder folder, Session session, Checkpoint weights) {
    this.folder = folder;
    this.session = session;
    this.weights = weights;
  }

  @Override
  public void onEpochEnd(EpochEnd end) {
    if (end.isBest()) {
      weights.save(session, folder.dir().resolve(FOLDER), end.row().step());
    }
  }
}
