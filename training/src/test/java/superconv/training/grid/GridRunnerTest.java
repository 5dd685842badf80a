package superconv.training.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import superconv.datasets.DataLocation;
import superconv.datasets.FetchPolicy;

/** The grid's own failures: one line that says what happened and where, before anything is trained. */
class GridRunnerTest {

  @TempDir Path dir;

  private GridRunner grid(Path runsDir) {
    return new GridRunner(
        new GridRunner.Options(runsDir, DataLocation.only(dir.resolve("data")), FetchPolicy.OFFLINE, false, 0, false,
            0));
  }

  @Test
  void aRunsDirectoryThatIsAFileIsRefusedInOneLine() throws Exception {
    Path file = Files.writeString(dir.resolve("runs"), "not a folder");
    assertThatThrownBy(() -> grid(file).run(List.of()))
        .isInstanceOf(GridRunner.GridException.class)
        .hasMessage("runs directory " + file + ": not a directory");
    assertThat(Files.readString(file)).isEqualTo("not a folder");
  }

  @Test
  void aRunsDirectoryBelowAFileIsRefusedInOneLine() throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "x");
    assertThatThrownBy(() -> grid(file.resolve("runs")).run(List.of()))
        .isInstanceOf(GridRunner.GridException.class)
        .hasMessageStartingWith("runs directory " + file)
        .hasMessageEndingWith("not a directory");
  }

  @Test
  void failuresReadAsWhatHappened() {
    Path where = dir.resolve("runs/a/b");
    assertThat(RunFailures.oneLine(new NoSuchFileException("/x/y"), where)).isEqualTo("/x/y: no such file or directory");
    assertThat(RunFailures.oneLine(new AccessDeniedException("/x/y"), where)).isEqualTo("/x/y: permission denied");
    assertThat(RunFailures.oneLine(new UncheckedIOException(new FileSystemException("/x/y", null, "Read-only file system")),
        where)).isEqualTo("/x/y: read-only file system");
    // TensorFlow's own words for a full disk while it writes a checkpoint, with its out-of-memory hint.
    RuntimeException tensorflow = new RuntimeException("Failed to write checkpoint\n\tWrite failed because: "
        + "No space left on device [Op:SaveV2]\nHint: If you want to see a list of allocated tensors when OOM happens");
    assertThat(RunFailures.oneLine(tensorflow, where)).isEqualTo("no space left on device in " + where);
    assertThat(RunFailures.oneLine(new IllegalStateException("first\n  second"), where)).isEqualTo("first second");
    assertThat(RunFailures.oneLine(new IOException(), where)).isEqualTo("java.io.IOException");
  }
}
