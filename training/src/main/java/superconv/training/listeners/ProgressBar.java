package superconv.training.listeners;

import java.util.Locale;
import superconv.training.loop.Divergence;
import superconv.training.loop.EpochEnd;
import superconv.training.loop.StepEnd;
import superconv.training.loop.TrainingListener;
import superconv.training.run.RunProgress;
import superconv.training.session.Progress;

/** A console progress bar per epoch: steps, the epoch's loss so far, the rate, images/s, ETA. */
public final class ProgressBar implements TrainingListener {

  private final int epochs;
  private final int stepsPerEpoch;
  private final int batchSize;
  private Progress bar;

  public ProgressBar(int epochs, int stepsPerEpoch, int batchSize) {
    this.epochs = epochs;
    this.stepsPerEpoch = stepsPerEpoch;
    this.batchSize = batchSize;
  }

  @Override
  public void onEpochStart(int epoch) {
    String task = String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, epochs);
    bar = Progress.start(true, task, stepsPerEpoch, batchSize);
  }

  @Override
  public void onStep(StepEnd step) {
    if (step.fetched() && step.values().lossFinite()) {
      bar.update(step.step() + 1, step.epochLoss(), step.rate());
    }
  }

  @Override
  public void onEpochEnd(EpochEnd end) {
    close();
  }

  @Override
  public void onDivergence(Divergence divergence) {
    close();
  }

  @Override
  public void onInterrupt(RunProgress at) {
    close();
  }

  @Override
  public void onFailure(Exception cause) {
    close();
  }

  private void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
