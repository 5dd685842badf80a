package superconv.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import superconv.training.manifest.ComponentRules;
import superconv.training.manifest.Manifest;
import superconv.training.manifest.ManifestException;
import superconv.training.manifest.RunSpec;
import superconv.training.report.RunState;
import superconv.training.report.RunStates;

/** {@code superconv status RUNS_DIR}: where each run stands, for a grid spread over processes or machines. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Where each run below a runs directory stands: finished, diverged, running (where), interrupted, "
        + "failed; with --manifest also the runs not started.")
final class StatusCommand implements Callable<Integer> {

  @Spec CommandSpec commandSpec;

  @Parameters(index = "0", paramLabel = "RUNS_DIR", description = "A runs directory.")
  Path runsDir;

  @Option(names = "--manifest", paramLabel = "FILE",
      description = "Also list the manifest's runs that have not started, with their indices (run --index).")
  Path manifest;

  @Option(names = "--only", paramLabel = "PATTERN",
      description = "Comma-separated globs over experiment or experiment/run names.")
  String only;

  @Option(names = "--json", description = "Print one JSON array with an object per run.")
  boolean json;

  @Mixin Verbose verbose;

  @Override
  public Integer call() throws Exception {
    if (Files.exists(runsDir) ? !Files.isDirectory(runsDir) : manifest == null) {
      throw new UserError(runsDir + " is not a directory", 2);
    }
    List<RunState> states = RunStates.load(runsDir, selection(), only);
    if (json) {
      out().println(Json.line(states));
      return 0;
    }
    print(states);
    return 0;
  }

  /** The manifest's runs after --only, in the order run --index counts; null without --manifest. */
  private List<RunSpec> selection() throws ManifestException {
    return manifest == null ? null : Manifest.load(manifest, ComponentRules.standard()).select(only);
  }

  private void print(List<RunState> states) {
    boolean indexed = states.stream().anyMatch(s -> s.index() != null);
    List<String[]> lines = new ArrayList<>();
    lines.add(indexed ? new String[] {"RUN", "INDEX", "STATE", "EPOCHS", "BEST VAL ACC (%)", "WHERE / WHY"}
        : new String[] {"RUN", "STATE", "EPOCHS", "BEST VAL ACC (%)", "WHERE / WHY"});
    Map<RunState.State, Integer> counts = new EnumMap<>(RunState.State.class);
    for (RunState s : states) {
      counts.merge(s.state(), 1, Integer::sum);
      String epochs = s.epochsText();
      String best = s.bestValAccuracy() == null ? "-"
          : String.format(Locale.ROOT, "%.2f @%d", s.bestValAccuracy() * 100, s.bestEpoch());
      String note = s.where() != null ? s.where()
          : s.state() == RunState.State.DIVERGED && s.divergedAtStep() != null ? "at step " + s.divergedAtStep()
          : s.message() == null ? "" : Failures.oneLine(s.message());
      List<String> row = new ArrayList<>(List.of(s.run()));
      if (indexed) {
        row.add(s.index() == null ? "-" : s.index().toString());
      }
      row.addAll(List.of(s.state().key(), epochs, best, note));
      lines.add(row.toArray(String[]::new));
    }
    int[] widths = new int[lines.get(0).length];
    for (String[] line : lines) {
      for (int i = 0; i < line.length; i++) {
        widths[i] = Math.max(widths[i], line[i].length());
      }
    }
    for (String[] line : lines) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < line.length; i++) {
        text.append(String.format("%-" + (widths[i] + 2) + "s", line[i]));
      }
      out().println(text.toString().stripTrailing());
    }
    List<String> summary = new ArrayList<>();
    counts.forEach((state, n) -> summary.add(n + " " + state.key()));
    out().println(states.size() + (states.size() == 1 ? " run" : " runs")
        + (summary.isEmpty() ? "" : ": " + String.join(", ", summary)));
  }

  private PrintWriter out() {
    return commandSpec.commandLine().getOut();
  }
}
