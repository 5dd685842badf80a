package superconv.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

  @TempDir Path dir;

  @Test
  void readsPlainAndGzippedFilesToTheSameExactContent() throws Exception {
    DataSplits plain = Datasets.read(Dataset.FASHION_MNIST, Fixtures.idxFolder(dir.resolve("plain"), false));
    DataSplits gzipped = Datasets.read(Dataset.FASHION_MNIST, Fixtures.idxFolder(dir.resolve("gz"), true));

    for (DataSplits data : new DataSplits[] {plain, gzipped}) {
      ImageSet train = data.train();
      assertThat(train.size()).isEqualTo(12);
      assertThat(train.height()).isEqualTo(28);
      assertThat(train.width()).isEqualTo(28);
      assertThat(train.channels()).isEqualTo(1);
      assertThat(train.labels()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1);
      for (int k = 0; k < 12; k++) {
        for (int i = 0; i < 784; i++) {
          assertThat(train.pixels()[k * 784 + i] & 0xFF).isEqualTo(Fixtures.idxPixel(k, i));
        }
      }
      assertThat(data.test().labels()).containsExactly(9, 8, 7, 6, 5);
      assertThat(data.test().classNames()).isEqualTo(Dataset.FASHION_MNIST.classNames());
    }
    assertThat(plain.train().sha256()).isEqualTo(gzipped.train().sha256());
    assertThat(plain.test().pixels()).isEqualTo(gzipped.test().pixels());
  }

  @Test
  void prefersThePlainFileWhenBothFormsArePresent() throws Exception {
    Path folder = Fixtures.idxFolder(dir, true);
    Fixtures.write(folder.resolve("t10k-labels-idx1-ubyte"), Fixtures.idxLabels(1, 1, 1, 1, 1));
    assertThat(Datasets.read(Dataset.MNIST, folder).test().labels()).containsExactly(1, 1, 1, 1, 1);
  }

  @Test
  void refusesBadMagicNumber() throws Exception {
    Path folder = Fixtures.idxFolder(dir, false);
    Path labels = folder.resolve("train-labels-idx1-ubyte");
    byte[] bytes = Files.readAllBytes(labels);
    bytes[2] = 0x0C; // int32 type instead of unsigned byte
    Files.write(labels, bytes);

    assertThatThrownBy(() -> Datasets.read(Dataset.FASHION_MNIST, folder))
        .isInstanceOf(DatasetException.class)
        .hasMessage(labels + ": bad IDX magic number 0x00000C01 at byte offset 0, expected 0x00000801 (unsigned bytes, 1 dimension)");
  }

  @Test
  void refusesImagesFileWithLabelsMagic() throws Exception {
    Path folder = Fixtures.idxFolder(dir, true);
    Path images = folder.resolve("t10k-images-idx3-ubyte.gz");
    Files.write(images, Fixtures.gzip(Fixtures.idxLabels(1, 2, 3)));
    assertThatThrownBy(() -> Datasets.read(Dataset.FASHION_MNIST, folder))
        .hasMessageStartingWith(images + ": bad IDX magic number 0x00000801 at byte offset 0, expected 0x00000803");
  }

  @Test
  void refusesPlainFileWhoseCountDisagreesWithItsSize() throws Exception {
    Path folder = Fixtures.idxFolder(dir, false);
    Path images = folder.resolve("train-images-idx3-ubyte");
    byte[] bytes = Files.readAllBytes(images);
    Files.write(images, Arrays.copyOf(bytes, bytes.length - 784)); // 11 images, header says 12

    assertThatThrownBy(() -> Datasets.read(Dataset.FASHION_MNIST, folder))
        .hasMessage(images + ": header count 12 (byte offset 4) with sizes [12, 28, 28] needs 9408 bytes after the"
            + " 16-byte header, the file has 8624");
  }

  @Test
  void refusesTruncatedAndOverlongGzippedFiles() throws Exception {
    Path folder = Fixtures.idxFolder(dir, true);
    Path images = folder.resolve("t10k-images-idx3-ubyte.gz");
    byte[] content = Fixtures.idxImages(5);
    Files.write(images, Fixtures.gzip(Arrays.copyOf(content, content.length - 10)));
    assertThatThrownBy(() -> Datasets.read(Dataset.FASHION_MNIST, folder))
        .hasMessage(images + ": header count 5 (byte offset 4) with sizes [5, 28, 28] needs 3920 bytes after the"
            + " 16-byte header, the data ends after 3910");

    Files.write(images, Fixtures.gzip(Arrays.copyOf(content, content.length + 1)));
    assertThatThrownBy(() -> Datasets.read(Dataset.FASHION_MNIST, folder))
        .hasMessage(images + ": more data than header count 5 (byte offset 4) with sizes [5, 28, 28] describes:"
            + " extra bytes from byte offset 3936");

    Files.write(images, Arrays.copyOf(Fixtures.gzip(content), 40)); // the gzip stream itself cut off
    assertThatThrownBy(() -> Datasets.read(Dataset.FASHION_MNIST, folder))
        .hasMessageStartingWith(images + ": ");

    Files.write(images, Fixtures.gzip(Arrays.copyOf(content, 10)));
    assertThatThrownBy(() -> Datasets.read(Dataset.FASHION_MNIST, folder))
        .hasMessage(images + ": ends at byte offset 10 inside the 16-byte IDX header");
  }

  @Test
  void refusesLabelOutOfRangeNamingTheByteOffset() throws Exception {
    Path folder = Fixtures.idxFolder(dir, false);
    Path labels = folder.resolve("t10k-labels-idx1-ubyte");
    Files.write(labels, Fixtures.idxLabels(1, 2, 3, 10, 4));
    assertThatThrownBy(() -> Datasets.read(Dataset.MNIST, folder))
        .hasMessage(labels + ": label 10 at byte offset 11 is outside 0..9");
  }

  @Test
  void refusesLabelCountThatDisagreesWithImageCount() throws Exception {
    Path folder = Fixtures.idxFolder(dir, false);
    Path labels = folder.resolve("t10k-labels-idx1-ubyte");
    Files.write(labels, Fixtures.idxLabels(1, 2, 3));
    assertThatThrownBy(() -> Datasets.read(Dataset.MNIST, folder))
        .hasMessage(labels + ": holds 3 labels but " + folder.resolve("t10k-images-idx3-ubyte") + " holds 5 images");
  }

  @Test
  void refusesImagesOfTheWrongShape() throws Exception {
    Path folder = Fixtures.idxFolder(dir, false);
    Path images = folder.resolve("t10k-images-idx3-ubyte");
    Files.write(images, Fixtures.idx(new int[] {5, 32, 32}, new byte[5 * 1024]));
    assertThatThrownBy(() -> Datasets.read(Dataset.MNIST, folder))
        .hasMessage(images + ": images are 32x32 (header byte offsets 8 and 12), expected 28x28");
  }
}
