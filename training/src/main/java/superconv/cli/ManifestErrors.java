package superconv.cli;

import superconv.training.manifest.ManifestException;

/**
 * A refused manifest: its problems, one per line (the one error that is not one line: every problem is listed at
 * once), and exit code 2. {@link Failures} prints it for any command that throws {@link ManifestException}.
 */
final class ManifestErrors {

  static final int EXIT_BAD_MANIFEST = 2;

  private ManifestErrors() {}

  /** The problems under a first line {@code <command>: refused; nothing was run or written:}. */
  static int print(ManifestException e, java.io.PrintWriter err, String command) {
    err.println(command + ": refused; nothing was run or written:");
    for (String problem : e.problems()) {
      err.println("  " + problem);
    }
    return EXIT_BAD_MANIFEST;
  }
}
