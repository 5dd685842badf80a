package superconv.training.plot;

import static com.google.common.base.Preconditions.checkArgument;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import superconv.training.run.AtomicFiles;

/**
 * A line chart of one or more series written as PNG: the one plotting primitive of superconv (schedules,
 * traces, accuracy and loss curves, rate norms). Immutable; {@link #with} returns a new chart.
 */
public record LineChart(String title, String xLabel, String yLabel, boolean logY, List<Series> series) {

  /** One named line; x and y have equal length. */
  public record Series(String name, double[] x, double[] y) {
    public Series {
      checkArgument(x.length == y.length, "series %s: %s x values but %s y values", name, x.length, y.length);
    }
  }

  public LineChart {
    series = List.copyOf(series);
  }

  public static LineChart of(String title, String xLabel, String yLabel) {
    return new LineChart(title, xLabel, yLabel, false, List.of());
  }

  public LineChart logScale() {
    return new LineChart(title, xLabel, yLabel, true, series);
  }

  public LineChart with(String name, double[] x, double[] y) {
    List<Series> more = new ArrayList<>(series);
    more.add(new Series(name, x, y));
    return new LineChart(title, xLabel, yLabel, logY, more);
  }

  /** Writes the chart as a PNG of the given size, atomically (temporary file, then rename). */
  public void writePng(Path file, int width, int height) throws IOException {
    checkArgument(!series.isEmpty(), "chart %s has no series to draw", title);
    XYChart chart =
        new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
    Styler styler = chart.getStyler();
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setLegendVisible(series.size() > 1);
    styler.setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setYAxisLogarithmic(logY);
    for (Series s : series) {
      XYSeries line = chart.addSeries(s.name(), s.x(), logY ? positive(s.y()) : s.y());
      line.setMarker(SeriesMarkers.NONE);
      line.setLineStyle(new BasicStroke(1.5f));
    }
    AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
  }

  /** A log axis cannot show zero or negative values; they become gaps (NaN) rather than an error. */
  private static double[] positive(double[] y) {
    double[] out = y.clone();
    for (int i = 0; i < out.length; i++) {
      if (!(out[i] > 0)) {
        out[i] = Double.NaN;
      }
    }
    return out;
  }
}
