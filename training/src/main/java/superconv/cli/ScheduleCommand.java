package superconv.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import superconv.optimizers.RunLength;
import superconv.optimizers.Schedule;
import superconv.optimizers.Schedules;
import superconv.training.plot.LineChart;
import superconv.training.run.AtomicFiles;

/** Shows a learning-rate schedule before a run: the rate of every iteration as CSV and/or a PNG plot. */
@Command(
    name = "schedule",
    mixinStandardHelpOptions = true,
    description = {
      "Write the learning rate of every iteration of a run (the values a run feeds) as CSV and/or a PNG plot,",
      "and print the schedule's resolved table as one line of JSON.",
      "Example: superconv schedule --schedule '{ type = \"triangular\", min = 0.001, max = 1.0, cycle_epochs = 25 }'"
          + " --epochs 100 --iterations-per-epoch 390 --plot lr.png"
    })
final class ScheduleCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--schedule", required = true, paramLabel = "TABLE",
      description = "The schedule as an inline TOML table, e.g. '{ type = \"constant\", lr = 0.01 }'.")
  String schedule;

  @Option(names = "--epochs", required = true, paramLabel = "E", description = "Epochs of the run.")
  long epochs;

  @Option(names = "--iterations-per-epoch", required = true, paramLabel = "K", description = "Iterations per epoch.")
  long iterationsPerEpoch;

  @Option(names = "--csv", paramLabel = "FILE", description = "Write rows iteration,lr[,momentum] here.")
  Path csv;

  @Option(names = "--plot", paramLabel = "FILE.png", description = "Write a PNG plot of the rate here.")
  Path plot;

  @Mixin Verbose verbose;

  @Override
  public Integer call() throws IOException {
    RunLength run;
    Schedule s;
    try {
      run = new RunLength(epochs, iterationsPerEpoch);
      s = Schedules.fromTable(InlineTables.parse(spec, "--schedule", schedule), run);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    long n = run.iterations();
    if (n > Integer.MAX_VALUE - 8) {
      throw new ParameterException(spec.commandLine(), "the run has " + n + " iterations: too many to write out");
    }
    double[] x = new double[(int) n];
    double[] rates = new double[(int) n];
    double[] momenta = s.hasMomentum() ? new double[(int) n] : null;
    for (int j = 0; j < n; j++) {
      x[j] = j;
      rates[j] = s.rate(j);
      if (momenta != null) {
        momenta[j] = s.momentum(j).getAsDouble();
      }
    }
    if (csv != null) {
      AtomicFiles.writeText(csv, out -> {
        out.write(momenta == null ? "iteration,lr\n" : "iteration,lr,momentum\n");
        for (int j = 0; j < n; j++) {
          out.write(j + "," + rates[j] + (momenta == null ? "" : "," + momenta[j]) + "\n");
        }
      });
    }
    if (plot != null) {
      double[][] shown = envelope(x, rates, 2000);
      LineChart chart = LineChart.of("Learning rate: " + s.type(), "iteration", "learning rate")
          .with("lr", shown[0], shown[1]);
      if (momenta != null) {
        double[][] momentum = envelope(x, momenta, 2000);
        chart = chart.withSecondAxis("momentum", "momentum", momentum[0], momentum[1]);
      }
      chart.writePng(plot, 1000, 500);
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("schedule", s.toTable());
    summary.put("epochs", epochs);
    summary.put("iterations_per_epoch", iterationsPerEpoch);
    summary.put("iterations", n);
    summary.put("first_lr", rates[0]);
    summary.put("last_lr", rates[(int) n - 1]);
    summary.put("min_lr", java.util.Arrays.stream(rates).min().orElseThrow());
    summary.put("max_lr", java.util.Arrays.stream(rates).max().orElseThrow());
    System.out.println(Json.line(summary));
    return 0;
  }

  /**
   * The points of a long series a chart of about {@code buckets / 2} pixels' width can show (M4 downsampling): per
   * bucket of consecutive points its first, lowest, highest and last, in order. Every point drawn is a real point of
   * the series, and the drawn line covers the same extremes; short series pass unchanged.
   */
  static double[][] envelope(double[] x, double[] y, int buckets) {
    int n = x.length;
    if (n <= 4 * buckets) {
      return new double[][] {x, y};
    }
    double[] ox = new double[4 * buckets];
    double[] oy = new double[4 * buckets];
    int k = 0;
    for (int b = 0; b < buckets; b++) {
      int from = (int) ((long) n * b / buckets);
      int to = (int) ((long) n * (b + 1) / buckets);
      int lo = from;
      int hi = from;
      for (int i = from; i < to; i++) {
        if (y[i] < y[lo]) {
          lo = i;
        }
        if (y[i] > y[hi]) {
          hi = i;
        }
      }
      int[] picks = {from, Math.min(lo, hi), Math.max(lo, hi), to - 1};
      for (int i : picks) {
        ox[k] = x[i];
        oy[k] = y[i];
        k++;
      }
    }
    return new double[][] {ox, oy};
  }
}
