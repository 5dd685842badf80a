package superconv.training.grid;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * A failure as one line a user can act on: what happened and where, not an exception's class name or
 * TensorFlow's multi-line status text.
 */
final class Failures {

  private Failures() {}

  /** @param where the folder the work was writing to (named for a full disk) */
  static String oneLine(Throwable e, Path where) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage();
      // TensorFlow reports a full disk as a failed write (sometimes with an out-of-memory hint): the errno text
      // is what the user needs.
      if (message.contains("No space left on device")) {
        return "no space left on device in " + where;
      }
      if (t instanceof NoSuchFileException f) {
        return f.getFile() + ": no such file or directory";
      }
      if (t instanceof AccessDeniedException f) {
        return f.getFile() + ": permission denied";
      }
      if (t instanceof NotDirectoryException || t instanceof FileAlreadyExistsException) {
        return ((FileSystemException) t).getFile() + ": not a directory";
      }
      if (t instanceof FileSystemException f && f.getReason() != null) {
        return f.getFile() + ": " + f.getReason().toLowerCase(java.util.Locale.ROOT);
      }
    }
    String message = e.getMessage() == null || e.getMessage().isBlank() ? e.toString() : e.getMessage();
    return message.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
