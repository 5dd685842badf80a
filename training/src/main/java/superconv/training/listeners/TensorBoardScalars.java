package superconv.training.listeners;

import java.io.IOException;
import superconv.graph.EventWriter;
import superconv.training.loop.EpochEnd;
import superconv.training.loop.TrainingListener;
import superconv.training.run.EpochMetrics;

/**
 * Per-epoch scalars in the run's TensorBoard event file. The step axis is the epoch, so runs with different batch
 * sizes line up as in the thesis's figures.
 */
public final class TensorBoardScalars implements TrainingListener {

  private final EventWriter events;

  public TensorBoardScalars(EventWriter events) {
    this.events = events;
  }

  @Override
  public void onEpochEnd(EpochEnd end) throws IOException {
    EpochMetrics row = end.row();
    events.scalar("train/loss", row.epoch(), row.trainLoss());
    events.scalar("val/loss", row.epoch(), row.valLoss());
    events.scalar("val/accuracy", row.epoch(), row.valAccuracy());
    if (!Double.isNaN(row.lrLast())) {
      events.scalar("lr", row.epoch(), row.lrLast());
    }
    if (!Double.isNaN(row.rateNorm())) {
      events.scalar("rate_norm", row.epoch(), row.rateNorm());
    }
  }
}
