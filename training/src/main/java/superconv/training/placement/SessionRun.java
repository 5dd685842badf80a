package superconv.training.placement;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;

/**
 * What one session call names, and so which ops it executes: the ops its fetches and targets need, through data and
 * control inputs, up to the fed placeholders (a session prunes the graph so for every run).
 *
 * @param title what the run is, e.g. {@code training step (sgd)}, {@code evaluation}
 * @param feeds the fed placeholders' names
 * @param fetches the fetched tensors, {@code op:output}
 * @param targets the ops run for their effect
 */
public record SessionRun(String title, List<String> feeds, List<String> fetches, List<String> targets) {

  public SessionRun {
    Objects.requireNonNull(title, "title");
    feeds = List.copyOf(feeds);
    fetches = List.copyOf(fetches);
    targets = List.copyOf(targets);
  }

  /** A run of these TensorFlow Java feeds, fetches and targets. */
  public static SessionRun of(String title, List<? extends Operand<?>> feeds, List<? extends Operand<?>> fetches,
      List<? extends Op> targets) {
    return new SessionRun(title, feeds.stream().map(f -> f.op().name()).toList(),
        fetches.stream().map(f -> f.asOutput().op().name() + ":" + f.asOutput().index()).toList(),
        targets.stream().map(t -> t.op().name()).toList());
  }

  /** The names of the ops the run executes (fed placeholders excluded), in no particular order. */
  Set<String> executed(PlacedGraph graph) {
    Set<String> fed = new HashSet<>(feeds);
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> queue = new ArrayDeque<>(targets);
    fetches.forEach(f -> queue.add(PlacedGraph.Input.parse(f).source()));
    while (!queue.isEmpty()) {
      String name = queue.poll();
      if (fed.contains(name) || !seen.add(name)) {
        continue;
      }
      for (String input : graph.def(name).getInputList()) {
        queue.add(PlacedGraph.Input.sourceOf(input));
      }
    }
    return seen;
  }
}
