package superconv.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import superconv.optimizers.Trace;
import superconv.optimizers.TraceProblem;
import superconv.training.plot.LineChart;

/**
 * The picture of a trace: for a 2-D function its descent path over contour lines of f (like thesis Fig. 2.4), for a
 * data set the batch loss per step on a log scale.
 */
final class TracePlot {

  private static final int GRID = 160;
  private static final int LEVELS = 14;

  private TracePlot() {}

  static void write(Path file, TraceProblem problem, String optimizer, List<Trace.Row> rows) throws IOException {
    if (problem instanceof TraceProblem.Function f) {
      double[] px = new double[rows.size() + 1];
      double[] py = new double[rows.size() + 1];
      px[0] = f.start()[0];
      py[0] = f.start()[1];
      for (int i = 0; i < rows.size(); i++) {
        px[i + 1] = rows.get(i).weights()[0];
        py[i + 1] = rows.get(i).weights()[1];
      }
      double[] box = bounds(px, py);
      double[][] contours = contours(f.kind(), box);
      LineChart chart = LineChart.of(f.kind().name().toLowerCase(java.util.Locale.ROOT) + ": " + optimizer, "w1", "w2");
      if (contours[0].length > 0) {
        chart = chart.with("contours of f", contours[0], contours[1]);
      }
      chart.with(optimizer + " path", px, py).writePng(file, 800, 700);
    } else {
      double[] x = new double[rows.size()];
      double[] loss = new double[rows.size()];
      for (int i = 0; i < rows.size(); i++) {
        x[i] = rows.get(i).step();
        loss[i] = rows.get(i).loss();
      }
      double[][] shown = ScheduleCommand.envelope(x, loss, 2000);
      LineChart.of("batch loss: " + optimizer, "step", "loss").logScale().with("loss", shown[0], shown[1])
          .writePng(file, 900, 500);
    }
  }

  /** The path's bounding box with a margin, clipped to a sane size when the path diverges. */
  private static double[] bounds(double[] x, double[] y) {
    double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY;
    double y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < x.length; i++) {
      if (Double.isFinite(x[i]) && Double.isFinite(y[i]) && Math.abs(x[i]) < 1e6 && Math.abs(y[i]) < 1e6) {
        x0 = Math.min(x0, x[i]);
        x1 = Math.max(x1, x[i]);
        y0 = Math.min(y0, y[i]);
        y1 = Math.max(y1, y[i]);
      }
    }
    double mx = Math.max(0.25 * (x1 - x0), 0.5);
    double my = Math.max(0.25 * (y1 - y0), 0.5);
    return new double[] {x0 - mx, x1 + mx, y0 - my, y1 + my};
  }

  /**
   * Contour lines of f on the box by marching squares, denser towards the minimum, as one polyline whose
   * segments are separated by NaN (gaps in the chart).
   */
  private static double[][] contours(TraceProblem.Function.Kind f, double[] box) {
    double[][] v = new double[GRID + 1][GRID + 1];
    double[] sorted = new double[(GRID + 1) * (GRID + 1)];
    for (int i = 0; i <= GRID; i++) {
      for (int j = 0; j <= GRID; j++) {
        v[i][j] = f.value(x(box, i), y(box, j));
        sorted[i * (GRID + 1) + j] = v[i][j];
      }
    }
    java.util.Arrays.sort(sorted);
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (int l = 1; l <= LEVELS; l++) {
      // Levels at quantiles of f over the box: the lines spread over the picture whatever the function's range.
      double q = (double) l / (LEVELS + 1);
      double level = sorted[(int) Math.round(q * q * (sorted.length - 1))];
      for (int i = 0; i < GRID; i++) {
        for (int j = 0; j < GRID; j++) {
          List<double[]> crossings = new ArrayList<>(4);
          edge(crossings, box, level, i, j, i + 1, j, v);
          edge(crossings, box, level, i + 1, j, i + 1, j + 1, v);
          edge(crossings, box, level, i + 1, j + 1, i, j + 1, v);
          edge(crossings, box, level, i, j + 1, i, j, v);
          for (int k = 0; k + 1 < crossings.size(); k += 2) {
            xs.add(crossings.get(k)[0]);
            ys.add(crossings.get(k)[1]);
            xs.add(crossings.get(k + 1)[0]);
            ys.add(crossings.get(k + 1)[1]);
            xs.add(Double.NaN);
            ys.add(Double.NaN);
          }
        }
      }
    }
    return new double[][] {
      xs.stream().mapToDouble(Double::doubleValue).toArray(), ys.stream().mapToDouble(Double::doubleValue).toArray()
    };
  }

  private static void edge(List<double[]> out, double[] box, double level, int i0, int j0, int i1, int j1,
      double[][] v) {
    double a = v[i0][j0] - level;
    double b = v[i1][j1] - level;
    if ((a < 0) != (b < 0)) {
      double t = a / (a - b);
      out.add(new double[] {x(box, i0) + t * (x(box, i1) - x(box, i0)), y(box, j0) + t * (y(box, j1) - y(box, j0))});
    }
  }

  private static double x(double[] box, int i) {
    return box[0] + (box[1] - box[0]) * i / GRID;
  }

  private static double y(double[] box, int j) {
    return box[2] + (box[3] - box[2]) * j / GRID;
  }
}
