package superconv.training.listeners;

import java.io.IOException;
import superconv.training.loop.EpochEnd;
import superconv.training.loop.RunStart;
import superconv.training.loop.TrainingListener;
import superconv.training.run.RunFolder;

/** {@code metrics.csv}: one row per epoch, appended and forced to the disk. */
public final class MetricsFile implements TrainingListener {

  private final RunFolder folder;

  public MetricsFile(RunFolder folder) {
    this.folder = folder;
  }

  /** Rows written after the checkpoint (an epoch that ran ahead of it) are trained again, so they go. */
  @Override
  public void onStart(RunStart start) throws IOException {
    if (start.resumed()) {
      folder.keepMetricsThrough(start.progress().epochsCompleted());
    }
  }

  @Override
  public void onEpochEnd(EpochEnd end) throws IOException {
    folder.appendMetrics(end.row());
  }
}
