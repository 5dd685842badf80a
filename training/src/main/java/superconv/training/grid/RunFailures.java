package superconv.training.grid;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import superconv.datasets.IoErrors;

/**
 * A run's (or the runs directory's) failure as one line a user can act on: what happened and where, not an
 * exception's class name or TensorFlow's multi-line status text. File errors read as {@link IoErrors} words them.
 */
final class RunFailures {

  private RunFailures() {}

  /** @param where the folder the work was writing to (named for a full disk) */
  static String oneLine(Throwable e, Path where) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      // TensorFlow reports a full disk as a failed write (sometimes with an out-of-memory hint): the errno text
      // is what the user needs.
      if (t.getMessage() != null && t.getMessage().contains("No space left on device")) {
        return "no space left on device in " + where;
      }
      if (t instanceof FileAlreadyExistsException f) {
        // Files.createDirectories met a file where a folder should be.
        return f.getFile() + ": not a directory";
      }
      if (t instanceof FileSystemException f) {
        return IoErrors.describe(f);
      }
    }
    String message = e.getMessage() == null || e.getMessage().isBlank() ? e.toString() : e.getMessage();
    return message.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
