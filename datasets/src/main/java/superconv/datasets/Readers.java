package superconv.datasets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Small helpers the format readers share: file sizes and names files with errors that name the file. */
final class Readers {

  private Readers() {}

  static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw failure(file, e);
    }
  }

  /** An I/O failure as a one-line error naming the file. */
  static DatasetException failure(Path file, IOException e) {
    if (e instanceof NoSuchFileException) {
      return new DatasetException(file + ": no such file", e);
    }
    return new DatasetException(file + ": cannot read: " + IoErrors.reason(e), e);
  }

  /**
   * Class names from a names file: one per non-blank line, surrounding white space dropped (the CIFAR files pad
   * with blank lines). The file must name exactly {@code expected} classes.
   */
  static List<String> classNames(Path file, int expected) {
    List<String> names;
    try {
      names = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    } catch (IOException e) {
      throw failure(file, e);
    }
    if (names.size() != expected) {
      throw new DatasetException(file + ": names " + names.size() + " classes, expected " + expected);
    }
    return names;
  }
}
