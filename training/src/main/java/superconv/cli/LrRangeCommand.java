package superconv.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import superconv.datasets.DataSplits;
import superconv.datasets.Datasets;
import superconv.optimizers.RangeTestSchedule;
import superconv.training.manifest.ComponentRules;
import superconv.training.manifest.Manifest;
import superconv.training.manifest.ManifestException;
import superconv.training.manifest.RunSpec;
import superconv.training.plot.LineChart;
import superconv.training.rangetest.Bounds;
import superconv.training.rangetest.RangeCurve;
import superconv.training.rangetest.RangeTest;
import superconv.training.run.AtomicFiles;
import superconv.training.session.Trainer;

/** {@code superconv lr-range}: Smith's learning-rate range test on an experiment's first run; writes no run. */
@Command(
    name = "lr-range",
    mixinStandardHelpOptions = true,
    description = {
      "Train an experiment's first run from its initial weights while the rate grows from --start to --end, record "
          + "the loss per iteration, stop once the smoothed loss exceeds 4x its minimum, and suggest bounds for a "
          + "triangular schedule. Writes nothing into the runs directory.",
      "Example: superconv lr-range experiments.toml --experiment quickstart --plot range.png"
    })
final class LrRangeCommand implements Callable<Integer> {

  /** Iterations when --iterations is not given: one epoch, at most this many. */
  static final int DEFAULT_MAX_ITERATIONS = 1000;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MANIFEST", description = "The experiment manifest (TOML).")
  Path manifest;

  @Option(names = "--experiment", required = true, paramLabel = "NAME", description = "The experiment (its first run).")
  String experiment;

  @Option(names = "--start", paramLabel = "LR", defaultValue = "1e-5", description = "First rate (default ${DEFAULT-VALUE}).")
  double start;

  @Option(names = "--end", paramLabel = "LR", defaultValue = "10", description = "Last rate (default ${DEFAULT-VALUE}).")
  double end;

  @Option(names = "--iterations", paramLabel = "N", description = "Iterations (default: one epoch, at most 1000).")
  Long iterations;

  @Option(names = "--mode", paramLabel = "MODE", defaultValue = "exponential",
      description = "exponential or linear growth (default ${DEFAULT-VALUE}).")
  RangeTestSchedule.Mode mode;

  @Option(names = "--csv", paramLabel = "FILE", description = "Write iteration,lr,loss,smoothed_loss here.")
  Path csv;

  @Option(names = "--plot", paramLabel = "FILE.png", description = "Write the loss against the rate (log axis) here.")
  Path plot;

  @Option(names = "--json", description = "Print one JSON object with the curve and the suggestions.")
  boolean json;

  @Mixin DataOptions dataOptions;

  @Mixin Verbose verbose;

