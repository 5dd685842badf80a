package superconv.training.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The progress bar keeps to the terminal's width. */
class ProgressTest {

  @Test
  void theWidthIsColumnsElseTheTerminalsElse80() {
    assertThat(Progress.columns("132", 100)).isEqualTo(132);
    assertThat(Progress.columns(null, 100)).isEqualTo(100);
    assertThat(Progress.columns("wide", 0)).isEqualTo(80);
    assertThat(Progress.columns(null, 0)).isEqualTo(80);
  }

  @Test
  void everyLineFitsAndTheBarStaysVisibleAt80Columns() throws Exception {
    String task = "t4.1-sgd-25-cycle/batch_size=128,schedule.max=3.0 epoch 17/100";
    for (int columns : new int[] {80, 60, 200}) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      Progress progress = Progress.start(task, 390, 128, columns, new PrintStream(bytes, true, StandardCharsets.UTF_8));
      progress.update(100, 0.1234, 0.0123);
      Thread.sleep(700); // one redraw at the library's 500 ms interval
      progress.update(390, 0.1, 0.01);
      progress.close();
      List<String> lines = Arrays.stream(bytes.toString(StandardCharsets.UTF_8).split("[\r\n]"))
          .filter(l -> !l.isBlank()).toList();
      assertThat(lines).as("columns %d", columns).isNotEmpty();
      for (String line : lines) {
        assertThat(line.length()).as("columns %d: %s", columns, line).isLessThan(columns);
        assertThat(line).as("columns %d", columns).containsPattern("\\[[=> ]{" + Progress.MIN_BAR + ",}\\]");
      }
      if (columns >= 80) {
        assertThat(lines.get(lines.size() - 1)).contains("loss 0.1000");
      }
    }
  }
}
