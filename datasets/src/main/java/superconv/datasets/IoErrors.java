package superconv.datasets;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * File-system failures in words. Java's file exceptions carry the path as their whole message and say what went
 * wrong only through their class ({@code AccessDeniedException: /data/x}), which a user cannot be expected to read:
 * these name the file and say "permission denied", "no such file or directory", and so on.
 */
public final class IoErrors {

  private IoErrors() {}

  /** What went wrong, without the file: "permission denied", "is a directory", ... */
  public static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "already exists";
    }
    if (e instanceof DirectoryNotEmptyException) {
      return "folder not empty";
    }
    if (e instanceof NotDirectoryException) {
      return "not a directory";
    }
    if (e instanceof FileSystemException f) {
      return f.getReason() == null || f.getReason().isBlank() ? "cannot be accessed" : lowerFirst(f.getReason());
    }
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return lowerFirst(t.getMessage().strip());
      }
    }
    return "input/output error";
  }

  /** The file (and the other file of a move or link) and what went wrong: "/data/x: permission denied". */
  public static String describe(IOException e) {
    if (e instanceof FileSystemException f && f.getFile() != null) {
      return f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile()) + ": " + reason(e);
    }
    return reason(e);
  }

  private static String lowerFirst(String text) {
    // "Permission denied", "Is a directory": the operating system's wording, placed after a colon.
    if (text.length() > 1 && Character.isUpperCase(text.charAt(0)) && Character.isLowerCase(text.charAt(1))) {
      return text.substring(0, 1).toLowerCase(Locale.ROOT) + text.substring(1);
    }
    return text;
  }
}
