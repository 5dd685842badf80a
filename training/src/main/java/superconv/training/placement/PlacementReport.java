package superconv.training.placement;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;
import superconv.training.placement.Transfer.Direction;

/**
 * Where the ops of one session run (a training step, an evaluation slice, a serving call) would compute on a GPU
 * machine, and what crosses between host and GPU memory each time it runs.
 *
 * @param title what the run is
 * @param part which of a run's session calls it is
 * @param ops the ops it executes, in the graph's order
 * @param transfers what crosses PCIe per run: feeds read in device memory, fetches written there, edges between
 *     ops whose kernels keep a tensor in different memories (a tensor that several ops read across counts once per
 *     direction, with the first of them as its consumer; a fetch of it counts apart)
 */
public record PlacementReport(String title, Part part, List<OpPlacement> ops, List<Transfer> transfers) {

  /** The session calls of a run that the audit reports. */
  public enum Part {
    /** One training step of a phase: its train op, the batch-norm updates and the loss fetched with them. */
    TRAINING_STEP,
    /** One slice of the evaluation pass. */
    EVALUATION_SLICE,
    /** One call of the exported SavedModel's serving signature. */
    SERVING
  }

  public PlacementReport {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(part, "part");
    ops = List.copyOf(ops);
    transfers = List.copyOf(transfers);
  }

  /** The report of {@code run} on a placed graph; {@code graph} (the same graph, still open) gives static shapes. */
  public static PlacementReport of(SessionRun run, Part part, PlacedGraph placed, Graph graph) {
    Set<String> executed = run.executed(placed);
    List<OpPlacement> ops = new ArrayList<>();
    for (OpPlacement p : placed.placements().values()) {
      if (executed.contains(p.name())) {
        ops.add(p);
      }
    }
    Set<String> conditional = conditional(placed, executed);
    Set<String> fed = new HashSet<>(run.feeds());
    Map<String, Transfer> transfers = new LinkedHashMap<>();
    for (OpPlacement op : ops) {
      List<PlacedGraph.Input> inputs = placed.inputs(op.name());
      for (int slot = 0; slot < inputs.size(); slot++) {
        PlacedGraph.Input input = inputs.get(slot);
        boolean hostIn = placed.inputInHost(op.name(), slot);
        // A fed value arrives in host memory (the session's feeds live on the client, the CPU).
        boolean hostOut = fed.contains(input.source()) || placed.outputInHost(input.source(), input.index());
        if (hostIn != hostOut) {
          Transfer t = transfer(graph, input, hostIn ? Direction.TO_HOST : Direction.TO_DEVICE,
              fed.contains(input.source()) ? Transfer.Kind.FEED : Transfer.Kind.EDGE, op.name(),
              conditional.contains(op.name()) || conditional.contains(input.source()));
          transfers.putIfAbsent(input + " " + t.direction(), t);
        }
      }
    }
    for (String fetch : run.fetches()) {
      PlacedGraph.Input output = PlacedGraph.Input.parse(fetch);
      if (!fed.contains(output.source()) && !placed.outputInHost(output.source(), output.index())) {
        Transfer t = transfer(graph, output, Direction.TO_HOST, Transfer.Kind.FETCH, "", false);
        transfers.putIfAbsent(output + " fetch", t);
      }
    }
    return new PlacementReport(run.title(), part, ops, new ArrayList<>(transfers.values()));
  }

  private static Transfer transfer(Graph graph, PlacedGraph.Input tensor, Direction direction, Transfer.Kind kind,
      String consumer, boolean conditional) {
    GraphOperation op = graph.operationOrThrow(tensor.source());
    Output<?> output = op.output(tensor.index());
    DataType type = DataTypes.base(output.dataType());
    Shape shape = output.shape();
    long[] dims = shape.isUnknown() ? new long[] {-1} : shape.asArray();
    return new Transfer(tensor.toString(), DataTypes.name(type), DataTypes.bytes(type),
        dims == null ? new long[0] : dims, direction, kind, consumer, conditional);
  }

  /**
   * The executed ops inside a Switch/Merge branch: everything a Switch's outputs reach, through data and control
   * edges, before a Merge. They run only when their branch is taken.
   */
  private static Set<String> conditional(PlacedGraph placed, Set<String> executed) {
    Set<String> inside = new HashSet<>();
    Deque<String> queue = new ArrayDeque<>();
    for (String name : executed) {
      String type = placed.def(name).getOp();
      if (type.equals("Switch") || type.equals("RefSwitch")) {
        queue.addAll(placed.consumers(name));
      }
    }
    while (!queue.isEmpty()) {
      String name = queue.poll();
      // The graph's consumers span every op; a branch of this run runs only through the ops it executes.
      if (!executed.contains(name) || placed.def(name).getOp().equals("Merge") || !inside.add(name)) {
        continue;
      }
      queue.addAll(placed.consumers(name));
    }
    return inside;
  }

  /** The ops of this run that compute on the host: on the CPU, or in a GPU kernel keeping everything in host memory. */
  public List<OpPlacement> onHost() {
    return ops.stream().filter(op -> op.device().onHost()).toList();
  }

  /** How many of its ops compute in each way. */
  public Map<DeviceClass, Long> counts() {
    Map<DeviceClass, Long> counts = new LinkedHashMap<>();
    for (DeviceClass c : DeviceClass.values()) {
      counts.put(c, ops.stream().filter(op -> op.device() == c).count());
    }
    return counts;
  }
}
