package superconv.training.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.ByteDataBuffer;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.family.TType;
import superconv.training.run.AtomicFiles;

/**
 * Saves and restores an explicit list of variables (weights, batch-norm statistics, optimizer state), never the
 * resident data set that {@code Session.save} would sweep in. The file holds a JSON header (name, dtype, shape,
 * byte count per variable) and the raw little-endian tensor bytes, in list order; restore feeds them through one
 * placeholder and assign per variable, built into the graph up front.
 */
public final class VariableCheckpoint {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAGIC = 0x53435650; // "SCVP"

  private final List<Variable<?>> variables;
  private final List<Placeholder<?>> feeds = new ArrayList<>();
  private final Op restore;

  /** Builds the restore ops for {@code variables} under the scope {@code checkpoint/}. */
  public VariableCheckpoint(Ops tf, List<Variable<?>> variables) {
    this.variables = List.copyOf(variables);
    Ops scope = tf.withSubScope("checkpoint");
    List<Op> assigns = new ArrayList<>();
    for (Variable<?> variable : variables) {
      assigns.add(assign(scope, variable));
    }
    restore = scope.withName("restore").withControlDependencies(assigns).noOp();
  }

  private <T extends TType> Op assign(Ops scope, Variable<T> variable) {
    Placeholder<T> feed = scope.withName(variable.op().name().replace('/', '_')).placeholder(variable.type(),
        Placeholder.shape(variable.shape()));
    feeds.add(feed);
    return scope.assign(variable, feed);
  }

  public List<Variable<?>> variables() {
    return variables;
  }

  /** Writes every variable's current value to {@code file} (atomically). */
  public void save(Session session, Path file) throws IOException {
    List<byte[]> values = new ArrayList<>();
    ArrayNode header = JSON.createArrayNode();
    // Fetch in slices: one run per 64 variables keeps peak memory near one copy of the state.
    for (int from = 0; from < variables.size(); from += 64) {
      List<Variable<?>> slice = variables.subList(from, Math.min(variables.size(), from + 64));
      Session.Runner runner = session.runner();
      slice.forEach(runner::fetch);
      try (Result result = runner.run()) {
        for (int i = 0; i < slice.size(); i++) {
          Tensor tensor = result.get(i);
          ByteDataBuffer data = tensor.asRawTensor().data();
          byte[] bytes = new byte[(int) data.size()];
          data.read(bytes);
          values.add(bytes);
          ObjectNode entry = header.addObject();
          entry.put("name", slice.get(i).op().name());
          entry.put("dtype", tensor.dataType().name());
          ArrayNode shape = entry.putArray("shape");
          for (long d : tensor.shape().asArray()) {
            shape.add(d);
          }
          entry.put("bytes", bytes.length);
        }
      }
    }
    byte[] headerBytes = JSON.writeValueAsBytes(header);
    AtomicFiles.write(file, raw -> {
      DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(raw, 1 << 20));
      out.writeInt(MAGIC);
      out.writeInt(headerBytes.length);
      out.write(headerBytes);
      for (byte[] value : values) {
        out.write(value);
      }
      out.flush();
    });
  }

  /**
   * Assigns every variable the value saved under its name in {@code file}; types and shapes must match. The file
   * may hold more variables (a training checkpoint read for export holds the optimizer state too).
   */
  public void restore(Session session, Path file) throws IOException {
    Map<String, Integer> wanted = new HashMap<>();
    for (int i = 0; i < variables.size(); i++) {
      wanted.put(variables.get(i).op().name(), i);
    }
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw, 1 << 20))) {
      if (in.readInt() != MAGIC) {
        throw new IOException(file + " is not a superconv checkpoint");
      }
      byte[] headerBytes = new byte[in.readInt()];
      in.readFully(headerBytes);
      JsonNode header = JSON.readTree(new String(headerBytes, StandardCharsets.UTF_8));
      Tensor[] tensors = new Tensor[variables.size()];
      try {
        for (JsonNode entry : header) {
          byte[] bytes = new byte[entry.path("bytes").asInt()];
          in.readFully(bytes);
          Integer index = wanted.get(entry.path("name").asText());
          if (index == null) {
            continue;
          }
          Variable<?> variable = variables.get(index);
          long[] dims = new long[entry.path("shape").size()];
          for (int d = 0; d < dims.length; d++) {
            dims[d] = entry.path("shape").get(d).asLong();
          }
          if (!Shape.of(dims).equals(variable.shape())
              || !entry.path("dtype").asText().equals(valueType(variable))) {
            throw new IOException(file + ": " + variable.op().name() + " is saved as " + entry.path("dtype").asText()
                + " " + Shape.of(dims) + ", the graph has " + valueType(variable) + " " + variable.shape());
          }
          tensors[index] = Tensor.of(variable.type(), Shape.of(dims), DataBuffers.of(bytes, true, false));
        }
        Session.Runner runner = session.runner();
        for (int i = 0; i < variables.size(); i++) {
          if (tensors[i] == null) {
            throw new IOException(file + " has no value for " + variables.get(i).op().name());
          }
          feed(runner, feeds.get(i), tensors[i]);
        }
        runner.addTarget(restore).run().close();
      } finally {
        for (Tensor tensor : tensors) {
          if (tensor != null) {
            tensor.close();
          }
        }
      }
    }
  }

  /** The variable's value type: DT_FLOAT for a DT_FLOAT_REF variable output. */
  private static String valueType(Variable<?> variable) {
    return variable.asOutput().dataType().name().replaceFirst("_REF$", "");
  }

  @SuppressWarnings("unchecked")
  private static <T extends TType> void feed(Session.Runner runner, Placeholder<T> placeholder, Tensor tensor) {
    runner.feed((Operand<T>) placeholder, (T) tensor);
  }
}
