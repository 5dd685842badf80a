package superconv.graph;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import superconv.datasets.ImageSet;

/**
 * Runs a SavedModel written by {@link SavedModelExport} through {@link SavedModelBundle}, the loader TensorFlow
 * Serving uses: classes and probabilities for images in 0-255 pixel scale, accuracy over a labelled set.
 */
public final class Predictor implements AutoCloseable {

  /** Images per call of the model when predicting a whole set. */
  public static final int BATCH = 500;

  /** One image's predicted class, its name and its probability. */
  public record Prediction(int classIndex, String className, double probability) {}

  /** Accuracy over a labelled set. */
  public record Accuracy(long count, long correct) {
    public double accuracy() {
      return count == 0 ? 0 : (double) correct / count;
    }
  }

  private final Path directory;
  private final SavedModelBundle bundle;
  private final SessionFunction function;
  private final ImageShape shape;
  private final List<String> classNames;

  private Predictor(Path directory) {
    this.directory = directory;
    checkArgument(
        Files.isRegularFile(directory.resolve("saved_model.pb")),
        "%s is no SavedModel directory (no saved_model.pb)", directory);
    this.bundle = SavedModelBundle.load(directory.toString(), SavedModelBundle.DEFAULT_TAG);
    try {
      this.function = bundle.function(SavedModelExport.SIGNATURE);
      Signature signature = function.signature();
      Signature.TensorDescription input = signature.getInputs().get(SavedModelExport.INPUT);
      checkArgument(
          input != null && input.shape.numDimensions() == 4 && signature.getOutputs().containsKey(SavedModelExport.PROBABILITIES),
          "%s: signature %s must take '%s' [-1, H, W, C] and give '%s'",
          directory, SavedModelExport.SIGNATURE, SavedModelExport.INPUT, SavedModelExport.PROBABILITIES);
      long[] dims = input.shape.asArray();
      this.shape = new ImageShape((int) dims[1], (int) dims[2], (int) dims[3]);
      int classes = (int) signature.getOutputs().get(SavedModelExport.PROBABILITIES).shape.get(1);
      this.classNames = classNames(directory, classes);
    } catch (RuntimeException e) {
      bundle.close();
      throw e;
    }
  }

  /** Loads the model in {@code directory}. */
  public static Predictor load(Path directory) {
    return new Predictor(directory);
  }

  private static List<String> classNames(Path directory, int classes) {
    Path labels = directory.resolve(SavedModelExport.LABELS_FILE);
    if (Files.isRegularFile(labels)) {
      try {
        List<String> names = Files.readAllLines(labels, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        checkArgument(names.size() == classes, "%s lists %s classes, the model has %s", labels, names.size(), classes);
        return names;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + labels, e);
      }
    }
    List<String> names = new ArrayList<>();
    for (int k = 0; k < classes; k++) {
      names.add(Integer.toString(k));
    }
    return names;
  }

  /** The image shape the model takes. */
  public ImageShape imageShape() {
    return shape;
  }

  public List<String> classNames() {
    return classNames;
  }

  /** Predictions for {@code count} images given as floats in 0-255 scale, NHWC. */
  public List<Prediction> predict(float[] pixels, int count) {
    checkArgument(
        pixels.length == (long) count * shape.pixels(), "%s values do not hold %s images of %s", pixels.length, count, shape);
    List<Prediction> out = new ArrayList<>(count);
    try (TFloat32 images = TFloat32.tensorOf(Shape.of(count, shape.height(), shape.width(), shape.channels()), DataBuffers.of(pixels, true, false));
        Result r = function.call(Map.of(SavedModelExport.INPUT, images))) {
      TFloat32 probabilities = (TFloat32) r.get(SavedModelExport.PROBABILITIES).orElseThrow();
      TInt64 classes = (TInt64) r.get(SavedModelExport.CLASSES).orElseThrow();
      for (int i = 0; i < count; i++) {
        int k = (int) classes.getLong(i);
        out.add(new Prediction(k, classNames.get(k), probabilities.getFloat(i, k)));
      }
    }
    return out;
  }

  /** Accuracy over every image of {@code set}, in batches of {@link #BATCH}. */
  public Accuracy accuracy(ImageSet set) {
    checkArgument(
        ImageShape.of(set).equals(shape), "%s has %s images, the model %s takes %s", set.name(), ImageShape.of(set), directory, shape);
    checkArgument(
        set.classes() == classNames.size(), "%s has %s classes, the model %s", set.name(), set.classes(), classNames.size());
    long correct = 0;
    int size = shape.pixels();
    byte[] source = set.pixels();
    for (int start = 0; start < set.size(); start += BATCH) {
      int count = Math.min(BATCH, set.size() - start);
      float[] pixels = new float[count * size];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = source[start * size + i] & 0xFF;
      }
      List<Prediction> predictions = predict(pixels, count);
      for (int i = 0; i < count; i++) {
        correct += predictions.get(i).classIndex() == set.labels()[start + i] ? 1 : 0;
      }
    }
    return new Accuracy(set.size(), correct);
  }

  @Override
  public void close() {
    bundle.close();
  }
}
