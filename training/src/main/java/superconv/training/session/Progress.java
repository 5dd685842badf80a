package superconv.training.session;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar per epoch on the console (steps, loss, rate, images/s, ETA); silent when disabled. Every line fits
 * the terminal: a line one character too long wraps, and each redraw (a carriage return) then starts a new line.
 */
public final class Progress implements AutoCloseable {

  /** Where nothing tells the width: the classic terminal's. */
  static final int DEFAULT_COLUMNS = 80;
  /** The bar itself keeps at least this many characters; the task name and the message give way first. */
  static final int MIN_BAR = 10;
  /**
   * What the library puts around the task name and the message, at most: "100% [" before the bar, then
   * "] 99999/99999 (0:00:00 / 0:00:00) " with the ETA or "] 99999/99999 (0:00:00) " without, and two characters
   * for runs longer than 9 hours.
   */
  static final int FRAME_WITH_ETA = 7 + 34 + 2;
  static final int FRAME_WITHOUT_ETA = 7 + 24 + 2;

  private final ProgressBar bar;
  private final int batchSize;
  private final int messageLength;
  private final long started = System.nanoTime();

  private Progress(ProgressBar bar, int batchSize, int messageLength) {
    this.bar = bar;
    this.batchSize = batchSize;
    this.messageLength = messageLength;
  }

  public static Progress start(boolean enabled, String task, long steps, int batchSize) {
    if (!enabled) {
      return new Progress(null, batchSize, 0);
    }
    return start(task, steps, batchSize, consoleColumns(), System.err);
  }

  /** A bar drawn on {@code out} for a terminal {@code columns} wide. */
  static Progress start(String task, long steps, int batchSize, int columns, PrintStream out) {
    Layout layout = Layout.of(columns, task);
    ProgressBarBuilder builder = new ProgressBarBuilder()
        .setTaskName(layout.task())
        .setInitialMax(steps)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(500)
        .setConsumer(new ConsoleProgressBarConsumer(out, layout.lineLength()));
    if (!layout.eta()) {
      builder.hideEta();
    }
    return new Progress(builder.build(), batchSize, layout.message());
  }

  /**
   * How a bar fits {@code columns}: lines one shorter than the terminal (writing the last column wraps on many
   * terminals); the task name shortened and the ETA and the message (loss, rate, images/s) dropped, in that order,
   * where they would leave the bar less than {@link #MIN_BAR} characters.
   */
  record Layout(int lineLength, String task, boolean eta, int message) {
    static final int FULL_MESSAGE = 34;

    static Layout of(int columns, String task) {
      int line = Math.max(MIN_BAR + FRAME_WITHOUT_ETA + 8, columns - 1);
      int taskMax = Math.max(8, line / 5);
      String shown = task.length() <= taskMax ? task : ".." + task.substring(task.length() - (taskMax - 2));
      int room = line - shown.length() - MIN_BAR;
      boolean eta = room - FRAME_WITH_ETA >= FULL_MESSAGE;
      int message = Math.max(0, Math.min(FULL_MESSAGE, room - (eta ? FRAME_WITH_ETA : FRAME_WITHOUT_ETA)));
      return new Layout(line, shown, eta, message);
    }
  }

  /** The width of the terminal on stderr: {@code $COLUMNS}, else what the terminal reports, else 80. */
  public static int consoleColumns() {
    return columns(System.getenv("COLUMNS"), terminalColumns());
  }

  /** The terminal's width: {@code $COLUMNS} when set (shells export it), else what the terminal reports, else 80. */
  static int columns(String columnsVariable, int reported) {
    if (columnsVariable != null && columnsVariable.strip().matches("\\d{1,4}")) {
      int value = Integer.parseInt(columnsVariable.strip());
      if (value > 0) {
        return value;
      }
    }
    return reported > 0 ? reported : DEFAULT_COLUMNS;
  }

  private static int terminalColumns() {
    // The library asks the terminal (jline) when no length is given; 0 where it cannot tell (stderr not a TTY).
    try {
      return new ConsoleProgressBarConsumer(System.err).getMaxRenderedLength();
    } catch (RuntimeException | LinkageError e) {
      return 0;
    }
  }

  /** Marks {@code done} steps of the epoch complete; {@code loss} and {@code rate} may be NaN (unknown). */
  public void update(long done, double loss, double rate) {
    if (bar == null) {
      return;
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    bar.stepTo(done);
    if (messageLength > 0) {
      bar.setExtraMessage(message(messageLength, loss, rate, seconds > 0 ? done * batchSize / seconds : 0));
    }
  }

  /** "loss L lr R N img/s", as many of its parts as fit in {@code length}, whole. */
  static String message(int length, double loss, double rate, double imagesPerSecond) {
    String[] parts = {
      String.format(Locale.ROOT, "loss %.4f", loss),
      "lr " + (Double.isNaN(rate) ? "calc" : String.format(Locale.ROOT, "%.3g", rate)),
      String.format(Locale.ROOT, "%.0f img/s", imagesPerSecond)
    };
    StringBuilder message = new StringBuilder();
    for (String part : parts) {
      if (message.length() + (message.length() > 0 ? 1 : 0) + part.length() > length) {
        break;
      }
      message.append(message.length() > 0 ? " " : "").append(part);
    }
    return message.toString();
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
