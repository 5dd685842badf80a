package superconv.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import superconv.datasets.DataSplits;
import superconv.datasets.Dataset;
import superconv.datasets.Datasets;
import superconv.datasets.ImageSet;

/** {@code superconv data info}: image and label counts and per-channel statistics of both splits of a set. */
@Command(
    name = "info",
    description = {
      "Read a data set (fetching it first when missing, unless --offline) and print its image counts, images per class,"
          + " per-channel mean and population standard deviation (0-255 scale) and content SHA-256 per split."
    })
final class DataInfoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Option(names = "--dataset", required = true, paramLabel = "ID",
      description = "cifar10, cifar100, fashion-mnist or mnist.")
  String dataset;

  @Mixin DataOptions dataOptions;

  @Option(names = "--json", description = "Print one JSON object as the last line.")
  boolean json;

  @Mixin Verbose verbose;

  @Override
  public Integer call() throws Exception {
    Dataset set = Dataset.fromId(dataset);
    DataSplits data = Datasets.load(set, dataOptions.location(), dataOptions.policy());
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("dataset", set.id());
      info.put("classes", data.train().classNames());
      info.put("train", split(data.train()));
      info.put("test", split(data.test()));
      info.put("folder", data.folder().toString());
      out.println(Json.line(info));
    } else {
      printTable(out, set, data);
    }
    out.flush();
    return 0;
  }

  private static Map<String, Object> split(ImageSet images) {
    ImageSet.ChannelStats stats = images.channelStats();
    Map<String, Object> split = new LinkedHashMap<>();
    split.put("count", images.size());
    split.put("label_counts", images.labelCounts());
    split.put("channel_mean", stats.mean());
    split.put("channel_std", stats.std());
    split.put("sha256", images.sha256());
    return split;
  }

  private static void printTable(PrintWriter out, Dataset set, DataSplits data) {
    out.printf("%s: %dx%dx%d images, %d classes, read from %s%n%n", set.id(), set.height(), set.width(),
        set.channels(), data.train().classes(), data.folder());
    out.printf("%-6s %7s  %-26s  %-26s  %s%n", "split", "images", "channel mean", "channel std", "sha256");
    for (ImageSet images : List.of(data.train(), data.test())) {
      ImageSet.ChannelStats stats = images.channelStats();
      out.printf("%-6s %7d  %-26s  %-26s  %s%n", images.name().substring(images.name().indexOf('/') + 1),
          images.size(), format(stats.mean()), format(stats.std()), images.sha256());
    }
    out.println();
    int width = Math.max(5, data.train().classNames().stream().mapToInt(String::length).max().orElse(5));
    out.printf("%-" + width + "s %7s %7s%n", "class", "train", "test");
    int[] train = data.train().labelCounts();
    int[] test = data.test().labelCounts();
    for (int c = 0; c < train.length; c++) {
      out.printf("%-" + width + "s %7d %7d%n", data.train().classNames().get(c), train[c], test[c]);
    }
  }

  private static String format(double[] values) {
    return Arrays.stream(values).mapToObj(v -> String.format(Locale.ROOT, "%.4f", v)).collect(Collectors.joining(" "));
  }
}
