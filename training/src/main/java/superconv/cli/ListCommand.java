package superconv.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import superconv.training.grid.RunSelection;
import superconv.training.manifest.Component;
import superconv.training.manifest.ManifestException;
import superconv.training.manifest.Phase;
import superconv.training.manifest.RunSpec;
import superconv.training.report.ResultsTable;

/** {@code superconv list MANIFEST}: the runs a manifest expands to, exactly as they would train. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List the runs a manifest expands to (validates the whole manifest).")
final class ListCommand implements Callable<Integer> {

  @Spec CommandSpec commandSpec;

  @Mixin ManifestSelection selection;

  @Option(names = "--json", description = "Print one JSON array of the resolved runs.")
  boolean json;

  @Mixin Verbose verbose;

  @Override
  public Integer call() throws ManifestException {
    List<RunSpec> runs = selection.runs();
    List<RunSelection.Indexed<RunSpec>> indexed = RunSelection.ALL.apply(runs);
    if (json) {
      out().println(Json.line(indexed.stream().map(r -> listing(r.run(), r.index())).toList()));
      return 0;
    }
    // The run comes first on each line (scripts grep for it), its index, which run --index takes, next.
    out().printf("%-58s %5s %-13s %-8s %5s %6s  %s%n", "RUN", "INDEX", "DATASET", "NETWORK", "BATCH", "EPOCHS",
        "TRAINING");
    for (RunSelection.Indexed<RunSpec> entry : indexed) {
      RunSpec run = entry.run();
      out().printf("%-58s %5d %-13s %-8s %5d %6d  %s%n", run.id(), entry.index(), run.dataset(),
          run.network() + (run.width() == 64 ? "" : "/" + run.width()), run.batchSize(), run.epochs(),
          training(run));
    }
    out().println(runs.size() + (runs.size() == 1 ? " run" : " runs"));
    return 0;
  }

  /**
   * A run as {@code list --json} shows it: the resolved spec, where a schedule is always a table with a type
   * ({@code {"type": "calculated"}} for optimizers that calculate their own rates). The top-level optimizer and
   * schedule are the first phase's; a run that switches optimizers also lists every phase. {@code index} is what
   * {@code run --index} takes.
   */
  static ObjectNode listing(RunSpec run, int index) {
    ObjectNode spec = Json.mapper().valueToTree(run);
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("index", index);
    spec.fields().forEachRemaining(e -> {
      switch (e.getKey()) {
        case "schedule" -> { }
        case "optimizer" -> {
          node.set("optimizer", e.getValue());
          node.set("schedule", schedule(run.schedule()));
        }
        case "phases" -> {
          if (run.phases().size() > 1) {
            ArrayNode phases = node.putArray("phases");
            for (Phase phase : run.phases()) {
              ObjectNode p = phases.addObject();
              p.put("from_epoch", phase.fromEpoch());
              p.put("epochs", phase.epochs());
              p.set("optimizer", Json.mapper().valueToTree(phase.optimizer()));
              p.set("schedule", schedule(phase.schedule()));
            }
          }
        }
        default -> node.set(e.getKey(), e.getValue());
      }
    });
    return node;
  }

  private static JsonNode schedule(Component schedule) {
    return schedule == null
        ? Json.mapper().createObjectNode().put("type", "calculated")
        : Json.mapper().valueToTree(schedule);
  }

  private static String training(RunSpec run) {
    StringBuilder text = new StringBuilder();
    for (Phase phase : run.phases()) {
      if (text.length() > 0) {
        text.append(" -> ");
      }
      if (run.phases().size() > 1) {
        text.append("epochs ").append(phase.fromEpoch()).append('-').append(phase.untilEpoch() - 1).append(": ");
      }
      text.append(inline(phase.optimizer()));
      if (phase.schedule() != null) {
        text.append(' ').append(inline(phase.schedule()));
      }
    }
    return text.toString();
  }

  private static String inline(Component component) {
    StringBuilder text = new StringBuilder(component.type());
    component.params().forEach((k, v) -> text.append(' ').append(k).append('=').append(
        v instanceof Double d && Double.isFinite(d) ? ResultsTable.compact(d) : v));
    return text.toString();
  }

  private PrintWriter out() {
    return commandSpec.commandLine().getOut();
  }
}
