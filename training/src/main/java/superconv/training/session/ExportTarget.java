package superconv.training.session;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.stream.Stream;
import superconv.training.run.RunFolder;

/**
 * Decides whether an export may write to {@code --out}: a new path, an empty folder, or (with {@code force}) a file
 * or a folder that holds no run. It never lets an export replace a folder holding runs, the run being exported or
 * anything inside it, or a folder above it: replacing a path moves it aside and deletes it, and a mistyped
 * {@code --out runs} must not take every run with it.
 */
public final class ExportTarget {

  private ExportTarget() {}

  /** Thrown when the target must not be replaced; the message says why and what to do. */
  public static final class Refused extends IOException {
    Refused(String message) {
      super(message);
    }
  }

  public static void check(Path out, RunFolder run, boolean force) throws IOException {
    if (!Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Path target = out.toRealPath();
    Path runDir = run.dir().toRealPath();
    if (runDir.startsWith(target)) {
      throw new Refused(out + " is " + (runDir.equals(target) ? "the run being exported" : "a folder above the run "
          + "being exported") + "; it is never replaced: choose a new --out");
    }
    if (target.startsWith(runDir)) {
      throw new Refused(out + " is inside the run being exported (" + run.dir() + "); it is never replaced:"
          + " choose a new --out");
    }
    if (!Files.isDirectory(target)) {
      if (!force) {
        throw new Refused(out + " exists and is not a folder; --force replaces it");
      }
      return;
    }
    if (isEmpty(target)) {
      return;
    }
    Path runJson = firstRun(target);
    if (runJson != null) {
      throw new Refused(out + " holds runs (" + runJson + "); it is never replaced, not even with --force:"
          + " choose a new --out");
    }
    if (!force) {
      throw new Refused(out + " exists and is not empty; --force replaces it");
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  /** The first run.json below {@code dir}, links not followed (a replacement deletes links, not their targets). */
  private static Path firstRun(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir, Integer.MAX_VALUE, EnumSet.noneOf(FileVisitOption.class).toArray(new FileVisitOption[0]))) {
      return paths.filter(p -> p.getFileName().toString().equals(RunFolder.RUN_JSON)).findFirst().orElse(null);
    }
  }
}
