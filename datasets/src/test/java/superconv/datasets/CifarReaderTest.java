package superconv.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarReaderTest {

  @TempDir Path dir;

  @Test
  void placesPlanarPixelsInNhwcOrderExactly() throws Exception {
    Path folder = Fixtures.cifar10Folder(dir);
    DataSplits data = Datasets.read(Dataset.CIFAR10, folder);

    ImageSet train = data.train();
    assertThat(train.size()).isEqualTo(10);
    assertThat(train.height()).isEqualTo(32);
    assertThat(train.width()).isEqualTo(32);
    assertThat(train.channels()).isEqualTo(3);
    assertThat(train.labels()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    for (int k = 0; k < 10; k++) {
      for (int y = 0; y < 32; y++) {
        for (int x = 0; x < 32; x++) {
          for (int c = 0; c < 3; c++) {
            int nhwc = ((k * 32 + y) * 32 + x) * 3 + c;
            assertThat(train.pixels()[nhwc] & 0xFF).as("image %d y %d x %d c %d", k, y, x, c)
                .isEqualTo(Fixtures.cifarPixel(k, c, y * 32 + x));
          }
        }
      }
    }
    ImageSet test = data.test();
    assertThat(test.labels()).containsExactly(9, 0, 4);
    // Image 2 of the test batch, bottom-right pixel, blue: the last byte of the file.
    assertThat(test.pixels()[test.pixels().length - 1] & 0xFF).isEqualTo(Fixtures.cifarPixel(102, 2, 1023));
    byte[] testFile = Files.readAllBytes(folder.resolve("test_batch.bin"));
    assertThat(test.pixels()[test.pixels().length - 1]).isEqualTo(testFile[testFile.length - 1]);
    // Red of the first pixel of the first test image sits right after its label byte.
    assertThat(test.pixels()[0]).isEqualTo(testFile[1]);
    assertThat(test.name()).isEqualTo("cifar10/test");
  }

  @Test
  void namesClassesFromBatchesMetaWhenPresentElseBuiltIn() throws Exception {
    Path folder = Fixtures.cifar10Folder(dir);
    assertThat(Datasets.read(Dataset.CIFAR10, folder).train().classNames()).isEqualTo(Dataset.CIFAR10.classNames());

    Files.writeString(folder.resolve("batches.meta.txt"), "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n\n");
    assertThat(Datasets.read(Dataset.CIFAR10, folder).test().classNames())
        .containsExactly("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");

    Files.writeString(folder.resolve("batches.meta.txt"), "a\nb\n");
    assertThatThrownBy(() -> Datasets.read(Dataset.CIFAR10, folder))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("batches.meta.txt")
        .hasMessageContaining("names 2 classes, expected 10");
  }

  @Test
  void refusesTruncatedFileNamingItAndTheOffset() throws Exception {
    Path folder = Fixtures.cifar10Folder(dir);
    Path batch3 = folder.resolve("data_batch_3.bin");
    byte[] whole = Files.readAllBytes(batch3);
    Files.write(batch3, Arrays.copyOf(whole, whole.length - 100)); // second record cut short

    assertThatThrownBy(() -> Datasets.read(Dataset.CIFAR10, folder))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining(batch3.toString())
        .hasMessageContaining("6046 bytes is not a whole number of 3073-byte records")
        .hasMessageContaining("partial record at byte offset 3073");
  }

  @Test
  void refusesEmptyAndMissingFiles() throws Exception {
    Path folder = Fixtures.cifar10Folder(dir);
    Files.write(folder.resolve("test_batch.bin"), new byte[0]);
    assertThatThrownBy(() -> Datasets.read(Dataset.CIFAR10, folder))
        .hasMessageContaining("test_batch.bin: file is empty");

    Files.delete(folder.resolve("data_batch_5.bin"));
    assertThatThrownBy(() -> Datasets.read(Dataset.CIFAR10, folder))
        .hasMessageContaining("data_batch_5.bin: no such file");
  }

  @Test
  void refusesLabelOutOfRangeNamingTheByteOffset() throws Exception {
    Path folder = Fixtures.cifar10Folder(dir);
    Path batch = folder.resolve("data_batch_2.bin");
    Fixtures.write(batch, Fixtures.cifarRecords(2, null, new int[] {3, 10}));

    assertThatThrownBy(() -> Datasets.read(Dataset.CIFAR10, folder))
        .isInstanceOf(DatasetException.class)
        .hasMessage(batch + ": label 10 at byte offset 3073 is outside 0..9");
  }

  @Test
  void readsCifar100FineLabelsAsTheClass() throws Exception {
    Path folder = dir.resolve("cifar-100-binary");
    Fixtures.write(folder.resolve("train.bin"), Fixtures.cifarRecords(0, new int[] {19, 0, 7}, new int[] {99, 0, 42}));
    Fixtures.write(folder.resolve("test.bin"), Fixtures.cifarRecords(50, new int[] {4}, new int[] {58}));

    DataSplits data = Datasets.read(Dataset.CIFAR100, folder);

    assertThat(data.train().labels()).containsExactly(99, 0, 42);
    assertThat(data.train().classes()).isEqualTo(100);
    assertThat(data.train().classNames().get(99)).isEqualTo("worm");
    assertThat(data.test().labels()).containsExactly(58);
    for (int i = 0; i < 1024; i++) {
      for (int c = 0; c < 3; c++) {
        assertThat(data.train().pixels()[(2 * 1024 + i) * 3 + c] & 0xFF).isEqualTo(Fixtures.cifarPixel(2, c, i));
        assertThat(data.test().pixels()[i * 3 + c] & 0xFF).isEqualTo(Fixtures.cifarPixel(50, c, i));
      }
    }
  }

  @Test
  void readsCifar100NamesFileAndChecksLabelRanges() throws Exception {
    Path folder = dir.resolve("cifar-100-binary");
    Fixtures.write(folder.resolve("train.bin"), Fixtures.cifarRecords(0, new int[] {1}, new int[] {5}));
    Fixtures.write(folder.resolve("test.bin"), Fixtures.cifarRecords(1, new int[] {1}, new int[] {6}));
    StringBuilder names = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      names.append("class").append(i).append('\n');
    }
    Files.writeString(folder.resolve("fine_label_names.txt"), names);
    assertThat(Datasets.read(Dataset.CIFAR100, folder).train().classNames().get(5)).isEqualTo("class5");

    Path test = folder.resolve("test.bin");
    Fixtures.write(test, Fixtures.cifarRecords(1, new int[] {1, 2}, new int[] {6, 100}));
    assertThatThrownBy(() -> Datasets.read(Dataset.CIFAR100, folder))
        .hasMessage(test + ": label 100 at byte offset 3075 is outside 0..99");

    Fixtures.write(test, Fixtures.cifarRecords(1, new int[] {20}, new int[] {6}));
    assertThatThrownBy(() -> Datasets.read(Dataset.CIFAR100, folder))
        .hasMessage(test + ": coarse label 20 at byte offset 0 is outside 0..19");

    Fixtures.write(test, Arrays.copyOf(Fixtures.cifarRecords(1, new int[] {1}, new int[] {6}), 3073));
    assertThatThrownBy(() -> Datasets.read(Dataset.CIFAR100, folder))
        .hasMessageContaining(test + ": 3073 bytes is not a whole number of 3074-byte records: partial record at byte offset 0");
  }
}
