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

  /** Writes {@code <prefix>-accuracy.png} etc. into {@code dir}; returns the files written. */
  public static List<Path> write(List<RunResult> runs, Path dir, String prefix, String title) throws IOException {
    boolean oneExperiment = runs.stream().map(RunResult::experiment).distinct().count() == 1;
    LineChart accuracy = LineChart.of(title + ": validation accuracy", "epoch", "accuracy (%)");
    LineChart loss = LineChart.of(title + ": training loss", "epoch", "loss").logScale();
    LineChart lr = LineChart.of(title + ": learning rate", "epoch", "rate").logScale();
    LineChart norms = LineChart.of(title + ": calculated rates (norm) and fed rates", "epoch", "rate").logScale();
    boolean anyNorms = false;
    boolean anyRates = false;
    for (RunResult run : runs) {
      String name = oneExperiment ? run.spec().path("run").asText() : run.id();
      List<EpochMetrics> rows = run.metrics();
      if (!rows.isEmpty()) {
        double[] epochs = rows.stream().mapToDouble(EpochMetrics::epoch).toArray();
        accuracy = accuracy.with(name, epochs, rows.stream().mapToDouble(r -> r.valAccuracy() * 100).toArray());
        loss = loss.with(name, epochs, rows.stream().mapToDouble(EpochMetrics::trainLoss).toArray());
      }
      RateHistory history = run.rates();
      if (history.size() == 0 || rows.isEmpty()) {
        continue;
      }
      double iterationsPerEpoch = (double) rows.get(rows.size() - 1).step() / rows.get(rows.size() - 1).epoch();
      double[] fed = history.lr();
      if (hasFinite(fed)) {
        anyRates = true;
        lr = lr.with(name, thinX(fed.length, iterationsPerEpoch), thin(fed));
        norms = norms.with(name + " (fed)", thinX(fed.length, iterationsPerEpoch), thin(fed));
      }
      if (history.hasRateNorms()) {
        anyNorms = true;
        double[] norm = history.rateNorms();
        norms = norms.with(name + " (norm)", thinX(norm.length, iterationsPerEpoch), thin(norm));
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

  private static Path write(LineChart chart, Path file) throws IOException {
    chart.writePng(file, WIDTH, HEIGHT);
    return file;
  }

  private static boolean hasFinite(double[] values) {
    for (double v : values) {
      if (Double.isFinite(v)) {
        return true;
      }
    }
    return false;
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
