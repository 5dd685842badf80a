package superconv.training.manifest;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The data sets a manifest may name, with the sizes validation needs before any data is loaded. */
public enum DataSetInfo {
  CIFAR10("cifar10", "CIFAR-10", 50_000, 10_000, 10),
  CIFAR100("cifar100", "CIFAR-100", 50_000, 10_000, 100),
  FASHION_MNIST("fashion-mnist", "Fashion-MNIST", 60_000, 10_000, 10),
  MNIST("mnist", "MNIST", 60_000, 10_000, 10);

  private final String key;
  private final String title;
  private final int trainSize;
  private final int testSize;
  private final int classes;

  DataSetInfo(String key, String title, int trainSize, int testSize, int classes) {
    this.key = key;
    this.title = title;
    this.trainSize = trainSize;
    this.testSize = testSize;
    this.classes = classes;
  }

  /** The manifest's name: {@code cifar10}, {@code cifar100}, {@code fashion-mnist}, {@code mnist}. */
  public String key() {
    return key;
  }

  /** The name tables print: {@code CIFAR-10}. */
  public String title() {
    return title;
  }

  public int trainSize() {
    return trainSize;
  }

  public int testSize() {
    return testSize;
  }

  public int classes() {
    return classes;
  }

  public static Optional<DataSetInfo> byKey(String key) {
    return Arrays.stream(values()).filter(d -> d.key.equals(key)).findFirst();
  }

  public static List<String> keys() {
    return Arrays.stream(values()).map(DataSetInfo::key).toList();
  }
}
