package superconv.training.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;
import org.junit.jupiter.api.io.TempDir;

class LineChartTest {

  @TempDir Path dir;

  @Test
  void writesAPngOfTheRequestedSizeAndNoTemporaryFile() throws Exception {
    Path png = dir.resolve("plots/lr.png");
    LineChart.of("lr", "iteration", "rate")
        .with("triangular", new double[] {0, 1, 2}, new double[] {0.1, 1.0, 0.1})
        .with("zero on log", new double[] {0, 1, 2}, new double[] {0.0, 0.5, 0.2})
        .logScale()
        .writePng(png, 640, 360);

    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(640);
    assertThat(image.getHeight()).isEqualTo(360);
    try (var files = Files.list(png.getParent())) {
      assertThat(files).containsExactly(png);
    }
  }

  @Test
  void aSecondAxisIsDrawnOnTheRight() throws Exception {
    double[] x = {0, 1, 2, 3};
    LineChart rate = LineChart.of("one-cycle", "iteration", "learning rate").with("lr", x, new double[] {0.1, 1, 0.1, 0.01});
    Path plain = dir.resolve("plain.png");
    Path both = dir.resolve("both.png");
    rate.writePng(plain, 640, 360);
    rate.withSecondAxis("momentum", "momentum", x, new double[] {0.95, 0.85, 0.95, 0.95}).writePng(both, 640, 360);
    // The right-hand band holds the second axis's tick labels and title; without it, only the plot's frame.
    assertThat(inkInRightBand(ImageIO.read(both.toFile()))).isGreaterThan(3 * inkInRightBand(ImageIO.read(plain.toFile())));
    assertThatThrownBy(() -> rate.logScale().withSecondAxis("m", "m", x, x)).hasMessageContaining("linear");
  }

  /** Dark pixels in the rightmost 50 columns (above the legend). */
  private static int inkInRightBand(BufferedImage image) {
    int ink = 0;
    for (int px = image.getWidth() - 50; px < image.getWidth(); px++) {
      for (int py = 0; py < image.getHeight() - 60; py++) {
        int rgb = image.getRGB(px, py);
        int brightness = ((rgb >> 16) & 255) + ((rgb >> 8) & 255) + (rgb & 255);
        ink += brightness < 300 ? 1 : 0;
      }
    }
    return ink;
  }

  @Test
  void aLegendTooWideForOneRowGetsOneEntryALineAndKeepsEveryEntry() throws Exception {
    double[] x = {1, 2, 3};
    LineChart few = LineChart.of("few", "epoch", "accuracy (%)").with("sgd", x, x).with("adam", x, x);
    LineChart many = LineChart.of("many", "epoch", "accuracy (%)");
    for (int i = 0; i < 7; i++) {
      many = many.with("seed={1,2,3},triangular_min0.001_max1_cycle_epochs" + i + ": mean of 3", x, x);
    }
    assertThat(few.toXChart(1000, 600).getStyler().getLegendLayout()).isEqualTo(Styler.LegendLayout.Horizontal);
    assertThat(many.toXChart(1000, 600).getStyler().getLegendLayout()).isEqualTo(Styler.LegendLayout.Vertical);
    // One row would run past both edges; one entry a line, the legend's rows of ink stack up under the plot.
    Path png = dir.resolve("many.png");
    many.writePng(png, 1000, 600);
    assertThat(inkRowsBelowPlot(ImageIO.read(png.toFile()))).isGreaterThanOrEqualTo(7);
  }

  /** Runs of dark pixel rows in the bottom 200 rows, each a line of text: the x axis title and the legend's entries. */
  private static int inkRowsBelowPlot(BufferedImage image) {
    int runs = 0;
    boolean inRun = false;
    for (int py = image.getHeight() - 200; py < image.getHeight(); py++) {
      boolean ink = false;
      for (int px = 0; px < image.getWidth() && !ink; px++) {
        int rgb = image.getRGB(px, py);
        ink = ((rgb >> 16) & 255) + ((rgb >> 8) & 255) + (rgb & 255) < 300;
      }
      runs += ink && !inRun ? 1 : 0;
      inRun = ink;
    }
    return runs;
  }

  @Test
  void aBandShadesItsLinesRangeInTheLinesColourBeneathTheLines() throws Exception {
    double[] x = {1, 2, 3, 4};
    LineChart line = LineChart.of("seeds", "epoch", "accuracy (%)").with("mean", x, new double[] {60, 80, 86, 91})
        .with("other", x, new double[] {50, 80, 92, 95});
    LineChart band = line.withBand("mean", x, new double[] {60, 70, 80, 90}, new double[] {70, 92, 91, 94});
    Path plain = dir.resolve("plain.png");
    Path shaded = dir.resolve("band.png");
    line.writePng(plain, 640, 360);
    band.writePng(shaded, 640, 360);
    // Anti-aliased lines and the legend tint a few pixels of the plain chart too.
    assertThat(tinted(ImageIO.read(shaded.toFile()))).as("a light fill over a good part of the plot")
        .isGreaterThan(tinted(ImageIO.read(plain.toFile())) + 10_000);
    XYChart chart = band.toXChart(640, 360);
    assertThat(chart.getSeriesMap().get("mean (band)").getFillColor().getAlpha()).isLessThan(255);
    assertThat(chart.getSeriesMap().get("mean (band)").isShowInLegend()).isFalse();
    assertThat(chart.getSeriesMap().get("mean (band)").getFillColor().getRGB() & 0xffffff)
        .isEqualTo(chart.getSeriesMap().get("mean").getLineColor().getRGB() & 0xffffff);
    assertThatThrownBy(() -> line.withBand("nobody", x, x, x).toXChart(640, 360)).hasMessageContaining("nobody");
    assertThatThrownBy(() -> line.withBand("mean", x, x, new double[] {1})).hasMessageContaining("band mean");
  }

