package superconv.training.session;

import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar per epoch on the console (steps, loss, rate, images/s, ETA); silent when disabled. */
public final class Progress implements AutoCloseable {

  private final ProgressBar bar;
  private final int batchSize;
  private final long started = System.nanoTime();

  private Progress(ProgressBar bar, int batchSize) {
    this.bar = bar;
    this.batchSize = batchSize;
  }

  public static Progress start(boolean enabled, String task, long steps, int batchSize) {
    if (!enabled) {
      return new Progress(null, batchSize);
    }
    ProgressBar bar = new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(steps)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(500)
        .setConsumer(new ConsoleProgressBarConsumer(System.err))
        .setMaxRenderedLength(120)
        .build();
    return new Progress(bar, batchSize);
  }

  /** Marks {@code done} steps of the epoch complete; {@code loss} and {@code rate} may be NaN (unknown). */
  public void update(long done, double loss, double rate) {
    if (bar == null) {
      return;
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    bar.stepTo(done);
    bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f lr %s %.0f img/s", loss,
        Double.isNaN(rate) ? "calc" : String.format(Locale.ROOT, "%.4g", rate), seconds > 0 ? done * batchSize / seconds : 0));
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
