package superconv.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** What one run of the command line printed and returned: tests run commands in-process through this. */
record CliRun(int exitCode, String out, String err) {

  /** Runs {@code superconv ARGS} with stdout and stderr captured. */
  static CliRun run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int code = commandLine.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  List<String> outLines() {
    return out.lines().toList();
  }

  List<String> errLines() {
    return err.lines().toList();
  }

  String lastLine() {
    List<String> lines = outLines();
    return lines.get(lines.size() - 1);
  }
}
