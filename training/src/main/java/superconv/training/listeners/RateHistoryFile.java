package superconv.training.listeners;

import java.io.IOException;
import superconv.training.loop.Divergence;
import superconv.training.loop.EpochEnd;
import superconv.training.loop.RunStart;
import superconv.training.loop.StepEnd;
import superconv.training.loop.TrainingListener;
import superconv.training.run.RateHistory;
import superconv.training.run.RunFolder;
import superconv.training.run.RunProgress;

/**
 * {@code rates.csv.gz}: the rate fed at every iteration and the calculated rates' norm, kept in memory and written
 * whole before every checkpoint (an epoch's end, a mid-epoch one, an interruption) and at a divergence, through the
 * diverging step.
 */
public final class RateHistoryFile implements TrainingListener {

  private final RunFolder folder;
  private final RateHistory rates = new RateHistory();

  public RateHistoryFile(RunFolder folder) {
    this.folder = folder;
  }

  @Override
  public void onStart(RunStart start) throws IOException {
    if (!start.resumed()) {
      return;
    }
    RateHistory saved = RateHistory.read(folder.rates());
    saved.truncate(Math.toIntExact(start.firstStep()));
    for (int i = 0; i < saved.size(); i++) {
      rates.add(saved.lr(i), saved.rateNorm(i));
    }
    if (rates.size() != start.firstStep()) {
      throw new IOException("the rate history of " + folder.dir() + " has " + rates.size() + " iterations, the "
          + "checkpoint is at " + start.firstStep());
    }
  }

  @Override
  public void onStep(StepEnd step) {
    rates.add(step.rate(), step.values().rateNorm());
  }

  @Override
  public void onEpochEnd(EpochEnd end) throws IOException {
    rates.write(folder.rates());
  }

  @Override
  public void onMidEpochCheckpoint(RunProgress at) throws IOException {
    rates.write(folder.rates());
  }

  @Override
  public void onInterrupt(RunProgress at) throws IOException {
    rates.write(folder.rates());
  }

  @Override
  public void onDivergence(Divergence divergence) throws IOException {
    rates.write(folder.rates());
  }
}
