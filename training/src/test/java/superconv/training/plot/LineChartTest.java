package superconv.training.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
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
  void refusesSeriesOfUnequalLength() {
    assertThatThrownBy(() -> LineChart.of("t", "x", "y").with("bad", new double[] {1}, new double[] {1, 2}))
        .hasMessageContaining("bad");
  }
}
