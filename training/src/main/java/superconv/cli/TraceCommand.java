package superconv.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import superconv.optimizers.OptimizerSpec;
import superconv.optimizers.Optimizers;
import superconv.optimizers.RunLength;
import superconv.optimizers.Schedule;
import superconv.optimizers.Trace;
import superconv.optimizers.TraceProblem;
import superconv.training.run.AtomicFiles;

/**
 * Runs any optimizer on a small problem exactly as training drives it (same Optimizer subclass, schedule object and
 * per-step feeding) and writes its path: step, rate fed, batch loss before the update, weights after it.
 */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    description = {
      "Run an optimizer on least squares over a CSV data set or on a 2-D test function, exactly as a training run "
          + "drives it, and write step,lr,loss,w1..wd per step as CSV and/or a PNG plot (the descent path for "
          + "functions). Schedule lengths are in iterations (one step = one epoch).",
      "Example: superconv trace --optimizer '{ type = \"adam\" }' --schedule '{ type = \"constant\", lr = 0.05 }'"
          + " --function rosenbrock --start -1.2,1 --steps 500 --plot path.png"
    })
final class TraceCommand implements Callable<Integer> {

  private static final Logger LOG = LogManager.getLogger(TraceCommand.class);

  @Spec CommandSpec spec;

  @Option(names = "--optimizer", required = true, paramLabel = "TABLE",
      description = "The optimizer as an inline TOML table, e.g. '{ type = \"sgd\", momentum = 0.9 }'.")
  String optimizer;

  @Option(names = "--schedule", paramLabel = "TABLE",
      description = "The learning-rate schedule as an inline TOML table (lengths in iterations); "
          + "not needed by optimizers that calculate their rates.")
  String schedule;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Problem problem;

  static final class Problem {
    @Option(names = "--data", paramLabel = "FILE.csv",
        description = "Rows x1,...,xd,y without header: least squares over batches of --batch rows, w starts at 0.")
    Path data;

    @Option(names = "--function", paramLabel = "NAME",
        description = "A 2-D test function: rosenbrock, beale or quadratic.")
    TraceProblem.Function.Kind function;
  }

  @Option(names = "--start", paramLabel = "X,Y",
      description = "Start point for --function (default: rosenbrock -1.2,1; beale 1,1.5; quadratic -4,1).")
  String start;

  @Option(names = "--batch", paramLabel = "B", description = "Rows per batch for --data (divides the row count).")
  Integer batch;

  @Option(names = "--steps", required = true, paramLabel = "N", description = "Number of steps.")
  long steps;

  @Option(names = "--dtype", paramLabel = "TYPE", defaultValue = "float64",
      description = "float32 or float64 (default ${DEFAULT-VALUE}).")
  Trace.DType dtype;

  @Option(names = "--csv", paramLabel = "FILE", description = "Write step,lr,loss,w1,...,wd here.")
  Path csv;

  @Option(names = "--plot", paramLabel = "FILE.png",
      description = "Write a PNG: the descent path over contours of f for --function, the loss per step for --data.")
  Path plot;

  @Mixin Verbose verbose;

