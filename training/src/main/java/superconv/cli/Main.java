package superconv.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code superconv} command line: one subcommand per job. */
@Command(
    name = "superconv",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "Learning-rate research on residual networks with static TensorFlow graphs.",
    subcommands = {
      RunCommand.class,
      ListCommand.class,
      ReportCommand.class,
      ExportCommand.class,
      DataCommand.class,
      ScheduleCommand.class,
      TraceCommand.class,
      GraphCommand.class,
      PredictCommand.class,
      BenchCommand.class,
      VersionCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, shared by {@link #main} and the tests. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
  }
}