  /** Light, coloured pixels: neither the white background nor the grey grid. */
  private static int tinted(BufferedImage image) {
    int count = 0;
    for (int px = 0; px < image.getWidth(); px++) {
      for (int py = 0; py < image.getHeight(); py++) {
        int rgb = image.getRGB(px, py);
        int r = (rgb >> 16) & 255;
        int g = (rgb >> 8) & 255;
        int b = rgb & 255;
        count += Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 20 && r + g + b > 500 ? 1 : 0;
      }
    }
    return count;
  }

  @Test
  void refusesSeriesOfUnequalLength() {
    assertThatThrownBy(() -> LineChart.of("t", "x", "y").with("bad", new double[] {1}, new double[] {1, 2}))
        .hasMessageContaining("bad");
  }

  @Test
  void aLogAxisOnlyWhereTheDataSpansDecadesAndALinearAxisWouldCrowdIt() {
    double[] loss = new double[50];
    double[] triangle = new double[1000];
    double[] decay = new double[1000];
    for (int i = 0; i < 50; i++) {
      loss[i] = 0.9 - 0.6 * i / 49.0; // no power of ten between 0.3 and 0.9
    }
    for (int i = 0; i < 1000; i++) {
      triangle[i] = 0.001 + (1 - 0.001) * (1 - Math.abs(i / 500.0 - 1));
      decay[i] = Math.pow(0.001, i / 999.0);
    }
    assertThat(LineChart.spansDecades(List.of(loss))).isFalse();
    assertThat(LineChart.spansDecades(List.of(triangle))).as("a triangle stays a triangle").isFalse();
    assertThat(LineChart.spansDecades(List.of(decay))).isTrue();
    assertThat(LineChart.spansDecades(List.of(new double[] {1, 50}))).as("less than two decades").isFalse();
    assertThat(LineChart.spansDecades(List.of(new double[] {0, -1, Double.NaN}))).isFalse();
  }

  @Test
  void ticksAreRoundNumbersOnBothAxes() throws Exception {
    double[] epochs = new double[100];
    double[] loss = new double[100];
    for (int i = 0; i < 100; i++) {
      epochs[i] = i + 1;
      loss[i] = 0.9 - 0.6 * i / 99.0;
    }
    XYChart chart = LineChart.of("loss", "epoch", "loss").logScale().with("run", epochs, loss).toXChart(1000, 600);
    assertThat(ticks(chart, "getXAxis")).containsExactly(0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0);
    List<Double> y = ticks(chart, "getYAxis");
    assertThat(y).hasSizeGreaterThanOrEqualTo(4);
    assertRound(y);

    // Rates per iteration on an epoch axis: 390 iterations per epoch, the first at 1/390.
    double[] x = new double[990];
    double[] rate = new double[990];
    for (int i = 0; i < x.length; i++) {
      x[i] = (i + 1) / 390.0;
      rate[i] = 0.001 + Math.abs(i / 495.0 - 1);
    }
    XYChart rates = LineChart.of("lr", "epoch", "rate").logScale().with("run", x, rate).toXChart(1000, 600);
    List<Double> xTicks = ticks(rates, "getXAxis");
    assertThat(xTicks).contains(0.0, 1.0, 2.0);
    assertRound(xTicks);
    assertThat(rates.getStyler().isYAxisLogarithmic()).as("a triangular cycle on a linear axis").isFalse();

    Path png = dir.resolve("rates.png");
    LineChart.of("lr", "epoch", "rate").logScale().with("run", x, rate).writePng(png, 1000, 600);
    assertThat(png).exists();
  }

  /** Each value a whole multiple of one step 1, 2 or 5 x 10^k. */
  private static void assertRound(List<Double> ticks) {
    double step = ticks.get(1) - ticks.get(0);
    double magnitude = Math.pow(10, Math.floor(Math.log10(step)));
    assertThat(step / magnitude).isCloseTo(Math.rint(step / magnitude), org.assertj.core.data.Offset.offset(1e-9));
    assertThat(Math.rint(step / magnitude)).isIn(1.0, 2.0, 5.0);
    for (double tick : ticks) {
      assertThat(tick / step).as("tick %s, step %s", tick, step)
          .isCloseTo(Math.rint(tick / step), org.assertj.core.data.Offset.offset(1e-6));
    }
  }

  /** The tick values XChart draws on one axis (inside the axis range), read after a rendering. */
  private static List<Double> ticks(XYChart chart, String axis) throws Exception {
    BitmapEncoder.getBufferedImage(chart);
    Method getter = org.knowm.xchart.internal.chartpart.Chart.class.getDeclaredMethod(axis);
    getter.setAccessible(true);
    org.knowm.xchart.internal.chartpart.Axis<?, ?> a = (org.knowm.xchart.internal.chartpart.Axis<?, ?>) getter.invoke(chart);
    List<String> labels = a.getAxisTickCalculator().getTickLabels();
    List<Double> values = new ArrayList<>();
    for (String label : labels) {
      values.add(Double.parseDouble(label.replace(",", "")));
    }
    double min = Math.min(a.getChartValue(a.getScreenValueForMin()), a.getChartValue(a.getScreenValueForMax()));
    double max = Math.max(a.getChartValue(a.getScreenValueForMin()), a.getChartValue(a.getScreenValueForMax()));
    return values.stream().filter(v -> v >= min - 1e-9 && v <= max + 1e-9).toList();
  }
}
