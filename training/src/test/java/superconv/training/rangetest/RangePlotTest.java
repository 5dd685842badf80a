package superconv.training.rangetest;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import superconv.training.plot.LineChart;

/** The range test's chart: loss on the left, the bounds marked, accuracy (where evaluated) on a right-hand axis. */
class RangePlotTest {

  @TempDir Path dir;

  /** A loss that falls and explodes over 100 rates from 1e-4 to 10; accuracy every 10 iterations. */
  private static RangeCurve curve(boolean evaluated) {
    double[] rates = new double[100];
    double[] losses = new double[100];
    List<RangeCurve.Accuracy> accuracies = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      rates[i] = 1e-4 * Math.pow(1e5, i / 99.0);
      double x = Math.log10(rates[i]);
      losses[i] = 2.3 - 1.5 * Math.exp(-(x + 1) * (x + 1)) + (x > 0 ? 3 * x : 0);
      if (evaluated && i % 10 == 9) {
        accuracies.add(new RangeCurve.Accuracy(i, rates[i], 0.1 + 0.6 * Math.exp(-(x + 1) * (x + 1)), losses[i], 500));
      }
    }
    RangeCurve raw = RangeCurve.of(rates, losses);
    return new RangeCurve(raw.rates(), raw.losses(), raw.smoothed(), raw.stop(),
        accuracies.stream().filter(a -> a.iteration() < raw.size()).toList());
  }

  @Test
  void accuracyGoesOnASecondAxisBesideTheLossAndTheMarkedBounds() throws Exception {
    RangeCurve evaluated = curve(true);
    Optional<Bounds> bounds = Bounds.of(evaluated);
    assertThat(bounds).isPresent();
    LineChart chart = RangePlot.chart("exp/run", evaluated, bounds);
    assertThat(chart.secondYLabel()).isEqualTo(RangePlot.ACCURACY_AXIS);
    assertThat(chart.logX()).isTrue();
    assertThat(chart.series()).extracting(LineChart.Series::name).contains("smoothed loss", "raw loss",
        "min " + Bounds.round(bounds.get().min().rate()), "max " + Bounds.round(bounds.get().max().rate()),
        "test accuracy (500 images)");
    LineChart.Series accuracy = chart.series().get(chart.series().size() - 1);
    assertThat(accuracy.secondAxis()).isTrue();
    assertThat(accuracy.y()).as("in percent").contains(100 * evaluated.accuracies().get(0).accuracy());

    LineChart plain = RangePlot.chart("exp/run", curve(false), Bounds.of(curve(false)));
    assertThat(plain.secondYLabel()).isNull();
    assertThat(plain.series()).noneMatch(LineChart.Series::secondAxis);

    Path both = dir.resolve("both.png");
    Path lossOnly = dir.resolve("loss.png");
    chart.writePng(both, 1000, 550);
    plain.writePng(lossOnly, 1000, 550);
    // The right-hand band holds the accuracy axis's ticks and title; without it, only the plot's frame.
    assertThat(inkInRightBand(ImageIO.read(both.toFile())))
        .isGreaterThan(3 * inkInRightBand(ImageIO.read(lossOnly.toFile())));
  }

  /** Dark pixels in the rightmost 50 columns, above the legend. */
  static int inkInRightBand(BufferedImage image) {
    int ink = 0;
    for (int px = image.getWidth() - 50; px < image.getWidth(); px++) {
      for (int py = 0; py < image.getHeight() - 80; py++) {
        int rgb = image.getRGB(px, py);
        ink += ((rgb >> 16) & 255) + ((rgb >> 8) & 255) + (rgb & 255) < 300 ? 1 : 0;
      }
    }
    return ink;
  }
}
