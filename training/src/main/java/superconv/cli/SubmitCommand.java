package superconv.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code superconv submit ...}: a grid handed to a cluster scheduler, one task per run still to train. */
@Command(
    name = "submit",
    description = "Hand a manifest's runs to a cluster scheduler, one task per run not yet finished.",
    subcommands = {SubmitSlurmCommand.class, SubmitKubernetesCommand.class})
final class SubmitCommand implements Runnable {

  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: slurm or kubernetes");
  }
}
