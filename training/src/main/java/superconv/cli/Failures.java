package superconv.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;
import superconv.datasets.DatasetException;
import superconv.datasets.IoErrors;
import superconv.training.manifest.ManifestException;

/**
 * How every command fails, in one place: one line {@code superconv <command>: <message>} on stderr and a non-zero
 * exit code; the stack trace only with {@code --verbose}. Bad command lines (unknown or missing options, values a
 * command refuses) exit with 2, a refused manifest with 2 after its list of problems (one per line: the documented
 * exception to one line), anything else with 1 (or a {@link UserError}'s own code).
 */
final class Failures implements IExecutionExceptionHandler, IParameterExceptionHandler {

  static final int EXIT_FAILED = 1;

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    String message = oneLine(e.getMessage());
    if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
      message += "; did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?";
    }
    err.println(prefix(command) + message + " (" + command.getCommandSpec().qualifiedName() + " --help shows the options)");
    if (verbose(command) && e.getCause() != null) {
      e.printStackTrace(err);
    }
    err.flush();
    return command.getCommandSpec().exitCodeOnInvalidInput();
  }

  @Override
  public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
    PrintWriter err = command.getErr();
    boolean verbose = verbose(command);
    int code;
    if (e instanceof ManifestException manifest) {
      code = ManifestErrors.print(manifest, err, command.getCommandSpec().qualifiedName());
    } else {
      boolean expected = expected(e);
      err.println(prefix(command) + message(e) + (expected || verbose ? "" : " (--verbose shows where)"));
      code = e instanceof UserError user ? user.exitCode() : EXIT_FAILED;
    }
    if (verbose) {
      e.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  /** A failure whose message says all there is to say: no pointer to the stack trace. */
  private static boolean expected(Exception e) {
    return e instanceof UserError || e instanceof DatasetException || e instanceof IllegalArgumentException
        || e instanceof IOException || e instanceof UncheckedIOException;
  }

  /** An exception as one line of words: file failures as "FILE: permission denied", never a bare class name. */
  static String message(Throwable e) {
    if (e instanceof UncheckedIOException unchecked && unchecked.getCause() != null) {
      String context = unchecked.getMessage();
      String cause = IoErrors.describe(unchecked.getCause());
      return oneLine(context == null || context.equals(unchecked.getCause().toString()) ? cause : context + ": " + cause);
    }
    if (e instanceof IOException io) {
      return oneLine(IoErrors.describe(io));
    }
    String text = e.getMessage();
    if (text == null || text.isBlank()) {
      return "unexpected " + e.getClass().getSimpleName() + " (a bug in superconv)";
    }
    return oneLine(text);
  }

  static String oneLine(String text) {
    return text.strip().replaceAll("\\s*\n\\s*", " ");
  }

  private static String prefix(CommandLine command) {
    return command.getCommandSpec().qualifiedName() + ": ";
  }

  /** Whether {@code --verbose} was given to the failing command (or a command above it). */
  private static boolean verbose(CommandLine command) {
    for (CommandLine c = command; c != null; c = c.getParent()) {
      ParseResult result = c.getParseResult();
      if (result != null && c.getCommandSpec().findOption("--verbose") != null && result.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }
}