  @Override
  public Integer call() throws IOException {
    // Everything is checked before the first step.
    if (steps <= 0) {
      throw new ParameterException(spec.commandLine(), "--steps " + steps + " is not allowed: expected a number > 0");
    }
    OptimizerSpec optimizerSpec;
    Schedule feed;
    TraceProblem traceProblem;
    try {
      optimizerSpec = Optimizers.fromTable(InlineTables.parse(spec, "--optimizer", optimizer));
      Map<String, Object> scheduleTable =
          schedule == null ? null : InlineTables.parse(spec, "--schedule", schedule);
      feed = Optimizers.schedule(optimizerSpec, scheduleTable, RunLength.ofIterations(steps));
      traceProblem = problem.data != null ? readData(problem.data) : function(problem.function);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    long started = System.nanoTime();
    List<Trace.Row> rows = Trace.run(traceProblem, optimizerSpec, feed, steps, dtype);
    LOG.info("trace: {} steps of {} on {} ({}) in {} s", steps, optimizerSpec.type(),
        problem.data != null ? problem.data : problem.function.name().toLowerCase(Locale.ROOT),
        dtype.name().toLowerCase(Locale.ROOT), String.format(Locale.ROOT, "%.2f", (System.nanoTime() - started) / 1e9));

    int d = traceProblem.dimensions();
    if (csv != null) {
      AtomicFiles.writeText(csv, out -> {
        StringBuilder header = new StringBuilder("step,lr,loss");
        for (int i = 1; i <= d; i++) {
          header.append(",w").append(i);
        }
        out.write(header.append('\n').toString());
        for (Trace.Row row : rows) {
          StringBuilder line = new StringBuilder();
          line.append(row.step()).append(',').append(row.lr()).append(',').append(row.loss());
          for (double w : row.weights()) {
            line.append(',').append(w);
          }
          out.write(line.append('\n').toString());
        }
      });
    }
    if (plot != null) {
      TracePlot.write(plot, traceProblem, optimizerSpec.type(), rows);
    }
    Trace.Row last = rows.get(rows.size() - 1);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("optimizer", optimizerSpec.toTable());
    summary.put("schedule", feed.toTable());
    summary.put("steps", steps);
    summary.put("dtype", dtype.name().toLowerCase(Locale.ROOT));
    summary.put("first_loss", rows.get(0).loss());
    summary.put("last_loss", last.loss());
    summary.put("weights", last.weights());
    System.out.println(Json.line(summary));
    return 0;
  }

  private TraceProblem.Function function(TraceProblem.Function.Kind kind) {
    if (batch != null) {
      throw new IllegalArgumentException("--batch is for --data only; a test function has no batches");
    }
    double[] from = start != null ? point(start) : switch (kind) {
      case ROSENBROCK -> new double[] {-1.2, 1};
      case BEALE -> new double[] {1, 1.5};
      case QUADRATIC -> new double[] {-4, 1};
    };
    return new TraceProblem.Function(kind, from);
  }

  private static double[] point(String text) {
    String[] parts = text.split(",", -1);
    if (parts.length != 2) {
      throw new IllegalArgumentException("--start " + text + " is not allowed: expected two numbers x,y");
    }
    double[] p = new double[2];
    for (int i = 0; i < 2; i++) {
      try {
        p[i] = Double.parseDouble(parts[i].strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--start " + text + ": '" + parts[i].strip() + "' is not a number");
      }
      if (!Double.isFinite(p[i])) {
        throw new IllegalArgumentException("--start " + text + ": expected finite numbers");
      }
    }
    return p;
  }

  /** Reads rows x1..xd,y (no header); a bad cell names the file, line and column. */
  private TraceProblem.Data readData(Path file) throws IOException {
    if (start != null) {
      throw new IllegalArgumentException("--start is for --function only; with --data the weights start at 0");
    }
    if (batch == null) {
      throw new IllegalArgumentException("--batch is required with --data");
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("--data " + file + ": no such file");
    }
    List<double[]> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    int columns = -1;
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n).strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] cells = line.split(",", -1);
      if (columns < 0) {
        columns = cells.length;
        if (columns < 2) {
          throw new IllegalArgumentException(file + " line " + (n + 1) + ": expected x1,...,xd,y (at least 2 columns)");
        }
      } else if (cells.length != columns) {
        throw new IllegalArgumentException(String.format("%s line %d: %d columns, but the first row has %d",
            file, n + 1, cells.length, columns));
      }
      double[] values = new double[columns];
      for (int c = 0; c < columns; c++) {
        try {
          values[c] = Double.parseDouble(cells[c].strip());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(String.format("%s line %d column %d: '%s' is not a number",
              file, n + 1, c + 1, cells[c].strip()));
        }
        if (!Double.isFinite(values[c])) {
          throw new IllegalArgumentException(String.format("%s line %d column %d: %s is not a finite number",
              file, n + 1, c + 1, cells[c].strip()));
        }
      }
      x.add(java.util.Arrays.copyOf(values, columns - 1));
      y.add(values[columns - 1]);
    }
    if (x.isEmpty()) {
      throw new IllegalArgumentException(file + ": no data rows");
    }
    if (x.size() % batch != 0 || batch <= 0) {
      throw new IllegalArgumentException(String.format("--batch %d is not allowed: expected a divisor of the %d rows of %s",
          batch, x.size(), file));
    }
    return new TraceProblem.Data(x.toArray(double[][]::new), y.stream().mapToDouble(Double::doubleValue).toArray(), batch);
  }
}
