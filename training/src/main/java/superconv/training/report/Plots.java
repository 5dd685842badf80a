package superconv.training.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import superconv.training.plot.LineChart;
import superconv.training.run.EpochMetrics;
import superconv.training.run.RateHistory;

/**
 * The thesis's figures for a set of runs side by side: validation accuracy per epoch (Fig. 4.5), training loss
 * on a log scale (Fig. 4.6), the rates fed per iteration (Fig. 4.1) and the norms of calculated rates beside
 * the fed rates of scheduled runs (Figs. 4.21b, 4.22).
 */
public final class Plots {

  private static final int WIDTH = 1000;
  private static final int HEIGHT = 600;
  /** Enough points per line for a 1000-pixel chart; longer histories are thinned evenly. */
  private static final int MAX_POINTS = 4000;

  private Plots() {}

  /**
   * Writes {@code <prefix>-accuracy.png} etc. into {@code dir}; returns the files written. Runs that differ only in
   * their seed ({@link SeedGroups}) are one line in the accuracy and loss plots: the mean per epoch over the seeds
   * that recorded that epoch, with a band from their minimum to their maximum accuracy; their rates stay one line
   * per run.
   */
  public static List<Path> write(List<RunResult> runs, Path dir, String prefix, String title) throws IOException {
    boolean oneExperiment = runs.stream().map(RunResult::experiment).distinct().count() == 1;
    List<List<RunResult>> groups = SeedGroups.of(runs);
    LineChart accuracy = accuracy(groups, title, oneExperiment);
    LineChart loss = LineChart.of(title + ": training loss", "epoch", "loss").logScale();
    LineChart lr = LineChart.of(title + ": learning rate", "epoch", "rate").logScale();
    LineChart norms = LineChart.of(title + ": calculated rates (norm) and fed rates", "epoch", "rate").logScale();
    boolean anyNorms = false;
    boolean anyRates = false;
    for (List<RunResult> group : groups) {
      PerEpoch trainLoss = PerEpoch.of(group, EpochMetrics::trainLoss);
      if (trainLoss.epochs().length > 0) {
        loss = loss.with(name(group, oneExperiment), trainLoss.epochs(), trainLoss.mean());
      }
    }
    for (RunResult run : runs) {
      String name = oneExperiment ? run.spec().path("run").asText() : run.id();
      List<EpochMetrics> rows = run.metrics();
      RateHistory history = run.rates();
      if (history.size() == 0 || rows.isEmpty()) {
        continue;
      }
      double iterationsPerEpoch = (double) rows.get(rows.size() - 1).step() / rows.get(rows.size() - 1).epoch();
      double[][] fed = finite(thinX(history.size(), iterationsPerEpoch), thin(history.lr()));
      if (fed[0].length > 0) {
        anyRates = true;
        lr = lr.with(name, fed[0], fed[1]);
        norms = norms.with(name + " (fed)", fed[0], fed[1]);
      }
      double[][] norm = finite(thinX(history.size(), iterationsPerEpoch), thin(history.rateNorms()));
      if (norm[0].length > 0) {
        anyNorms = true;
        norms = norms.with(name + " (norm)", norm[0], norm[1]);
      }
    }
    List<Path> written = new ArrayList<>();
    if (!accuracy.series().isEmpty()) {
      written.add(write(accuracy, dir.resolve(prefix + "-accuracy.png")));
      written.add(write(loss, dir.resolve(prefix + "-train-loss.png")));
    }
    if (anyRates) {
      written.add(write(lr, dir.resolve(prefix + "-lr.png")));
    }
    if (anyNorms) {
      written.add(write(norms, dir.resolve(prefix + "-rate-norm.png")));
    }
    return written;
  }

