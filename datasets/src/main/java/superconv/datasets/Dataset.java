package superconv.datasets;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The image data sets superconv reads, with their official file layout and downloads.
 *
 * <p>Under a data root each set lives in one folder ({@link #folderName()}): for CIFAR the folder the official archive
 * unpacks to, for the IDX sets a folder holding the four IDX files, gzipped ({@code .gz}) or plain. Class names come
 * from the set's own names file when it is there ({@code batches.meta.txt}, {@code fine_label_names.txt}), else from
 * the built-in list, which is the same text.
 */
public enum Dataset {
  CIFAR10(
      "cifar10", "CIFAR-10", 50_000, 10_000, 32, 32, 3, Format.CIFAR10, "cifar-10-batches-bin",
      List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"),
      List.of("test_batch.bin"),
      "batches.meta.txt",
      List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"),
      "https://www.cs.toronto.edu/~kriz/",
      List.of(new RemoteFile("cifar-10-binary.tar.gz", "c32a1d4ab5d03f1284b67883e8d87530"))),

  CIFAR100(
      "cifar100", "CIFAR-100", 50_000, 10_000, 32, 32, 3, Format.CIFAR100, "cifar-100-binary",
      List.of("train.bin"),
      List.of("test.bin"),
      "fine_label_names.txt",
      List.of(
          "apple", "aquarium_fish", "baby", "bear", "beaver", "bed", "bee", "beetle", "bicycle", "bottle",
          "bowl", "boy", "bridge", "bus", "butterfly", "camel", "can", "castle", "caterpillar", "cattle",
          "chair", "chimpanzee", "clock", "cloud", "cockroach", "couch", "crab", "crocodile", "cup", "dinosaur",
          "dolphin", "elephant", "flatfish", "forest", "fox", "girl", "hamster", "house", "kangaroo", "keyboard",
          "lamp", "lawn_mower", "leopard", "lion", "lizard", "lobster", "man", "maple_tree", "motorcycle", "mountain",
          "mouse", "mushroom", "oak_tree", "orange", "orchid", "otter", "palm_tree", "pear", "pickup_truck",
          "pine_tree", "plain", "plate", "poppy", "porcupine", "possum", "rabbit", "raccoon", "ray", "road",
          "rocket", "rose", "sea", "seal", "shark", "shrew", "skunk", "skyscraper", "snail", "snake", "spider",
          "squirrel", "streetcar", "sunflower", "sweet_pepper", "table", "tank", "telephone", "television", "tiger",
          "tractor", "train", "trout", "tulip", "turtle", "wardrobe", "whale", "willow_tree", "wolf", "woman",
          "worm"),
      "https://www.cs.toronto.edu/~kriz/",
      List.of(new RemoteFile("cifar-100-binary.tar.gz", "03b5dce01913d631647c71ecec9e9cb8"))),

  FASHION_MNIST(
      "fashion-mnist", "Fashion-MNIST", 60_000, 10_000, 28, 28, 1, Format.IDX, "fashion-mnist",
      List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
      List.of("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
      null,
      List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
          "Ankle boot"),
      // Zalando's own download location (an S3 website endpoint, plain HTTP only); the MD5s guard the bytes.
      "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
      List.of(
          new RemoteFile("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
          new RemoteFile("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
          new RemoteFile("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
          new RemoteFile("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"))),

  MNIST(
      "mnist", "MNIST", 60_000, 10_000, 28, 28, 1, Format.IDX, "mnist",
      List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
      List.of("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
      null,
      IntStream.range(0, 10).mapToObj(Integer::toString).toList(),
      // PyTorch's mirror of LeCun's files (the original site refuses most automated downloads); same bytes, same MD5s.
      "https://ossci-datasets.s3.amazonaws.com/mnist/",
      List.of(
          new RemoteFile("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
          new RemoteFile("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
          new RemoteFile("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
          new RemoteFile("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c")));

  /** How a set's files are laid out; decides the reader. */
  enum Format {
    /** Records {@code <label><3072 planar pixels>}. */
    CIFAR10,
    /** Records {@code <coarse label><fine label><3072 planar pixels>}; the fine label is the class. */
    CIFAR100,
    /** An images file and a labels file per split, in LeCun's IDX format, each gzipped or plain. */
    IDX
  }

  private final String id;
  private final String title;
  private final int trainImages;
  private final int testImages;
  private final int height;
  private final int width;
  private final int channels;
  private final Format format;
  private final String folderName;
  private final List<String> trainFiles;
  private final List<String> testFiles;
  private final String classNamesFile;
  private final List<String> classNames;
  private final URI downloadBase;
  private final List<RemoteFile> remoteFiles;

  Dataset(
      String id, String title, int trainImages, int testImages, int height, int width, int channels, Format format, String folderName,
      List<String> trainFiles, List<String> testFiles, String classNamesFile, List<String> classNames,
      String downloadBase, List<RemoteFile> remoteFiles) {
    this.id = id;
    this.title = title;
    this.trainImages = trainImages;
    this.testImages = testImages;
    this.height = height;
    this.width = width;
    this.channels = channels;
    this.format = format;
    this.folderName = folderName;
    this.trainFiles = trainFiles;
    this.testFiles = testFiles;
    this.classNamesFile = classNamesFile;
    this.classNames = classNames;
    this.downloadBase = URI.create(downloadBase);
    this.remoteFiles = remoteFiles;
  }

  /** The set named by its id ({@code cifar10}, {@code cifar100}, {@code fashion-mnist}, {@code mnist}). */
  public static Dataset fromId(String id) {
    for (Dataset dataset : values()) {
      if (dataset.id.equals(id.trim().toLowerCase(Locale.ROOT))) {
        return dataset;
      }
    }
    throw new DatasetException("unknown dataset '" + id + "'; valid: " + ids());
  }

  /** All ids, comma separated, for messages and help texts. */
  public static String ids() {
    return Arrays.stream(values()).map(Dataset::id).collect(Collectors.joining(", "));
  }

  /** The id used on the command line and in manifests. */
  public String id() {
    return id;
  }

  /** The name tables print: {@code CIFAR-10}, {@code Fashion-MNIST}. */
  public String title() {
    return title;
  }

  /**
   * Images in the official training split: what a manifest is checked against (train_limit, batch size, a run's
   * iterations) before any file is read.
   */
  public int trainImages() {
    return trainImages;
  }

  /** Images in the official test split. */
  public int testImages() {
    return testImages;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  public int channels() {
    return channels;
  }

  /** Number of classes. */
  public int classes() {
    return classNames.size();
  }

  /** The built-in class names, in label order (the set's names file, when present, takes precedence on load). */
  public List<String> classNames() {
    return classNames;
  }

  /** The folder under a data root that holds this set's files. */
  public String folderName() {
    return folderName;
  }

  /**
   * The data files of the training split, in reading order. For the IDX sets: the images file, then the labels file,
   * named without {@code .gz} (either form is read).
   */
  public List<String> trainFiles() {
    return trainFiles;
  }

  /** The data files of the test split, as {@link #trainFiles()}. */
  public List<String> testFiles() {
    return testFiles;
  }

  /** The optional file in the set's folder that names the classes, one per line; {@code null} when there is none. */
  public String classNamesFile() {
    return classNamesFile;
  }

  /** Where the official files are downloaded from: {@code downloadBase().resolve(file.name())}. */
  public URI downloadBase() {
    return downloadBase;
  }

  /** The official files with their published MD5 checksums. */
  public List<RemoteFile> remoteFiles() {
    return remoteFiles;
  }

  /** Whether the download is one tar.gz archive that unpacks to {@link #folderName()}, rather than the files themselves. */
  public boolean downloadIsArchive() {
    return format != Format.IDX;
  }

  Format format() {
    return format;
  }

  @Override
  public String toString() {
    return id;
  }
}
