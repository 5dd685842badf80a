package superconv.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import superconv.training.run.RunFolder;
import superconv.training.session.ExportTarget;
import superconv.training.session.Exporter;

/** {@code superconv export RUN_DIR --out DIR [--best] [--force]}: a SavedModel of a run's final or best weights. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Write a SavedModel (serving_default) of a run's last or best weights.")
final class ExportCommand implements Callable<Integer> {

  @Spec CommandSpec commandSpec;

  @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run folder (runs/<experiment>/<run>).")
  Path runDir;

  @Option(names = "--out", paramLabel = "DIR", required = true,
      description = "Where to write the SavedModel: a new path or an empty folder.")
  Path out;

  @Option(names = "--best", description = "The weights of the epoch with the best validation accuracy.")
  boolean best;

  @Option(names = "--force",
      description = "Replace an existing file or non-empty folder at --out (never one holding runs, the run itself"
          + " or a folder above it).")
  boolean force;

  @Mixin Verbose verbose;

  @Override
  public Integer call() throws IOException {
    Exporter.Exported exported;
    try {
      exported = Exporter.export(new RunFolder(runDir), out, best, force);
    } catch (ExportTarget.Refused e) {
      throw new UserError(e.getMessage());
    }
    commandSpec.commandLine().getOut().println(String.format(Locale.ROOT,
        "exported %s weights of epoch %d (val accuracy %.2f%%, %d parameters) to %s", best ? "best" : "last",
        exported.epoch(), exported.valAccuracy() * 100, exported.parameters(), exported.directory()));
    return 0;
  }
}
