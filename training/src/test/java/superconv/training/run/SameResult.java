package superconv.training.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The project's promise about a resumed run, checked on two run folders: the same result as the uninterrupted run,
 * byte for byte: {@code metrics.csv} but for its {@code seconds} column, {@code rates.csv.gz}, every file of {@code
 * checkpoint/} and {@code best/}.
 */
public final class SameResult {

  private SameResult() {}

  public static void assertSameResult(Path expected, Path actual) throws IOException {
    assertThat(withoutSeconds(actual.resolve("metrics.csv"))).as("metrics.csv without seconds")
        .isEqualTo(withoutSeconds(expected.resolve("metrics.csv")));
    assertThat(Files.readAllBytes(actual.resolve("rates.csv.gz"))).as("rates.csv.gz")
        .isEqualTo(Files.readAllBytes(expected.resolve("rates.csv.gz")));
    for (String folder : List.of("checkpoint", "best")) {
      Map<String, byte[]> want = files(expected.resolve(folder));
      Map<String, byte[]> got = files(actual.resolve(folder));
      assertThat(want).as(folder).isNotEmpty();
      assertThat(got.keySet()).as(folder).isEqualTo(want.keySet());
      want.forEach((name, bytes) -> assertThat(got.get(name)).as(folder + "/" + name).isEqualTo(bytes));
    }
  }

  /** The file's lines with the {@code seconds} field of each taken out. */
  public static List<String> withoutSeconds(Path metrics) throws IOException {
    int seconds = EpochMetrics.COLUMNS.indexOf("seconds");
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(metrics)) {
      List<String> fields = new ArrayList<>(Arrays.asList(line.split(",", -1)));
      fields.remove(seconds);
      lines.add(String.join(",", fields));
    }
    return lines;
  }

  /** Every file below {@code dir} by its relative path, with its bytes. */
  public static Map<String, byte[]> files(Path dir) throws IOException {
    Map<String, byte[]> all = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        all.put(dir.relativize(f).toString(), Files.readAllBytes(f));
      }
    }
    return all;
  }
}
