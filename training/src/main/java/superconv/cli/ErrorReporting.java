package superconv.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import superconv.datasets.DatasetException;

/**
 * {@code --verbose} and the error handling that goes with it, mixed into a command with {@code @Mixin}: a failed
 * command body prints one line on stderr and exits with code 1, with the stack trace only under {@code --verbose}.
 */
final class ErrorReporting {

  @Spec(Spec.Target.MIXEE) CommandSpec spec;

  @Option(names = "--verbose", description = "Show stack traces of errors.")
  boolean verbose;

  /** Runs a command body: its exit code, or 1 after a one-line error on stderr when it throws. */
  int run(Callable<Integer> body) {
    try {
      return body.call();
    } catch (Exception e) {
      PrintWriter err = spec.commandLine().getErr();
      String message = e instanceof DatasetException || e instanceof IllegalArgumentException
          ? e.getMessage()
          : e.toString();
      err.println(spec.qualifiedName() + ": " + message.replace('\n', ' ')
          + (verbose || e instanceof DatasetException ? "" : " (--verbose shows where)"));
      if (verbose) {
        e.printStackTrace(err);
      }
      err.flush();
      return 1;
    }
  }
}
