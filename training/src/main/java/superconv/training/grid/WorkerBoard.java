package superconv.training.grid;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The parent's console while its workers train: every line a worker logs, prefixed with its number ({@code [w2]}),
 * and on a terminal a block of status lines kept below them (a line per worker with its run, epoch, step and loss,
 * then the runs done of all), redrawn in place. The workers draw no progress bars of their own; the parent owns the
 * terminal. TensorFlow's native INFO lines (absl logging, which {@code TF_CPP_MIN_LOG_LEVEL} does not reach) are
 * dropped unless {@code --verbose}, as the launcher drops the parent's own.
 */
final class WorkerBoard implements AutoCloseable {

  /** The launcher's filter (superconv, absl_noise), for the workers' output, which does not pass through it. */
  static final Pattern NATIVE_NOISE = Pattern.compile(
      "^(WARNING: All log messages before absl::InitializeLog\\(\\) is called are written to STDERR$"
          + "|I[0-9]{4} [0-9:.]+ +[0-9]+ [^ ]+:[0-9]+\\] )");
  private static final String UP = "\033[%dA";
  private static final String CLEAR_BELOW = "\033[J";

  private final PrintStream out;
  private final boolean live;
  private final boolean verbose;
  private final int columns;
  private List<String> block = List.of();

  /**
   * @param live redraw a status block (the console is a terminal and progress is wanted)
   * @param columns the terminal's width
   */
  WorkerBoard(PrintStream out, boolean live, boolean verbose, int columns) {
    this.out = out;
    this.live = live;
    this.verbose = verbose;
    this.columns = columns;
  }

  /** A line worker {@code number} printed, shown above the block. */
  synchronized void line(int number, String text) {
    if (!verbose && NATIVE_NOISE.matcher(text).find()) {
      return;
    }
    erase();
    out.println("[w" + number + "] " + text);
    draw();
  }

  /** A line of the parent's own, shown above the block. */
  synchronized void note(String text) {
    erase();
    out.println(text);
    draw();
  }

  /** Redraws the block with these status lines. */
  synchronized void show(List<String> lines) {
    if (!live || lines.equals(block)) {
      return;
    }
    erase();
    block = List.copyOf(lines);
    draw();
  }

  /** Removes the block, leaving the lines above it. */
  @Override
  public synchronized void close() {
    erase();
    block = List.of();
    out.flush();
  }

  private void erase() {
    if (!block.isEmpty()) {
      out.print("\r" + String.format(UP, block.size()) + CLEAR_BELOW);
    }
  }

  private void draw() {
    for (String line : block) {
      out.println(line);
    }
    out.flush();
  }

  /**
   * The status block: per worker (by number, all of them) "w2 gpu:1   sgd/lr=0.1  epoch 2/30 step 14/390 loss
   * 0.4312", or what the worker does when it trains nothing ({@code idle}), then "runs: 3/12 done, 2 training".
   * Every line is cut to one character less than the terminal's width, so that none wraps.
   *
   * @param devices each worker's device, by number
   * @param states what each worker does when it trains no run: "starting", "idle", "exited (status 1)"
   */
  static List<String> lines(Map<Integer, String> devices, WorkerProgress.Snapshot snapshot,
      Map<Integer, String> states, int columns) {
    int width = devices.values().stream().mapToInt(String::length).max().orElse(3);
    List<String> lines = new ArrayList<>();
    for (Map.Entry<Integer, String> worker : devices.entrySet()) {
      WorkerProgress.Training training = snapshot.training().get(worker.getKey());
      String doing = training != null ? training.describe() : states.getOrDefault(worker.getKey(), "idle");
      lines.add(cut("w" + worker.getKey() + " " + pad(worker.getValue(), width) + "  " + doing, columns));
    }
    lines.add(cut("runs: " + snapshot.done() + "/" + snapshot.total() + " done (finished or diverged), "
        + snapshot.training().size() + " training", columns));
    return lines;
  }

  private static String pad(String text, int width) {
    return text + " ".repeat(Math.max(0, width - text.length()));
  }

  private static String cut(String line, int columns) {
    int max = Math.max(20, columns - 1);
    return line.length() <= max ? line : line.substring(0, max - 2) + "..";
  }
}
