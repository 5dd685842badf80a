package superconv.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import superconv.datasets.DataLocation;
import superconv.datasets.DataSplits;
import superconv.datasets.Dataset;
import superconv.datasets.Datasets;
import superconv.datasets.FetchPolicy;
import superconv.datasets.ImageSet;
import superconv.graph.ImageShape;
import superconv.graph.Predictor;

/**
 * {@code superconv predict}: loads an exported SavedModel through {@code SavedModelBundle} and reports its accuracy
 * on a data set's test split, or the class of each given image file.
 */
@Command(
    name = "predict",
    description = {
      "Load a SavedModel exported by superconv (signature serving_default) and either measure its accuracy on a data"
          + " set's test split or classify image files (PNG, JPEG, BMP, GIF; their size must be the model's input size).",
      "Grey models read images as luma (0.299 R + 0.587 G + 0.114 B); colour models read RGB."
    })
final class PredictCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "SavedModel directory.")
  Path model;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  static final class Source {
    @ArgGroup(exclusive = false)
    DatasetSource dataset;

    @Option(names = "--images", arity = "1..*", paramLabel = "FILE", description = "Image files to classify.")
    List<Path> images;
  }

  static final class DatasetSource {
    @Option(names = "--dataset", required = true, paramLabel = "ID",
        description = "Measure accuracy on this set's test split: cifar10, cifar100, fashion-mnist, mnist.")
    String id;

    @Option(names = "--data-dir", paramLabel = "DIR",
        description = "Data root, the only place looked at (default: $SUPERCONV_DATA, else ~/.cache/superconv and then /usr/share/datasets).")
    Path dataDir;

    @Option(names = "--limit", paramLabel = "N", description = "Only the first N test images.")
    Integer limit;

    @Option(names = "--offline", description = "Never download: fail when the set is not found.")
    boolean offline;
  }

  @Option(names = "--json", description = "Print the result as one JSON line (last line of the output).")
  boolean json;

  @Mixin Verbose verbose;

  @Override
  public Integer call() throws Exception {
    if (source.dataset != null && source.dataset.limit != null && source.dataset.limit < 1) {
      throw new IllegalArgumentException("--limit must be at least 1, got " + source.dataset.limit);
    }
    if (source.images != null) {
      for (Path image : source.images) {
        if (!Files.isRegularFile(image)) {
          throw new IllegalArgumentException(image + ": no such file");
        }
      }
    }
    if (!Files.isDirectory(model)) {
      throw new IllegalArgumentException("--model " + model + ": no such directory");
    }
    try (Predictor predictor = Predictor.load(model)) {
      return source.dataset != null ? accuracy(predictor) : classify(predictor);
    }
  }

  private int accuracy(Predictor predictor) {
    DatasetSource d = source.dataset;
    Dataset set = Dataset.fromId(d.id);
    ImageShape shape = predictor.imageShape();
    if (set.height() != shape.height() || set.width() != shape.width() || set.channels() != shape.channels()) {
      throw new IllegalArgumentException(
          d.id + " images are " + set.height() + "x" + set.width() + "x" + set.channels() + " but " + model + " takes " + shape);
    }
    DataSplits data = Datasets.load(set, DataLocation.standard(d.dataDir), d.offline ? FetchPolicy.OFFLINE : FetchPolicy.FETCH_IF_MISSING);
    ImageSet test = d.limit == null ? data.test() : data.test().first(Math.min(d.limit, data.test().size()));
    Predictor.Accuracy accuracy = predictor.accuracy(test);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("count", accuracy.count());
      row.put("accuracy", accuracy.accuracy());
      out.println(Json.line(row));
    } else {
      out.printf("accuracy %.4f (%d of %d test images of %s)%n",
          accuracy.accuracy(), accuracy.correct(), accuracy.count(), set.id());
    }
    out.flush();
    return 0;
  }

  private int classify(Predictor predictor) throws IOException {
    ImageShape shape = predictor.imageShape();
    List<Path> files = source.images;
    float[] pixels = new float[files.size() * shape.pixels()];
    for (int i = 0; i < files.size(); i++) {
      read(files.get(i), shape, pixels, i * shape.pixels());
    }
    List<Predictor.Prediction> predictions = predictor.predict(pixels, files.size());
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("image", files.get(i).toString());
        row.put("class", predictions.get(i).classIndex());
        row.put("label", predictions.get(i).className());
        row.put("probability", predictions.get(i).probability());
        rows.add(row);
      }
      out.println(Json.line(rows));
    } else {
      for (int i = 0; i < files.size(); i++) {
        Predictor.Prediction p = predictions.get(i);
        out.printf("%s\t%d %s\t%.4f%n", files.get(i), p.classIndex(), p.className(), p.probability());
      }
    }
    out.flush();
    return 0;
  }

  /** Reads one image into {@code into} at {@code offset} as 0-255 floats, NHWC, grey or RGB as the model takes. */
  static void read(Path file, ImageShape shape, float[] into, int offset) throws IOException {
    BufferedImage image = ImageIO.read(file.toFile());
    if (image == null) {
      throw new IllegalArgumentException(file + ": not an image format Java can read (PNG, JPEG, BMP, GIF)");
    }
    if (image.getHeight() != shape.height() || image.getWidth() != shape.width()) {
      throw new IllegalArgumentException(file + ": image is " + image.getWidth() + "x" + image.getHeight()
          + " (width x height), the model takes " + shape.width() + "x" + shape.height());
    }
    if (shape.channels() != 1 && shape.channels() != 3) {
      throw new IllegalArgumentException("the model takes " + shape.channels() + " channels; image files give 1 or 3");
    }
    // Grey files are read from the raster: getRGB would convert their linear grey to sRGB and change the values.
    boolean greyFile = image.getRaster().getNumBands() == 1;
    int shift = Math.max(0, image.getColorModel().getComponentSize(0) - 8);
    int k = offset;
    for (int y = 0; y < shape.height(); y++) {
      for (int x = 0; x < shape.width(); x++) {
        int r;
        int g;
        int b;
        if (greyFile) {
          r = g = b = image.getRaster().getSample(x, y, 0) >> shift;
        } else {
          int rgb = image.getRGB(x, y);
          r = (rgb >> 16) & 0xFF;
          g = (rgb >> 8) & 0xFF;
          b = rgb & 0xFF;
        }
        if (shape.channels() == 1) {
          into[k++] = r == g && g == b ? r : (float) (0.299 * r + 0.587 * g + 0.114 * b);
        } else {
          into[k++] = r;
          into[k++] = g;
          into[k++] = b;
        }
      }
    }
  }
}
