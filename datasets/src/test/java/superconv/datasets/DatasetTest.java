package superconv.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetTest {

  @Test
  void findsSetsByIdAndListsValidIdsOtherwise() {
    assertThat(Dataset.fromId("cifar10")).isEqualTo(Dataset.CIFAR10);
    assertThat(Dataset.fromId("CIFAR100")).isEqualTo(Dataset.CIFAR100);
    assertThat(Dataset.fromId("fashion-mnist")).isEqualTo(Dataset.FASHION_MNIST);
    assertThat(Dataset.fromId("mnist")).isEqualTo(Dataset.MNIST);
    assertThatThrownBy(() -> Dataset.fromId("cifar-10"))
        .isInstanceOf(DatasetException.class)
        .hasMessage("unknown dataset 'cifar-10'; valid: cifar10, cifar100, fashion-mnist, mnist");
  }

  @Test
  void describesShapesAndClasses() {
    assertThat(List.of(Dataset.CIFAR10.height(), Dataset.CIFAR10.width(), Dataset.CIFAR10.channels(), Dataset.CIFAR10.classes()))
        .containsExactly(32, 32, 3, 10);
    assertThat(List.of(Dataset.CIFAR100.channels(), Dataset.CIFAR100.classes())).containsExactly(3, 100);
    assertThat(List.of(Dataset.MNIST.height(), Dataset.MNIST.channels(), Dataset.MNIST.classes())).containsExactly(28, 1, 10);
    assertThat(Dataset.FASHION_MNIST.classNames()).startsWith("T-shirt/top").endsWith("Ankle boot").hasSize(10);
  }

  @Test
  void cifar100FineNamesAreTheSortedHundred() {
    List<String> names = Dataset.CIFAR100.classNames();
    assertThat(names).hasSize(100).doesNotHaveDuplicates().isSorted();
    assertThat(names.get(0)).isEqualTo("apple");
    assertThat(names.get(99)).isEqualTo("worm");
  }

  @Test
  void carriesTheOfficialChecksums() {
    assertThat(Dataset.CIFAR10.remoteFiles()).containsExactly(
        new RemoteFile("cifar-10-binary.tar.gz", "c32a1d4ab5d03f1284b67883e8d87530"));
    assertThat(Dataset.CIFAR100.remoteFiles()).containsExactly(
        new RemoteFile("cifar-100-binary.tar.gz", "03b5dce01913d631647c71ecec9e9cb8"));
    assertThat(Dataset.FASHION_MNIST.remoteFiles()).hasSize(4);
    assertThat(Dataset.MNIST.remoteFiles()).extracting(RemoteFile::name).containsExactly(
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");
    assertThat(Dataset.CIFAR10.downloadBase().resolve("cifar-10-binary.tar.gz").toString())
        .isEqualTo("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz");
  }
}
