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
  void refusesSeriesOfUnequalLength() {
    assertThatThrownBy(() -> LineChart.of("t", "x", "y").with("bad", new double[] {1}, new double[] {1, 2}))
        .hasMessageContaining("bad");
  }
}
