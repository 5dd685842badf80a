package superconv.training.listeners;

import java.io.IOException;
import java.time.Instant;
import superconv.training.loop.Divergence;
import superconv.training.loop.EpochEnd;
import superconv.training.loop.TrainingListener;
import superconv.training.run.RunFolder;
import superconv.training.run.RunProgress;
import superconv.training.run.RunRecord;
import superconv.training.run.RunStatus;

/**
 * {@code run.json}: progress after every checkpoint (it follows the checkpoint, so it never claims more than the
 * checkpoint holds), the step a diverged run stopped at, {@code interrupted} where a signal stopped the run, and
 * {@code finished} once every other listener is done with the run's end (so a finished run always has its
 * SavedModel).
 */
public final class RunRecordFile implements TrainingListener {

  private final RunFolder folder;
  private RunRecord record;

  /** @param record the record as the run started (already written) */
  public RunRecordFile(RunFolder folder, RunRecord record) {
    this.folder = folder;
    this.record = record;
  }

  public RunRecord record() {
    return record;
  }

  @Override
  public void onEpochEnd(EpochEnd end) throws IOException {
    record = record.withProgress(end.progress());
    folder.writeRecord(record);
  }

  @Override
  public void onMidEpochCheckpoint(RunProgress at) throws IOException {
    record = record.withProgress(at);
    folder.writeRecord(record);
  }

  /** Stopped by a signal at {@code at}, checkpointed there: the next run of the manifest resumes from it. */
  @Override
  public void onInterrupt(RunProgress at) throws IOException {
    record = record.withProgress(at)
        .withStatus(RunStatus.INTERRUPTED, Instant.now().toString(), RunRecord.STOPPED_BY_SIGNAL);
    folder.writeRecord(record);
  }

  @Override
  public void onDivergence(Divergence divergence) throws IOException {
    record = record.withDivergence(divergence.globalStep()).withStatus(RunStatus.DIVERGED, Instant.now().toString(),
        "loss became " + divergence.loss() + " at step " + divergence.globalStep());
    folder.writeRecord(record);
  }

  @Override
  public void onFinish(RunProgress progress) throws IOException {
    record = record.withStatus(RunStatus.FINISHED, Instant.now().toString(), null);
    folder.writeRecord(record);
  }
}