  @Override
  public Integer call() throws IOException, ManifestException {
    List<RunSpec> runs = Manifest.load(manifest, ComponentRules.standard()).runs().stream()
        .filter(r -> r.experiment().equals(experiment)).toList();
    if (runs.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--experiment " + experiment + ": no such experiment in "
          + manifest);
    }
    RunSpec run = runs.get(0);
    RangeTest.optimizer(run);
    DataSplits splits = Datasets.load(run.dataset(), dataOptions.location(), dataOptions.policy());
    Trainer.RunData data = Trainer.subsets(run, splits.train(), splits.test());
    int perEpoch = Trainer.iterationsPerEpoch(run, data.train().size());
    long n = iterations != null ? iterations : Math.min(perEpoch, DEFAULT_MAX_ITERATIONS);
    RangeTestSchedule schedule;
    try {
      schedule = new RangeTestSchedule(start, end, n, mode);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage().replace("iterations =", "--iterations")
          .replace("start =", "--start").replace("end =", "--end"), e);
    }
    RangeCurve curve = RangeTest.run(run, data, schedule);
    Optional<Bounds> bounds = Bounds.of(curve);
    if (csv != null) {
      AtomicFiles.writeText(csv, out -> {
        out.write("iteration,lr,loss,smoothed_loss\n");
        for (int i = 0; i < curve.size(); i++) {
          out.write(i + "," + curve.rates()[i] + "," + curve.losses()[i] + "," + curve.smoothed()[i] + "\n");
        }
      });
    }
    if (plot != null) {
      plot(curve, bounds, run);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.line(summary(run, schedule, curve, bounds)));
    } else {
      print(out, run, schedule, curve, bounds);
    }
    out.flush();
    return 0;
  }

  private void print(PrintWriter out, RunSpec run, RangeTestSchedule schedule, RangeCurve curve,
      Optional<Bounds> bounds) {
    out.printf(Locale.ROOT, "lr-range %s: %s, %d of %d iterations, rates %s to %s (%s)%n", run.id(),
        run.optimizer().type(), curve.size(), schedule.iterations(), Bounds.round(start),
        curve.size() == 0 ? "-" : Bounds.round(curve.rates()[curve.size() - 1]),
        curve.stop().isEmpty() ? "ran to the end" : "stopped: " + curve.stop());
    if (bounds.isEmpty()) {
      out.println("no bounds: the smoothed loss never fell below its first value (try a larger --end or more "
          + "--iterations)");
      return;
    }
    Bounds b = bounds.get();
    for (Bounds.Suggestion s : List.of(b.min(), b.max(), b.steepest(), b.valley())) {
      out.printf(Locale.ROOT, "  %-9s %-8s %s%n", s.name(), Bounds.round(s.rate()), s.rule());
    }
    out.println(b.triangular(run.epochs()) + "  # Smith's min and max; one cycle over the run's "
        + run.epochs() + " epochs");
  }

  private Map<String, Object> summary(RunSpec run, RangeTestSchedule schedule, RangeCurve curve,
      Optional<Bounds> bounds) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run", run.id());
    m.put("optimizer", run.optimizer().table());
    m.put("schedule", schedule.toTable());
    m.put("iterations", curve.size());
    m.put("stop", curve.stop());
    m.put("lr", curve.rates());
    m.put("loss", curve.losses());
    m.put("smoothed_loss", curve.smoothed());
    bounds.ifPresent(b -> {
      Map<String, Object> suggestions = new LinkedHashMap<>();
      for (Bounds.Suggestion s : List.of(b.min(), b.max(), b.steepest(), b.valley())) {
        suggestions.put(s.name(), Map.of("lr", s.rate(), "iteration", s.index(), "rule", s.rule()));
      }
      m.put("suggestions", suggestions);
      m.put("triangular", b.triangular(run.epochs()));
    });
    return m;
  }

  private void plot(RangeCurve curve, Optional<Bounds> bounds, RunSpec run) throws IOException {
    if (curve.size() < 2) {
      return;
    }
    // The axis ends a little above the stop threshold (or the first loss): the explosion would flatten the rest.
    double low = java.util.Arrays.stream(curve.smoothed()).min().orElse(0);
    double top = 1.1 * Math.max(curve.smoothed()[0], RangeCurve.EXPLOSION * low);
    boolean clipped = java.util.Arrays.stream(curve.losses()).anyMatch(l -> l > top);
    String title = "LR range test: " + run.id() + (clipped ? " (losses above " + Bounds.round(top) + " drawn at it)" : "");
    LineChart chart = LineChart.of(title, "learning rate", "loss")
        .with("smoothed loss", curve.rates(), clip(curve.smoothed(), top))
        .with("raw loss", curve.rates(), clip(curve.losses(), top));
    if (bounds.isPresent()) {
      for (Bounds.Suggestion s : List.of(bounds.get().min(), bounds.get().max())) {
        chart = chart.with(s.name() + " " + Bounds.round(s.rate()), new double[] {s.rate(), s.rate()},
            new double[] {low, top});
      }
    }
    chart.logXAxis().writePng(plot, 1000, 550);
  }

  private static double[] clip(double[] values, double top) {
    return java.util.Arrays.stream(values).map(v -> Math.min(v, top)).toArray();
  }
}
