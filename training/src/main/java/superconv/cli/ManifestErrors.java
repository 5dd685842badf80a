package superconv.cli;

import superconv.training.manifest.ManifestException;

/** Prints a refused manifest's problems, one per line, and gives the exit code for bad input. */
final class ManifestErrors {

  static final int EXIT_BAD_MANIFEST = 2;

  private ManifestErrors() {}

  static int print(ManifestException e, java.io.PrintWriter err) {
    err.println("superconv: refused; nothing was run or written:");
    for (String problem : e.problems()) {
      err.println("  " + problem);
    }
    return EXIT_BAD_MANIFEST;
  }
}
