package superconv.optimizers;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TType;

/**
 * Gradients from TensorFlow's C++ registry for an explicit list of variables, never a sweep over the graph (which
 * would reach batch-norm statistics and the resident data set). {@link Optimizers#gradients} is the public door.
 */
final class Gradients {

  /**
   * Ops whose C++ gradient casts to its input's type: fed straight from a VariableV2 that type is a reference
   * (float_ref) and TensorFlow 2.18 fails (Pow) or crashes the JVM (Square).
   */
  private static final Set<String> NEED_VALUE_INPUTS = Set.of("Square", "Pow");

  private Gradients() {}

  /** The gradients of {@code loss} with respect to exactly these variables, in their order. */
  static <T extends TType> List<Output<?>> of(Ops tf, Operand<T> loss, List<? extends Operand<?>> variables) {
    Graph graph = (Graph) tf.scope().env();
    Output<?>[] xs = new Output<?>[variables.size()];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = variables.get(i).asOutput();
    }
    refuseRefInputs(loss);
    // An explicit fresh prefix: a second default-prefixed call on one graph crashes TensorFlow's C++ builder.
    Output<?>[] grads = graph.addGradients(freshPrefix(graph), new Output<?>[] {loss.asOutput()}, xs, null);
    List<Output<?>> out = new ArrayList<>();
    for (int i = 0; i < grads.length; i++) {
      if (grads[i] == null) {
        throw new IllegalArgumentException("the loss does not depend on variable " + xs[i].op().name());
      }
      out.add(grads[i]);
    }
    return out;
  }

  /** Finds such ops on the loss's inputs, naming op and variable, before TensorFlow would crash on them. */
  private static void refuseRefInputs(Operand<?> loss) {
    ArrayDeque<GraphOperation> queue = new ArrayDeque<>();
    Set<String> seen = new HashSet<>();
    if (loss.op() instanceof GraphOperation root) {
      queue.add(root);
    }
    while (!queue.isEmpty()) {
      GraphOperation op = queue.poll();
      if (!seen.add(op.name())) {
        continue;
      }
      for (int i = 0; i < op.numInputs(); i++) {
        if (!(op.input(i).op() instanceof GraphOperation input)) {
          continue;
        }
        if (NEED_VALUE_INPUTS.contains(op.type()) && input.type().equals("VariableV2")) {
          throw new IllegalArgumentException(String.format(
              "the loss applies %s (op '%s') directly to variable '%s': TensorFlow's gradient of %s fails on a "
                  + "variable reference; read the variable through tf.identity(...) first (or use tf.math.mul(w, w))",
              op.type(), op.name(), input.name(), op.type()));
        }
        queue.add(input);
      }
    }
  }

  /** "gradients", "gradients_1", ...: the first prefix no operation of the graph uses yet. */
  private static synchronized String freshPrefix(Graph graph) {
    Set<String> taken = new HashSet<>();
    graph.operations().forEachRemaining(op -> {
      String name = op.name();
      int slash = name.indexOf('/');
      taken.add(slash < 0 ? name : name.substring(0, slash));
    });
    String prefix = "gradients";
    for (int i = 1; taken.contains(prefix); i++) {
      prefix = "gradients_" + i;
    }
    return prefix;
  }
}