  /** Validation accuracy (%) per epoch: a line per run, a seed group's mean with its min-max band. */
  static LineChart accuracy(List<List<RunResult>> groups, String title, boolean oneExperiment) {
    boolean seeds = SeedGroups.any(groups);
    LineChart chart = LineChart.of(title + ": validation accuracy" + (seeds ? " (seeds: mean, band min-max)" : ""),
        "epoch", "accuracy (%)");
    for (List<RunResult> group : groups) {
      PerEpoch values = PerEpoch.of(group, r -> r.valAccuracy() * 100);
      if (values.epochs().length == 0) {
        continue;
      }
      String name = name(group, oneExperiment);
      chart = chart.with(name, values.epochs(), values.mean());
      if (group.size() > 1) {
        chart = chart.withBand(name, values.epochs(), values.min(), values.max());
      }
    }
    return chart;
  }

  private static String name(List<RunResult> group, boolean oneExperiment) {
    String name = oneExperiment ? SeedGroups.runName(group) : SeedGroups.name(group);
    return group.size() == 1 ? name : name + ": mean of " + group.size();
  }

  /**
   * One value per epoch over a group's runs: the mean, minimum and maximum of the finite values recorded for that
   * epoch (a seed that diverged drops out from its last epoch on, rather than dragging the mean to 0). A run alone
   * gives its own values, NaN included, as before.
   */
  private record PerEpoch(double[] epochs, double[] mean, double[] min, double[] max) {

    static PerEpoch of(List<RunResult> group, java.util.function.ToDoubleFunction<EpochMetrics> value) {
      if (group.size() == 1) {
        List<EpochMetrics> rows = group.get(0).metrics();
        double[] y = rows.stream().mapToDouble(value).toArray();
        return new PerEpoch(rows.stream().mapToDouble(EpochMetrics::epoch).toArray(), y, y, y);
      }
      java.util.SortedMap<Integer, List<Double>> byEpoch = new java.util.TreeMap<>();
      for (RunResult run : group) {
        for (EpochMetrics row : run.metrics()) {
          double v = value.applyAsDouble(row);
          if (Double.isFinite(v)) {
            byEpoch.computeIfAbsent(row.epoch(), k -> new ArrayList<>()).add(v);
          }
        }
      }
      List<Stats> stats = byEpoch.values().stream().map(Stats::of).toList();
      return new PerEpoch(byEpoch.keySet().stream().mapToDouble(Integer::doubleValue).toArray(),
          stats.stream().mapToDouble(Stats::mean).toArray(), stats.stream().mapToDouble(Stats::min).toArray(),
          stats.stream().mapToDouble(Stats::max).toArray());
    }
  }

  private static Path write(LineChart chart, Path file) throws IOException {
    chart.writePng(file, WIDTH, HEIGHT);
    return file;
  }

  /** The points whose y is finite: iterations without a value (a phase with no fed rate) leave a gap. */
  private static double[][] finite(double[] x, double[] y) {
    int n = 0;
    for (double v : y) {
      n += Double.isFinite(v) ? 1 : 0;
    }
    double[][] out = {new double[n], new double[n]};
    for (int i = 0, k = 0; i < y.length; i++) {
      if (Double.isFinite(y[i])) {
        out[0][k] = x[i];
        out[1][k++] = y[i];
      }
    }
    return out;
  }

  private static int stride(int n) {
    return Math.max(1, (n + MAX_POINTS - 1) / MAX_POINTS);
  }

  private static double[] thin(double[] values) {
    int stride = stride(values.length);
    double[] out = new double[(values.length + stride - 1) / stride];
    for (int i = 0; i < out.length; i++) {
      double v = values[i * stride];
      out[i] = Double.isFinite(v) ? v : Double.NaN;
    }
    return out;
  }

  /** Iteration i's x as the fraction of epochs done when it ran: the epoch axis the other charts use. */
  private static double[] thinX(int n, double iterationsPerEpoch) {
    int stride = stride(n);
    double[] out = new double[(n + stride - 1) / stride];
    for (int i = 0; i < out.length; i++) {
      out[i] = (i * stride + 1) / iterationsPerEpoch;
    }
    return out;
  }
}
