package superconv.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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
}
