package superconv.graph;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Exports a trained network as a SavedModel built from a clean inference graph: the network's variables (weights and
 * batch-norm statistics, no data set, no optimizer state), normalization inside, evaluation-mode batch norm.
 *
 * <p>Signature {@value #SIGNATURE} (tag {@code serve}): input {@value #INPUT} float32 {@code [-1, H, W, C]} in 0-255
 * pixel scale; outputs {@value #LOGITS}, {@value #PROBABILITIES} (softmax) and {@value #CLASSES} (int64 argmax). The
 * class names go into {@value #LABELS_FILE} next to {@code saved_model.pb}, one per line.
 *
 * <p>The model is written to a temporary sibling directory and moved into place, so a crash never leaves a partial
 * model under the target name.
 */
public final class SavedModelExport {

  private static final Logger LOG = LogManager.getLogger(SavedModelExport.class);

  public static final String SIGNATURE = "serving_default";
  public static final String INPUT = "images";
  public static final String LOGITS = "logits";
  public static final String PROBABILITIES = "probabilities";
  public static final String CLASSES = "classes";
  public static final String LABELS_FILE = "labels.txt";

  /** Where the model went, its trainable parameters and the bytes of its variables files. */
  public record Exported(Path directory, long parameters, long stateScalars, long variableBytes) {}

  private SavedModelExport() {}

  /** Exports the network of a training graph with its protocol's normalization. */
  public static Exported export(Session session, TrainingGraph trained, List<String> classNames, Path directory) {
    TrainingGraphSpec spec = trained.spec();
    return export(session, trained.network(), spec.protocol(), spec.normalization(), classNames, directory);
  }

  /**
   * Copies the current values of {@code trained}'s variables out of {@code session} into a fresh inference graph and
   * writes it as a SavedModel at {@code directory} (replacing an existing model there).
   */
  public static Exported export(
      Session session, ResNet<TFloat32> trained, DataProtocol protocol, ChannelStats stats, List<String> classNames, Path directory) {
    return export(session, trained, protocol, stats, classNames, directory, () -> { });
  }

  /**
   * The inference graph an export writes, before its weights are loaded: the network's variables (no initializers),
   * the {@value #INPUT} placeholder, normalization, evaluation-mode batch norm and the three outputs.
   */
  public record ServingGraph(ResNet<TFloat32> network, Placeholder<TFloat32> images, Operand<TFloat32> logits,
      Operand<TFloat32> probabilities, Operand<TInt64> classes) {}

  /**
   * Builds the inference graph of a network of {@code spec} into {@code tf}'s graph. It computes in float32
   * whatever precision trained the network, so that it runs on any device; the placement audit inspects it.
   */
  public static ServingGraph servingGraph(Ops tf, ModelSpec spec, DataProtocol protocol, ChannelStats stats) {
    ResNet<TFloat32> net = ResNet.createUninitialized(tf, spec.withPrecision(Precision.FLOAT32));
    ImageShape in = spec.input();
    Placeholder<TFloat32> images =
        tf.withName(INPUT).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, in.height(), in.width(), in.channels())));
    Ops pre = tf.withSubScope("preprocess");
    Operand<TFloat32> x = InputPipeline.normalize(pre, images, protocol, stats);
    Operand<TFloat32> logits = tf.withName(LOGITS).identity(net.forward(x, ResNet.Mode.EVAL, "inference").logits());
    Operand<TFloat32> probabilities = tf.withName(PROBABILITIES).nn.softmax(logits);
    Operand<TInt64> classes = tf.withName(CLASSES).math.argMax(logits, tf.constant(1), TInt64.class);
    return new ServingGraph(net, images, logits, probabilities, classes);
  }

  /** A check that may refuse, by throwing, to replace what is at the export's directory. */
  @FunctionalInterface
  public interface ReplaceCheck {
    void check() throws IOException;
  }

  /**
   * As {@link #export(Session, ResNet, DataProtocol, ChannelStats, List, Path)}, running {@code beforeReplace} right
   * before the finished model is renamed into place: when it throws, the model is discarded and {@code directory}
   * is left as it was, as are the folders created for it.
   */
  public static Exported export(Session session, ResNet<TFloat32> trained, DataProtocol protocol, ChannelStats stats,
      List<String> classNames, Path directory, ReplaceCheck beforeReplace) {
    ModelSpec spec = trained.spec();
    checkArgument(
        classNames.size() == spec.classes(), "%s class names given for a %s-class network", classNames.size(), spec.classes());
    Map<String, Variable<TFloat32>> source = trained.variablesByName();
    Path temp = null;
    Path createdParent = null;
    boolean done = false;
    var runner = session.runner();
    source.values().forEach(runner::fetch);
    try (Result values = runner.run()) {
      Path parent = directory.toAbsolutePath().getParent();
      createdParent = firstMissing(parent);
      Files.createDirectories(parent);
      temp = Files.createTempDirectory(parent, directory.getFileName() + ".tmp-");
      Files.delete(temp); // the exporter creates it
      try (Graph g = new Graph(); Session s = new Session(g)) {
        Ops tf = Ops.create(g);
        ServingGraph serving = servingGraph(tf, spec, protocol, stats);
        Map<String, Variable<TFloat32>> target = serving.network().variablesByName();
        checkArgument(target.keySet().equals(source.keySet()), "the inference graph's variables differ from the trained network's");
        Placeholder<TFloat32> images = serving.images();
        Operand<TFloat32> logits = serving.logits();
        Operand<TFloat32> probabilities = serving.probabilities();
        Operand<TInt64> classes = serving.classes();

        // Weights come in through placeholders, so the graph carries no constants the size of the model.
        Ops load = tf.withSubScope("load_weights");
        var loader = s.runner();
        List<Op> assigns = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Variable<TFloat32>> e : target.entrySet()) {
          Placeholder<TFloat32> feed = load.placeholder(TFloat32.class, Placeholder.shape(e.getValue().shape()));
          assigns.add(load.assign(e.getValue(), feed));
          loader.feed(feed, values.get(i++));
        }
        assigns.forEach(loader::addTarget);
        loader.run().close();

        Signature signature =
            Signature.builder(SIGNATURE)
                .input(INPUT, images)
                .output(LOGITS, logits)
                .output(PROBABILITIES, probabilities)
                .output(CLASSES, classes)
                .methodName("tensorflow/serving/predict")
                .build();
        SavedModelBundle.exporter(temp.toString()).withSession(s).withSignature(signature).export();
      }
      Files.writeString(temp.resolve(LABELS_FILE), String.join("\n", classNames) + "\n", StandardCharsets.UTF_8);
      beforeReplace.check();
      replace(temp, directory);
      temp = null;
      done = true;
      long bytes = sizeOf(directory.resolve("variables"));
      long state = trained.stateVariables().stream().mapToLong(v -> v.shape().size()).sum();
      LOG.info("exported {} ({} parameters, {} bytes of variables) to {}", spec.network(), trained.parameters(), bytes, directory);
      return new Exported(directory, trained.parameters(), state, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot export the model to " + directory, e);
    } finally {
      if (temp != null) {
        deleteQuietly(temp);
      }
      if (!done && createdParent != null) {
        deleteEmptyFolders(createdParent);
      }
    }
  }

  /** The outermost folder of {@code dir} that does not exist yet (null when it exists). */
  private static Path firstMissing(Path dir) {
    Path missing = null;
    for (Path p = dir; p != null && !Files.exists(p); p = p.getParent()) {
      missing = p;
    }
    return missing;
  }

  /** Deletes the folders an unfinished export created, as long as nothing else was put in them. */
  private static void deleteEmptyFolders(Path top) {
    try (Stream<Path> files = Files.walk(top)) {
      files.sorted(Comparator.reverseOrder()).filter(Files::isDirectory).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          LOG.debug("leaving {}: {}", p, e.getMessage());
        }
      });
    } catch (IOException e) {
      LOG.debug("leaving {}: {}", top, e.getMessage());
    }
  }

  /** Moves {@code fresh} to {@code target}, replacing an existing directory there. */
  private static void replace(Path fresh, Path target) throws IOException {
    if (Files.exists(target)) {
      Path old = Files.createTempDirectory(target.toAbsolutePath().getParent(), target.getFileName() + ".old-");
      Files.delete(old);
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
      Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
      deleteQuietly(old);
    } else {
      Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private static long sizeOf(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", dir, e.getMessage());
    }
  }
}
