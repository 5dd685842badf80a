package superconv.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import superconv.training.manifest.ManifestException;

/** Prints bad input (a refused manifest's problems, one per line; a bad option value) and gives its exit code. */
final class ManifestErrors {

  static final int EXIT_BAD_MANIFEST = 2;

  private ManifestErrors() {}

  /**
   * Runs a command body whose checks of its options' values throw {@link ParameterException}: such a problem is
   * one line on stderr (no usage text: the options parsed, their values are wrong) and exit code 2.
   */
  static int oneLine(CommandSpec spec, Callable<Integer> body) throws Exception {
    try {
      return body.call();
    } catch (ParameterException e) {
      spec.commandLine().getErr().println(spec.qualifiedName() + ": " + e.getMessage().replaceAll("\\s*\n\\s*", " "));
      spec.commandLine().getErr().flush();
      return EXIT_BAD_MANIFEST;
    }
  }

  static int print(ManifestException e, java.io.PrintWriter err) {
    err.println("superconv: refused; nothing was run or written:");
    for (String problem : e.problems()) {
      err.println("  " + problem);
    }
    return EXIT_BAD_MANIFEST;
  }
}
