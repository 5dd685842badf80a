package superconv.graph;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.Restore;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * Save and restore of an explicit list of variables with TensorFlow's {@code SaveV2} / {@code RestoreV2} (the
 * TensorFlow checkpoint format, readable by {@code tf.train.load_checkpoint}), keyed by variable op name.
 *
 * <p>{@code Session.save} would save every variable of the graph, including the resident data set; this saves only
 * what it is given: the model's trainable and state variables plus whatever the caller adds (optimizer slots).
 *
 * <p>On disk a checkpoint directory holds {@code ckpt-<step>.index} / {@code ckpt-<step>.data-*} files and a
 * {@code checkpoint} file naming the current prefix. A save writes the new files first, then replaces the
 * {@code checkpoint} file atomically (temp file + rename), then deletes older prefixes: an interruption at any point
 * leaves the previous checkpoint readable.
 */
public final class Checkpoint {

  private static final Logger LOG = LogManager.getLogger(Checkpoint.class);
  /** Name of the file that names the current prefix. */
  public static final String POINTER = "checkpoint";

  private final List<Variable<?>> variables;
  private final Placeholder<TString> prefix;
  private final Op save;
  private final Op restore;

  private Checkpoint(Ops tf, List<? extends Variable<?>> variables) {
    checkArgument(!variables.isEmpty(), "a checkpoint needs at least one variable");
    this.variables = List.copyOf(variables);
    Set<String> names = new HashSet<>();
    String[] keys = new String[variables.size()];
    String[] slices = new String[variables.size()];
    List<Class<? extends TType>> types = new ArrayList<>();
    List<Operand<?>> values = new ArrayList<>();
    for (int i = 0; i < keys.length; i++) {
      Variable<?> v = variables.get(i);
      keys[i] = v.op().name();
      checkArgument(names.add(keys[i]), "variable %s is listed twice", keys[i]);
      slices[i] = "";
      types.add(v.type());
      values.add(v);
    }
    Ops s = tf.withSubScope("checkpoint");
    prefix = s.withName("prefix").placeholder(TString.class);
    Operand<TString> keyTensor = s.withName("keys").constant(StandardCharsets.UTF_8, keys);
    Operand<TString> sliceTensor = s.withName("slices").constant(StandardCharsets.UTF_8, slices);
    save = s.withName("save").train.save(prefix, keyTensor, sliceTensor, values);
    Restore restored = s.withName("restore_values").train.restore(prefix, keyTensor, sliceTensor, types);
    List<Op> assigns = new ArrayList<>();
    for (int i = 0; i < keys.length; i++) {
      assigns.add(assign(s, variables.get(i), restored.tensors().get(i)));
    }
    restore = s.withName("restore").withControlDependencies(assigns).noOp();
  }

  @SuppressWarnings("unchecked")
  private static <T extends TType> Op assign(Ops s, Variable<T> variable, Output<?> value) {
    return s.assign(variable, (Output<T>) value);
  }

  /** Builds save and restore ops for {@code variables} (in the graph of {@code tf}). */
  public static Checkpoint build(Ops tf, List<? extends Variable<?>> variables) {
    return new Checkpoint(tf, variables);
  }

  public List<Variable<?>> variables() {
    return variables;
  }

  /** Saves the variables as {@code directory/ckpt-<step>} and makes it the current checkpoint. */
  public Path save(Session session, Path directory, long step) {
    checkArgument(step >= 0, "step must be non-negative, got %s", step);
    try {
      Files.createDirectories(directory);
      String name = "ckpt-" + step;
      Path target = directory.resolve(name);
      try (TString p = TString.scalarOf(target.toString())) {
        session.runner().feed(prefix, p).addTarget(save).run().close();
      }
      Path temp = Files.createTempFile(directory, POINTER, ".tmp");
      Files.writeString(temp, name + "\n", StandardCharsets.UTF_8);
      readableByAll(temp);
      Files.move(temp, directory.resolve(POINTER), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      deleteOthers(directory, name);
      LOG.debug("saved {} variables to {}", variables.size(), target);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint in " + directory, e);
    }
  }

  /** Temporary files are created owner-only; the pointer is a file like TensorFlow's own (rw-r--r--). */
  private static void readableByAll(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: its defaults apply.
    }
  }

  /** The prefix of the current checkpoint in {@code directory}, if one was saved there. */
  public static Optional<Path> latest(Path directory) {
    Path pointer = directory.resolve(POINTER);
    if (!Files.isRegularFile(pointer)) {
      return Optional.empty();
    }
    try {
      String name = Files.readString(pointer, StandardCharsets.UTF_8).trim();
      checkArgument(name.matches("ckpt-\\d+"), "%s: expected a line ckpt-<step>, found '%s'", pointer, name);
      Path prefix = directory.resolve(name);
      checkArgument(Files.isRegularFile(Path.of(prefix + ".index")), "%s names %s but %s.index is missing", pointer, name, name);
      return Optional.of(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + pointer, e);
    }
  }

  /** Restores the variables from the current checkpoint of {@code directory}; fails if there is none. */
  public void restore(Session session, Path directory) {
    Path p = latest(directory).orElseThrow(() -> new IllegalArgumentException("no checkpoint in " + directory));
    restorePrefix(session, p);
  }

  /** Restores the variables from the checkpoint files at {@code prefix} ({@code .../ckpt-<step>}). */
  public void restorePrefix(Session session, Path prefixPath) {
    try (TString p = TString.scalarOf(prefixPath.toString())) {
      session.runner().feed(prefix, p).addTarget(restore).run().close();
    }
    LOG.debug("restored {} variables from {}", variables.size(), prefixPath);
  }

  private static void deleteOthers(Path directory, String keep) throws IOException {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "ckpt-*")) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (!name.equals(keep + ".index") && !name.startsWith(keep + ".data-")) {
          Files.deleteIfExists(f);
        }
      }
    }
  }
}
