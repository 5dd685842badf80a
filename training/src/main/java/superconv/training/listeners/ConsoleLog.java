package superconv.training.listeners;

import java.util.Locale;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import superconv.training.loop.Divergence;
import superconv.training.loop.EpochEnd;
import superconv.training.loop.RunStart;
import superconv.training.loop.TrainingListener;
import superconv.training.run.EpochMetrics;
import superconv.training.run.RunProgress;

/** The run's log lines: resume, one line per epoch, interruption, divergence, the end. */
public final class ConsoleLog implements TrainingListener {

  private static final Logger LOG = LogManager.getLogger(ConsoleLog.class);

  private final String run;
  private final int epochs;
  private final int stepsPerEpoch;
  private final int imagesPerEpoch;

  /** @param batchSize images per step, for the throughput */
  public ConsoleLog(String run, int epochs, int stepsPerEpoch, int batchSize) {
    this.run = run;
    this.epochs = epochs;
    this.stepsPerEpoch = stepsPerEpoch;
    this.imagesPerEpoch = stepsPerEpoch * batchSize;
  }

  @Override
  public void onStart(RunStart start) {
    if (start.resumed()) {
      LOG.info("resumed {} {} (step {})", run, where(start.progress()), start.firstStep());
    }
  }

  @Override
  public void onInterrupt(RunProgress at) {
    LOG.warn("run {} interrupted {}, checkpointed at step {}; running it again resumes there", run, where(at),
        at.steps());
  }

  /** "after epoch 2", or "in epoch 3 at step 120 of 468" for a mid-epoch position. */
  private String where(RunProgress at) {
    return at.midEpoch() ? "in epoch " + (at.epochsCompleted() + 1) + " at step " + at.epoch().steps() + " of "
        + stepsPerEpoch : "after epoch " + at.epochsCompleted();
  }

  @Override
  public void onEpochEnd(EpochEnd end) {
    EpochMetrics row = end.row();
    RunProgress progress = end.progress();
    LOG.info(String.format(Locale.ROOT,
        "%s epoch %d/%d: train loss %.4f, val loss %.4f, val acc %.2f%% (best %.2f%% @%d), lr %s, %.1fs, %.0f img/s",
        run, row.epoch(), epochs, row.trainLoss(), row.valLoss(), row.valAccuracy() * 100,
        progress.bestAccuracy() * 100, progress.bestEpoch(), Double.isNaN(row.lrLast()) ? "calculated"
            : String.format(Locale.ROOT, "%.4g", row.lrLast()), row.seconds(), imagesPerEpoch / row.seconds()));
  }

  @Override
  public void onDivergence(Divergence divergence) {
    LOG.warn("run {} diverged: loss {} at step {} (epoch {}); recorded, moving on", run, divergence.loss(),
        divergence.globalStep(), divergence.epoch() + 1);
  }

  @Override
  public void onFinish(RunProgress progress) {
    LOG.info("run {} finished: best val accuracy {} at epoch {}", run,
        String.format(Locale.ROOT, "%.2f%%", progress.bestAccuracy() * 100), progress.bestEpoch());
  }
}
