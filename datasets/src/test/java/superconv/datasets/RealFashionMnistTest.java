package superconv.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real Fashion-MNIST from Debian's dataset-fashion-mnist package; skipped where it is not installed. */
class RealFashionMnistTest {

  @Test
  void readsTheInstalledSet() {
    Path folder = DataLocation.DEBIAN_DATASETS.resolve("fashion-mnist");
    assumeThat(DataLocation.missingFiles(Dataset.FASHION_MNIST, folder))
        .as("dataset-fashion-mnist installed in %s", folder).isEmpty();

    DataSplits data = Datasets.load(Dataset.FASHION_MNIST, new DataLocation(Path.of("/nonexistent-superconv-root"),
        List.of(DataLocation.DEBIAN_DATASETS)), FetchPolicy.OFFLINE);

    assertThat(data.folder()).isEqualTo(folder);
    assertThat(data.train().size()).isEqualTo(60000);
    assertThat(data.test().size()).isEqualTo(10000);
    assertThat(data.train().labelCounts()).hasSize(10).containsOnly(6000);
    assertThat(data.test().labelCounts()).hasSize(10).containsOnly(1000);
    assertThat(data.train().pixels()).hasSize(60000 * 784);
    // Widely published statistics of the Fashion-MNIST training set: mean 0.2860, std 0.3530 on the 0-1 scale.
    assertThat(data.train().channelMean()[0] / 255).isBetween(0.2855, 0.2865);
    assertThat(data.train().channelStd()[0] / 255).isBetween(0.3525, 0.3535);
  }
}
