package superconv.cli;

import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import superconv.training.grid.JavaCommand;

/** The {@code superconv} command line: one subcommand per job. */
@Command(
    name = "superconv",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "Learning-rate research on residual networks with static TensorFlow graphs.",
    subcommands = {
      RunCommand.class,
      ListCommand.class,
      StatusCommand.class,
      SubmitCommand.class,
      ReportCommand.class,
      ExportCommand.class,
      DataCommand.class,
      ScheduleCommand.class,
      TraceCommand.class,
      LrRangeCommand.class,
      GraphCommand.class,
      PredictCommand.class,
      BenchCommand.class,
      DoctorCommand.class,
      VersionCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {

  public static void main(String[] args) {
    useStderrDescriptor(System.getenv(JavaCommand.STDERR_FD_VARIABLE));
    System.exit(commandLine().execute(args));
  }

  /**
   * Sends Java's stderr to file descriptor {@code fd} when the launcher gives one: the launcher filters TensorFlow's
   * native log lines out of fd 2, and Java's own output (the progress bar redraws a line without ending it) must not
   * wait in that line filter. Appends, so a stderr redirected to a file is not overwritten.
   */
  private static void useStderrDescriptor(String fd) {
    if (fd == null || !fd.matches("\\d+")) {
      return;
    }
    try {
      System.setErr(new PrintStream(new FileOutputStream("/dev/fd/" + fd, true), true, StandardCharsets.UTF_8));
    } catch (FileNotFoundException e) {
      // No such descriptor (the variable outlived the launcher): keep fd 2.
    }
  }

  /** The configured command line, shared by {@link #main} and the tests. */
  public static CommandLine commandLine() {
    Failures failures = new Failures();
    return new CommandLine(new Main())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setParameterExceptionHandler(failures)
        .setExecutionExceptionHandler(failures);
  }
}
