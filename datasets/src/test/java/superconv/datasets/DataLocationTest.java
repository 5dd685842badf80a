package superconv.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataLocationTest {

  @TempDir Path dir;

  @Test
  void rootIsDataDirElseEnvironmentElseCacheInHome() {
    Path home = Path.of("/home/someone");
    Map<String, String> env = Map.of("SUPERCONV_DATA", "/data/sets");
    assertThat(DataLocation.standard(Path.of("/flag"), env, home).root()).isEqualTo(Path.of("/flag"));
    assertThat(DataLocation.standard(null, env, home).root()).isEqualTo(Path.of("/data/sets"));
    assertThat(DataLocation.standard(null, Map.of(), home).root()).isEqualTo(Path.of("/home/someone/.cache/superconv"));
    assertThat(DataLocation.standard(null, Map.of(), home).sharedRoots()).containsExactly(Path.of("/usr/share/datasets"));
  }

  @Test
  void aRootTheUserNamedIsTheOnlyPlaceLookedAt() {
    Path home = Path.of("/home/someone");
    assertThat(DataLocation.standard(Path.of("/flag"), Map.of(), home).sharedRoots()).isEmpty();
    assertThat(DataLocation.standard(null, Map.of("SUPERCONV_DATA", "/data/sets"), home).sharedRoots()).isEmpty();
    assertThat(DataLocation.standard(Path.of("/flag"), Map.of(), home).candidates(Dataset.FASHION_MNIST))
        .containsExactly(Path.of("/flag/fashion-mnist"));
  }

  @Test
  void anExplicitRootWithoutTheFilesFailsOfflineNamingItNotFallingBackToTheSharedRoot() throws Exception {
    Path mine = dir.resolve("mine");
    Path folder = mine.resolve("fashion-mnist");
    Files.createDirectories(folder.resolve("train-images-idx3-ubyte"));
    DataLocation location = DataLocation.standard(mine, Map.of(), dir);
    // Before, /usr/share/datasets/fashion-mnist (Debian's package, where installed) was found instead.
    assertThat(location.find(Dataset.FASHION_MNIST)).isEmpty();
    assertThatThrownBy(() -> Datasets.locate(Dataset.FASHION_MNIST, location, FetchPolicy.OFFLINE, new Fetcher()))
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith("fashion-mnist not found (offline, so not downloaded): looked in " + folder
            + " (lacks train-images-idx3-ubyte, which is a directory there, train-labels-idx1-ubyte")
        .hasMessageNotContaining(DataLocation.DEBIAN_DATASETS.toString())
        .hasMessageNotContaining("\n");
  }

  @Test
  void fileFailuresSayWhatHappenedNotTheExceptionClass() {
    Path file = dir.resolve("t10k-labels-idx1-ubyte");
    assertThat(Readers.failure(file, new java.nio.file.AccessDeniedException(file.toString())).getMessage())
        .isEqualTo(file + ": cannot read: permission denied");
    assertThat(Readers.failure(file, new java.nio.file.FileSystemException(file.toString(), null, "Is a directory"))
        .getMessage()).isEqualTo(file + ": cannot read: is a directory");
    assertThat(Readers.failure(file, new java.io.IOException()).getMessage())
        .isEqualTo(file + ": cannot read: input/output error");
    assertThat(IoErrors.describe(new java.nio.file.AccessDeniedException("/data/x")))
        .isEqualTo("/data/x: permission denied");
  }

  @Test
  void findsTheFirstCompleteFolder() throws Exception {
    Path mine = dir.resolve("mine");
    Path shared = dir.resolve("shared");
    Fixtures.idxFolder(shared.resolve("fashion-mnist"), true);
    DataLocation location = new DataLocation(mine, List.of(shared));
    assertThat(location.find(Dataset.FASHION_MNIST)).contains(shared.resolve("fashion-mnist"));
    assertThat(location.find(Dataset.MNIST)).isEmpty();

    Fixtures.idxFolder(mine.resolve("fashion-mnist"), false);
    assertThat(location.find(Dataset.FASHION_MNIST)).contains(mine.resolve("fashion-mnist"));
  }

  @Test
  void missingMessageSaysWhichFilesGoWhereAndHowToFetch() throws Exception {
    Path root = dir.resolve("data");
    DataLocation location = DataLocation.only(root);
    String message = location.missingMessage(Dataset.CIFAR10, Dataset.CIFAR10.downloadBase());
    assertThat(message)
        .startsWith("cifar10 not found: looked in " + root.resolve("cifar-10-batches-bin"))
        .contains("Put data_batch_1.bin, data_batch_2.bin, data_batch_3.bin, data_batch_4.bin, data_batch_5.bin,"
            + " test_batch.bin in " + root.resolve("cifar-10-batches-bin"))
        .contains("unpack https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz in " + root)
        .endsWith("or run: superconv data fetch cifar10 --data-dir " + root)
        .doesNotContain("\n");

    Path partial = root.resolve("mnist");
    Fixtures.idxFolder(partial, true);
    Files.delete(partial.resolve("t10k-labels-idx1-ubyte.gz"));
    assertThat(location.missingMessage(Dataset.MNIST, URI.create("http://mirror.example/m/")))
        .contains(partial + " (lacks t10k-labels-idx1-ubyte)")
        .contains("(each gzipped as .gz or plain) in " + partial)
        .contains("http://mirror.example/m/train-images-idx3-ubyte.gz");
  }

  @Test
  void locateFailsOfflineWithTheMissingMessage() {
    DataLocation location = DataLocation.only(dir);
    assertThatThrownBy(() -> Datasets.locate(Dataset.CIFAR100, location, FetchPolicy.OFFLINE, new Fetcher()))
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith("cifar100 not found (offline, so not downloaded): looked in " + dir.resolve("cifar-100-binary"))
        .hasMessageContaining("Put train.bin, test.bin in")
        .hasMessageEndingWith("or run: superconv data fetch cifar100 --data-dir " + dir);
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void locateReturnsAFolderThatIsAlreadyThere() throws Exception {
    Path folder = Fixtures.cifar10Folder(dir);
    assertThat(Datasets.locate(Dataset.CIFAR10, DataLocation.only(dir), FetchPolicy.OFFLINE, new Fetcher()))
        .isEqualTo(folder);
  }
}
