package superconv.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import superconv.training.report.LearningSpeed;
import superconv.training.report.Report;
import superconv.training.report.ResultsTable;
import superconv.training.report.RunResult;
import superconv.training.run.AtomicFiles;

/** {@code superconv report RUNS_DIR}: the thesis's results table and figures for whatever ran. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "Tables (like thesis Tables 4.1-4.5) and plots from run folders.")
final class ReportCommand implements Callable<Integer> {

  @Spec CommandSpec commandSpec;

  @Parameters(index = "0", paramLabel = "RUNS_DIR", description = "A runs directory (or one experiment's folder).")
  Path runsDir;

  @Option(names = "--only", paramLabel = "PATTERN",
      description = "Comma-separated globs over experiment or experiment/run names.")
  String only;

  @Option(names = "--markdown", paramLabel = "FILE", description = "Also write the table as Markdown.")
  Path markdown;

  @Option(names = "--csv", paramLabel = "FILE", description = "Also write the table as CSV.")
  Path csv;

  @Option(names = "--plots", paramLabel = "DIR",
      description = "Write PNG plots: accuracy, training loss, learning rate, calculated-rate norms.")
  Path plots;

  @Option(names = "--target", paramLabel = "ACC",
      description = "A validation accuracy as a fraction in (0, 1], e.g. 0.9 (not 90); repeatable. Adds per run the"
          + " epoch, step and seconds at which it was first reached, and the area under the accuracy curve.")
  List<Double> targets = new ArrayList<>();

  @Mixin Verbose verbose;

  @Override
  public Integer call() throws Exception {
    for (double target : targets) {
      try {
        LearningSpeed.checkTarget(target);
      } catch (IllegalArgumentException e) {
        throw new UserError("--target: " + e.getMessage(), 2);
      }
    }
    if (!Files.isDirectory(runsDir)) {
      throw new UserError(runsDir + " is not a directory", 2);
    }
    List<RunResult> results = Report.load(runsDir, only,
        warning -> err().println(commandSpec.qualifiedName() + ": warning: " + warning));
    if (results.isEmpty()) {
      throw new UserError("no readable run folders (with run.json) below " + runsDir
          + (only == null ? "" : " matching " + only));
    }
    ResultsTable table = ResultsTable.of(results, targets);
    out().print(table.text());
    long rows = table.rows().size();
    out().println("* best Max Acc. per data set and network; " + results.size() + " runs"
        + (rows == results.size() ? "" : " in " + rows + " rows (runs that differ only in their seed are one row)"));
    if (markdown != null) {
      AtomicFiles.writeString(markdown, table.markdown());
      out().println("markdown: " + markdown);
    }
    if (csv != null) {
      AtomicFiles.writeString(csv, table.csv());
      out().println("csv: " + csv);
    }
    if (plots != null) {
      for (Path png : Report.plots(results, plots, only != null)) {
        out().println("plot: " + png);
      }
    }
    return 0;
  }

  private PrintWriter out() {
    return commandSpec.commandLine().getOut();
  }

  private PrintWriter err() {
    return commandSpec.commandLine().getErr();
  }
}
