package superconv.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import superconv.datasets.DatasetException;

/** {@code superconv data ...}: the data sets (list, info, fetch). */
@Command(
    name = "data",
    description = "Data sets: where they are, what they hold, and downloading them.",
    subcommands = {DataListCommand.class, DataInfoCommand.class, DataFetchCommand.class})
final class DataCommand implements Runnable {

  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: list, info or fetch");
  }

  /**
   * Runs a data command body: a failure becomes one line on stderr and exit code 1, with the stack trace only when
   * {@code verbose}.
   */
  static int run(CommandSpec spec, boolean verbose, Callable<Integer> body) {
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
