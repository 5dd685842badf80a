package superconv.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
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
import superconv.training.rangetest.AccuracyPeak;
import superconv.training.rangetest.Bounds;
import superconv.training.rangetest.EvaluationPlan;
import superconv.training.rangetest.RangeCurve;
import superconv.training.rangetest.RangePlot;
import superconv.training.rangetest.RangeTest;
import superconv.training.run.AtomicFiles;
import superconv.training.session.Trainer;

/** {@code superconv lr-range}: Smith's learning-rate range test on an experiment's first run; writes no run. */
@Command(
    name = "lr-range",
    mixinStandardHelpOptions = true,
    description = {
      "Train an experiment's first run from its initial weights while the rate grows from --start to --end, record "
          + "the loss per iteration (and with --eval-every K the accuracy on a fixed subset of the test set every K "
          + "iterations), stop once the smoothed loss exceeds 4x its minimum, and suggest bounds for a triangular "
          + "schedule. Writes nothing into the runs directory.",
      "Example: superconv lr-range experiments.toml --experiment quickstart --eval-every 20 --plot range.png"
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

  @Option(names = "--eval-every", paramLabel = "K", defaultValue = "0", description = "Evaluate the test accuracy "
      + "after every K iterations (default 0: never, which adds no work).")
  int evalEvery;

  @Option(names = "--eval-images", paramLabel = "M", description = "Test images each evaluation runs on: a seeded "
      + "stratified subset of the run's test set, the same at every evaluation (default 1000, or all when fewer).")
  Integer evalImages;

  @Option(names = "--csv", paramLabel = "FILE",
      description = "Write iteration,lr,loss,smoothed_loss (and test_accuracy,test_loss with --eval-every) here.")
  Path csv;

  @Option(names = "--plot", paramLabel = "FILE.png", description = "Write the loss (and the test accuracy, on a "
      + "second axis) against the rate (log axis) here.")
  Path plot;

  @Option(names = "--json", description = "Print one JSON object with the curve and the suggestions.")
  boolean json;

  @Mixin DataOptions dataOptions;

  @Mixin Verbose verbose;

  @Override
  public Integer call() throws IOException, ManifestException {
    checkEvaluationOptions();
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
    Optional<EvaluationPlan> plan = evaluationPlan(n, data, run);
    RangeCurve curve = RangeTest.run(run, data, schedule, plan);
    Optional<Bounds> bounds = Bounds.of(curve);
    if (csv != null) {
      writeCsv(curve, plan.isPresent());
    }
    if (plot != null && curve.size() >= 2) {
      RangePlot.chart(run.id(), curve, bounds).writePng(plot, 1000, 550);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.line(summary(run, schedule, curve, bounds, plan)));
    } else {
      print(out, run, schedule, curve, bounds, plan);
    }
    out.flush();
    return 0;
  }

  /** Refuses evaluation options that make no sense on their own, before any data is read. */
  private void checkEvaluationOptions() {
    if (evalEvery < 0) {
      throw new ParameterException(spec.commandLine(), "--eval-every " + evalEvery
          + ": give a number of iterations, or 0 for no evaluation");
    }
    if (evalImages != null && evalImages < 1) {
      throw new ParameterException(spec.commandLine(), "--eval-images " + evalImages + ": at least 1 test image");
    }
    if (evalEvery == 0 && evalImages != null) {
      throw new ParameterException(spec.commandLine(), "--eval-images " + evalImages
          + " needs --eval-every K (K > 0): without it nothing is evaluated");
    }
  }

  /** The evaluations asked for, checked against the test's {@code iterations}; empty for --eval-every 0. */
  private Optional<EvaluationPlan> evaluationPlan(long iterations, Trainer.RunData data, RunSpec run) {
    if (evalEvery == 0) {
      return Optional.empty();
    }
    if (evalEvery > iterations) {
      throw new ParameterException(spec.commandLine(), "--eval-every " + evalEvery + " is more than the test's "
          + iterations + " iterations: no evaluation would run");
    }
    return Optional.of(EvaluationPlan.of(evalEvery, evalImages == null ? EvaluationPlan.DEFAULT_IMAGES : evalImages,
        data.test(), run.seed()));
  }

  /** One row per iteration; the test columns, where asked for, are blank on the iterations not evaluated. */
  private void writeCsv(RangeCurve curve, boolean evaluated) throws IOException {
    Map<Integer, RangeCurve.Accuracy> byIteration = new HashMap<>();
    curve.accuracies().forEach(a -> byIteration.put(a.iteration(), a));
    AtomicFiles.writeText(csv, out -> {
      out.write("iteration,lr,loss,smoothed_loss" + (evaluated ? ",test_accuracy,test_loss" : "") + "\n");
      for (int i = 0; i < curve.size(); i++) {
        out.write(i + "," + curve.rates()[i] + "," + curve.losses()[i] + "," + curve.smoothed()[i]);
        if (evaluated) {
          RangeCurve.Accuracy a = byIteration.get(i);
          out.write(a == null ? ",," : "," + a.accuracy() + "," + a.loss());
        }
        out.write("\n");
      }
    });
  }

  private void print(PrintWriter out, RunSpec run, RangeTestSchedule schedule, RangeCurve curve,
      Optional<Bounds> bounds, Optional<EvaluationPlan> plan) {
    out.printf(Locale.ROOT, "lr-range %s: %s, %d of %d iterations, rates %s to %s (%s)%n", run.id(),
        run.optimizer().type(), curve.size(), schedule.iterations(), Bounds.round(start),
        curve.size() == 0 ? "-" : Bounds.round(curve.rates()[curve.size() - 1]),
        curve.stop().isEmpty() ? "ran to the end" : "stopped: " + curve.stop());
    if (bounds.isEmpty()) {
      out.println("no bounds: the smoothed loss never fell below its first value (try a larger --end or more "
          + "--iterations)");
    } else {
      Bounds b = bounds.get();
      for (Bounds.Suggestion s : List.of(b.min(), b.max(), b.steepest(), b.valley())) {
        out.printf(Locale.ROOT, "  %-9s %-8s %s%n", s.name(), Bounds.round(s.rate()), s.rule());
      }
      out.println(b.triangular(run.epochs()) + "  # Smith's min and max; one cycle over the run's "
          + run.epochs() + " epochs");
    }
    // After the bounds, which come from the loss alone: the accuracy is something to look at beside them.
    plan.ifPresent(p -> out.println(p.describe() + ": " + curve.accuracies().size() + " evaluations"));
    AccuracyPeak.of(curve).ifPresent(peak -> out.println(peak.describe()));
  }

  private Map<String, Object> summary(RunSpec run, RangeTestSchedule schedule, RangeCurve curve,
      Optional<Bounds> bounds, Optional<EvaluationPlan> plan) {
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
        suggestions.put(s.name(), ordered("lr", s.rate(), "iteration", s.index(), "rule", s.rule()));
      }
      m.put("suggestions", suggestions);
      m.put("triangular", b.triangular(run.epochs()));
    });
    plan.ifPresent(p -> {
      m.put("evaluation", ordered("every", p.every(), "images", p.images().size(), "seed", p.seed(),
          "sha256", p.sha256()));
      m.put("evaluations", curve.accuracies().stream().map(a -> ordered("iteration", a.iteration(), "lr", a.rate(),
          "test_accuracy", a.accuracy(), "test_loss", a.loss())).toList());
    });
    AccuracyPeak.of(curve).ifPresent(peak -> {
      m.put("accuracy_peak", ordered("lr", peak.peak().rate(), "iteration", peak.peak().iteration(),
          "test_accuracy", peak.peak().accuracy(), "ties", peak.ties(), "rose", peak.rose(),
          "observation", peak.describe()));
    });
    return m;
  }

  /** A JSON object whose keys keep the order given: name, value, name, value, ... */
  private static Map<String, Object> ordered(Object... pairs) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], pairs[i + 1]);
    }
    return m;
  }
}
