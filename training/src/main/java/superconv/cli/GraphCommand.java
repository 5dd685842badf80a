package superconv.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code superconv graph ...}: inspecting the networks' graphs. */
@Command(
    name = "graph",
    description = "The networks as TensorFlow graphs.",
    subcommands = {GraphSummaryCommand.class})
final class GraphCommand implements Runnable {

  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: summary");
  }
}
