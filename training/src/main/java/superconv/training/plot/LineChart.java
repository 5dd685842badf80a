package superconv.training.plot;

import static com.google.common.base.Preconditions.checkArgument;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
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
public record LineChart(
    String title, String xLabel, String yLabel, boolean logY, String secondYLabel, List<Series> series,
    List<Band> bands, boolean logX) {

  /** One named line; x and y have equal length; drawn against the right-hand axis when {@code secondAxis}. */
  public record Series(String name, double[] x, double[] y, boolean secondAxis) {
    public Series {
      checkArgument(x.length == y.length, "series %s: %s x values but %s y values", name, x.length, y.length);
    }

    public Series(String name, double[] x, double[] y) {
      this(name, x, y, false);
    }
  }

  /**
   * A shaded range from {@code low} to {@code high} around the line of the same name (a spread over seeds), drawn
   * in that line's colour, translucent and beneath every line, so that lines crossing it stay visible.
   */
  public record Band(String name, double[] x, double[] low, double[] high) {
    public Band {
      checkArgument(x.length == low.length && x.length == high.length,
          "band %s: %s x values but %s low and %s high values", name, x.length, low.length, high.length);
    }
  }

  public LineChart {
    series = List.copyOf(series);
    bands = List.copyOf(bands);
  }

  public static LineChart of(String title, String xLabel, String yLabel) {
    return new LineChart(title, xLabel, yLabel, false, null, List.of(), List.of(), false);
  }

  /**
   * A logarithmic y axis where the data spans decades ({@link #spansDecades}), else a linear one: a log axis over a
   * narrower range labels no power of ten (XChart labels only those) and bends straight lines into domes.
   */
  public LineChart logScale() {
    checkArgument(secondYLabel == null, "chart %s: a log scale would apply to its second axis too", title);
    return new LineChart(title, xLabel, yLabel, true, secondYLabel, series, bands, logX);
  }

  /**
   * A logarithmic x axis, always: for x values that are swept over decades by design (a range test's rates), where
   * the picture must not depend on how the points happen to spread. Non-positive x values are refused.
   */
  public LineChart logXAxis() {
    for (Series s : series) {
      checkArgument(java.util.Arrays.stream(s.x()).allMatch(v -> v > 0 || Double.isNaN(v)),
          "chart %s: a log x axis needs positive x values (series %s)", title, s.name());
    }
    return new LineChart(title, xLabel, yLabel, logY, secondYLabel, series, bands, true);
  }

  public LineChart with(String name, double[] x, double[] y) {
    List<Series> more = new ArrayList<>(series);
    more.add(new Series(name, x, y));
    return new LineChart(title, xLabel, yLabel, logY, secondYLabel, more, bands, logX);
  }

  /** Adds a band around the line {@code name} (added before or after it); a band without its line is refused. */
  public LineChart withBand(String name, double[] x, double[] low, double[] high) {
    List<Band> more = new ArrayList<>(bands);
    more.add(new Band(name, x, low, high));
    return new LineChart(title, xLabel, yLabel, logY, secondYLabel, series, more, logX);
  }

  /**
   * Adds a line drawn against a second, right-hand y axis titled {@code axisLabel} (e.g. momentum beside a
   * learning rate: other units, other range). Linear charts only.
   */
  public LineChart withSecondAxis(String axisLabel, String name, double[] x, double[] y) {
    checkArgument(!logY, "chart %s: a second axis needs a linear scale", title);
    List<Series> more = new ArrayList<>(series);
    more.add(new Series(name, x, y, true));
    return new LineChart(title, xLabel, yLabel, logY, axisLabel, more, bands, logX);
  }

  /** Writes the chart as a PNG of the given size, atomically (temporary file, then rename). */
  public void writePng(Path file, int width, int height) throws IOException {
    XYChart chart = toXChart(width, height);
    AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
  }

  /**
   * Whether a log axis serves these values better than a linear one: they span at least two decades (max/min >= 100,
   * so a log axis always shows two labelled powers of ten; below that a linear axis shows every value well) and a
   * linear axis would crowd them: half of them lie in its lowest tenth, as decaying losses and rates do. Rates that
   * sweep linearly between their bounds (triangular, cosine, one-cycle) stay linear and keep their shape. Only
   * positive finite values count.
   */
  public static boolean spansDecades(List<double[]> values) {
    double[] positive = values.stream().flatMapToDouble(java.util.Arrays::stream)
        .filter(v -> v > 0 && Double.isFinite(v)).sorted().toArray();
    if (positive.length < 2) {
      return false;
    }
    double min = positive[0];
    double max = positive[positive.length - 1];
    double median = positive[positive.length / 2];
    return max / min >= 100 && median < min + (max - min) / 10;
  }

  /** The XChart chart {@link #writePng} draws. */
  XYChart toXChart(int width, int height) {
    checkArgument(!series.isEmpty(), "chart %s has no series to draw", title);
    boolean log = logY && secondYLabel == null && spansDecades(series.stream().map(Series::y).toList());
    XYChart chart =
        new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
    Styler styler = chart.getStyler();
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setLegendVisible(series.size() > 1 || !bands.isEmpty());
    // Below the plot: a legend inside it covers data wherever the lines happen to run. XChart draws a horizontal
    // legend as one row and cuts off whatever does not fit, so a legend wider than the chart is one entry a line.
    styler.setLegendPosition(Styler.LegendPosition.OutsideS);
    styler.setLegendLayout(
        legendRowWidth(styler) <= width ? Styler.LegendLayout.Horizontal : Styler.LegendLayout.Vertical);
    chart.getStyler().setYAxisLogarithmic(log);
    chart.getStyler().setXAxisLogarithmic(logX);
    double xMin = series.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.x())).filter(Double::isFinite)
        .min().orElse(0);
    double xMax = series.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.x())).filter(Double::isFinite)
        .max().orElse(1);
    if (!logX && xMin >= 0 && xMin <= xMax / 10) {
      // Epochs and iterations count from 0: an axis from there has its ticks at 0 and multiples of 1, 2 or 5 x 10^k.
      chart.getStyler().setXAxisMin(0.0);
    }
    if (secondYLabel != null) {
      chart.setYAxisGroupTitle(0, yLabel);
      chart.setYAxisGroupTitle(1, secondYLabel);
      styler.setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
    }
    // Colours are set, not left to XChart's turn-taking, so that a band and its line share one.
    Color[] colours = styler.getSeriesColors();
    List<String> names = series.stream().map(Series::name).toList();
    for (Band band : bands) {
      int index = names.indexOf(band.name());
      checkArgument(index >= 0, "chart %s: band %s has no line of that name", title, band.name());
      Series line = series.get(index);
      Color colour = colours[index % colours.length];
      XYSeries area = chart.addSeries(band.name() + " (band)", outline(band.x()),
          log ? positive(outline(band.low(), band.high())) : outline(band.low(), band.high()));
      area.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
      area.setFillColor(new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 56));
      area.setLineColor(new Color(0, 0, 0, 0));
      area.setMarker(SeriesMarkers.NONE);
      area.setShowInLegend(false);
      area.setYAxisGroup(line.secondAxis() ? 1 : 0);
    }
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      XYSeries line = chart.addSeries(s.name(), s.x(), log ? positive(s.y()) : s.y());
      line.setMarker(SeriesMarkers.NONE);
      line.setLineStyle(new BasicStroke(1.5f));
      line.setLineColor(colours[i % colours.length]);
      line.setYAxisGroup(s.secondAxis() ? 1 : 0);
    }
    if (!logX && series.get(0).x().length >= 2) {
      // XChart puts the x ticks of equally spaced data at every k-th data value (1, 5, 9, ... epochs; 0.1524,
      // 0.3048, ... for iterations shown in epochs). One invisible point between the first two breaks the equal
      // spacing, and XChart places its ticks at round multiples instead.
      double[] x = series.get(0).x();
      XYSeries anchor = chart.addSeries(" ", new double[] {(x[0] + x[1]) / 2}, new double[] {Double.NaN});
      anchor.setShowInLegend(false);
      anchor.setMarker(SeriesMarkers.NONE);
    }
    return chart;
  }

  /** The width of the legend drawn as one row: each entry's line sample, name and padding, in the legend's font. */
  private int legendRowWidth(Styler styler) {
    Graphics2D graphics = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
    try {
      FontMetrics metrics = graphics.getFontMetrics(styler.getLegendFont());
      int entry = styler.getLegendSeriesLineLength() + 3 * styler.getLegendPadding();
      return 2 * styler.getLegendPadding()
          + series.stream().mapToInt(s -> metrics.stringWidth(s.name()) + entry).sum();
    } finally {
      graphics.dispose();
    }
  }

  /** The x values along the band's top and back along its bottom: one closed polygon. */
  private static double[] outline(double[] x) {
    return outline(x, x);
  }

  private static double[] outline(double[] forward, double[] back) {
    double[] out = new double[forward.length + back.length];
    System.arraycopy(forward, 0, out, 0, forward.length);
    for (int i = 0; i < back.length; i++) {
      out[forward.length + i] = back[back.length - 1 - i];
    }
    return out;
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
