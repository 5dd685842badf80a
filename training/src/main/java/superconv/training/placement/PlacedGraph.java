package superconv.training.placement;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.KernelDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;

/**
 * A graph placed as TensorFlow 2.18's placer places it in a session with soft placement (superconv's session
 * configuration) on a machine with one GPU, for ops that ask for {@code /device:GPU:0} or for no device (gradients,
 * built by TensorFlow's C++ gradient builder, carry none):
 *
 * <ol>
 *   <li>A device type supports a node when a kernel of its op for that type admits the node's dtypes
 *       ({@link KernelRegistry#kernel}).
 *   <li>Nodes joined by a reference or resource input (a {@code VariableV2} and its {@code Assign}, {@code RefSwitch},
 *       {@code ApplyGradientDescent}) or by a {@code _class} colocation attribute form one group, which gets the
 *       device types all its members support.
 *   <li>A group that asked for the GPU gets it when it supports the GPU; else soft placement gives it the CPU. A group
 *       that asked for nothing gets the first type it supports, kernel priority first, then the GPU before the CPU,
 *       except that a shape op ({@code Shape}, {@code Size}, {@code Rank}) follows its input and a constant follows its
 *       consumers when they agree (the placer's heuristics B and A).
 * </ol>
 *
 * What the placer would do is computed from the registered kernels; no session runs and no GPU is needed, only the
 * GPU natives, which register the GPU kernels.
 */
public final class PlacedGraph {

  static final String GPU = "GPU";
  static final String CPU = "CPU";
  private static final Set<String> SHAPE_OPS = Set.of("Shape", "ShapeN", "Size", "Rank");

  /** One node with its argument name per input and output slot. */
  private record Node(NodeDef def, OpDef op, List<String> inputArgs, List<Boolean> refInputs, List<String> outputArgs,
      List<Input> inputs, String requested) {}

  /** A data input: output {@code index} of node {@code source}. */
  record Input(String source, int index) {
    static Input parse(String text) {
      int colon = text.lastIndexOf(':');
      return colon < 0 ? new Input(text, 0)
          : new Input(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
    }

    /** The node one of a NodeDef's inputs names, a data input ({@code op:1}) or a control input ({@code ^op}). */
    static String sourceOf(String input) {
      return parse(input.startsWith("^") ? input.substring(1) : input).source();
    }

    @Override
    public String toString() {
      return source + ":" + index;
    }
  }

  private final KernelRegistry registry;
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final Map<String, String> parent = new HashMap<>();
  /** Every node's data and control consumers, each list in the graph's order. */
  private final Map<String, List<String>> consumers;
  /** The members of each colocation group, by the group's root, in the graph's order. */
  private final Map<String, List<String>> groups;
  private final Map<String, String> device = new HashMap<>();
  private final Map<String, String> heuristic = new HashMap<>();
  private final Map<String, OpPlacement> placements = new LinkedHashMap<>();

  private PlacedGraph(GraphDef graph, KernelRegistry registry) {
    this.registry = registry;
    for (NodeDef def : graph.getNodeList()) {
      nodes.put(def.getName(), node(def));
      parent.put(def.getName(), def.getName());
    }
    colocate();
    consumers = allConsumers();
    groups = groups();
    assign();
    for (Node n : nodes.values()) {
      placements.put(n.def().getName(), placement(n));
    }
  }

  /** Places every node of {@code graph} with the kernels of {@code registry}. */
  public static PlacedGraph place(GraphDef graph, KernelRegistry registry) {
    return new PlacedGraph(graph, registry);
  }

  /** Every node's placement, in the graph's order. */
  public Map<String, OpPlacement> placements() {
    return placements;
  }

  /** The placement of one node; an unknown name is an error naming it. */
  public OpPlacement placement(String name) {
    OpPlacement p = placements.get(name);
    if (p == null) {
      throw new IllegalArgumentException("no op " + name + " in the audited graph");
    }
    return p;
  }

  /** The node's definition. */
  NodeDef def(String name) {
    return nodes.get(name).def();
  }

  /** The node's data inputs, in slot order. */
  List<Input> inputs(String name) {
    return nodes.get(name).inputs();
  }

  /** The nodes that read the node's outputs or wait for it, in the graph's order. */
  List<String> consumers(String name) {
    return consumers.getOrDefault(name, List.of());
  }

  /** Whether input slot {@code slot} of the node is read from host memory. */
  boolean inputInHost(String name, int slot) {
    Node n = nodes.get(name);
    return inHost(n, n.inputArgs().get(slot));
  }

  /** Whether output slot {@code slot} of the node is written to host memory. */
  boolean outputInHost(String name, int slot) {
    Node n = nodes.get(name);
    return inHost(n, n.outputArgs().get(slot));
  }

  private boolean inHost(Node n, String arg) {
    // A GPU node's placement holds its kernel's host-memory arguments, looked up once when it was placed.
    String name = n.def().getName();
    return device.get(name).equals(CPU) || placements.get(name).hostMemoryArgs().contains(arg);
  }

  private List<String> hostArgs(Node n) {
    Optional<KernelDef> kernel = registry.kernel(n.def(), device.get(n.def().getName()));
    return kernel.isEmpty() ? List.of() : List.copyOf(kernel.get().getHostMemoryArgList());
  }

  private Node node(NodeDef def) {
    OpDef op = registry.op(def.getOp());
    List<String> inputArgs = new ArrayList<>();
    List<Boolean> refs = new ArrayList<>();
    for (OpDef.ArgDef arg : op.getInputArgList()) {
      int count = count(def, arg);
      for (int i = 0; i < count; i++) {
        inputArgs.add(arg.getName());
        refs.add(arg.getIsRef() || arg.getType() == DataType.DT_RESOURCE);
      }
    }
    List<String> outputArgs = new ArrayList<>();
    for (OpDef.ArgDef arg : op.getOutputArgList()) {
      int count = count(def, arg);
      for (int i = 0; i < count; i++) {
        outputArgs.add(arg.getName());
      }
    }
    List<Input> inputs = def.getInputList().stream().filter(s -> !s.startsWith("^")).map(Input::parse).toList();
    String requested = def.getDevice().toUpperCase(Locale.ROOT);
    String type = requested.contains("GPU") ? GPU : requested.contains("CPU") ? CPU : null;
    return new Node(def, op, inputArgs, refs, outputArgs, inputs, type);
  }

  /** How many tensors an argument stands for: N for {@code N * T}, the list's length for a type list, else one. */
  private int count(NodeDef def, OpDef.ArgDef arg) {
    if (!arg.getNumberAttr().isEmpty()) {
      AttrValue n = registry.attr(def, arg.getNumberAttr());
      return n == null ? 1 : (int) n.getI();
    }
    if (!arg.getTypeListAttr().isEmpty()) {
      AttrValue list = registry.attr(def, arg.getTypeListAttr());
      return list == null ? 0 : list.getList().getTypeCount();
    }
    return 1;
  }

  /** Unions the nodes that must share a device: reference and resource edges, {@code _class} attributes. */
  private void colocate() {
    for (Node n : nodes.values()) {
      for (int i = 0; i < n.inputs().size(); i++) {
        if (n.refInputs().get(i)) {
          union(n.inputs().get(i).source(), n.def().getName());
        }
      }
      AttrValue classes = n.def().getAttrMap().get("_class");
      if (classes != null) {
        for (ByteString value : classes.getList().getSList()) {
          String spec = value.toStringUtf8();
          if (spec.startsWith("loc:@") && nodes.containsKey(spec.substring(5))) {
            union(spec.substring(5), n.def().getName());
          }
        }
      }
    }
  }

  private String root(String name) {
    String p = parent.get(name);
    if (p.equals(name)) {
      return name;
    }
    String r = root(p);
    parent.put(name, r);
    return r;
  }

  private void union(String a, String b) {
    parent.put(root(b), root(a));
  }

  /** The colocation groups' members by root, once {@link #colocate} has joined them. */
  private Map<String, List<String>> groups() {
    Map<String, List<String>> members = new LinkedHashMap<>();
    nodes.keySet().forEach(name -> members.computeIfAbsent(root(name), r -> new ArrayList<>()).add(name));
    return members;
  }

  /** The placer's two passes over the graph's nodes in order: constants last, after their consumers. */
  private void assign() {
    Map<String, List<String>> candidates = new HashMap<>();
    groups.forEach((root, names) -> candidates.put(root, candidates(names)));
    Map<String, String> groupDevice = new HashMap<>();
    List<Node> generators = new ArrayList<>();
    for (Node n : nodes.values()) {
      if (isGenerator(n)) {
        generators.add(n);
        continue;
      }
      String root = root(n.def().getName());
      List<String> choices = candidates.get(root);
      String chosen = groupDevice.get(root);
      if (chosen == null && choices.size() > 1 && SHAPE_OPS.contains(n.op().getName()) && !n.inputs().isEmpty()) {
        String input = device.get(n.inputs().get(0).source());
        if (input != null && choices.contains(input)) {
          chosen = input;
          heuristic.put(n.def().getName(), "follows its input " + n.inputs().get(0).source() + ", as shape ops do");
        }
      }
      chosen = chosen != null ? chosen : preferred(n, choices);
      groupDevice.put(root, chosen);
      device.put(n.def().getName(), chosen);
    }
    for (Node n : generators) {
      String root = root(n.def().getName());
      List<String> choices = candidates.get(root);
      String chosen = groupDevice.get(root);
      if (chosen == null && choices.size() > 1) {
        Set<String> at = consumers(n.def().getName()).stream()
            .map(c -> device.getOrDefault(c, "?")).collect(Collectors.toSet());
        if (at.size() == 1 && choices.contains(at.iterator().next())) {
          chosen = at.iterator().next();
          heuristic.put(n.def().getName(), "follows its consumers, as a constant does");
        }
      }
      chosen = chosen != null ? chosen : preferred(n, choices);
      groupDevice.put(root, chosen);
      device.put(n.def().getName(), chosen);
    }
  }

  /** The first device the group may take, noting when a kernel priority put the CPU before a possible GPU. */
  private String preferred(Node n, List<String> choices) {
    if (choices.get(0).equals(CPU) && choices.contains(GPU)) {
      heuristic.put(n.def().getName(), "its CPU kernel has a higher priority than its GPU kernel");
    }
    return choices.get(0);
  }

  /** The devices a group may take, in the placer's order of preference. */
  private List<String> candidates(List<String> names) {
    Map<String, Integer> priority = new LinkedHashMap<>();
    priority.put(GPU, Integer.MAX_VALUE);
    priority.put(CPU, Integer.MAX_VALUE);
    String requested = null;
    for (String name : names) {
      Node n = nodes.get(name);
      requested = requested != null ? requested : n.requested();
      for (String type : List.of(GPU, CPU)) {
        Optional<KernelDef> k = registry.kernel(n.def(), type);
        if (k.isEmpty()) {
          priority.remove(type);
        } else if (priority.containsKey(type)) {
          priority.put(type, Math.min(priority.get(type), k.get().getPriority()));
        }
      }
    }
    if (priority.isEmpty()) {
      throw new IllegalStateException("no device has kernels for every op of the group of " + names.get(0) + ": "
          + names.stream().map(n -> n + " (" + nodes.get(n).op().getName() + ")").collect(Collectors.joining(", ")));
    }
    if (requested != null && priority.containsKey(requested)) {
      return List.of(requested);
    }
    // Higher kernel priority first; at equal priority TensorFlow prefers the GPU.
    return priority.keySet().stream()
        .sorted(Comparator.comparing((String t) -> -priority.get(t)).thenComparing(t -> t.equals(GPU) ? 0 : 1))
        .toList();
  }

  private static boolean isGenerator(Node n) {
    return n.inputs().isEmpty() && n.outputArgs().size() == 1 && !n.op().getOutputArg(0).getIsRef();
  }

  /** Every node's data and control consumers. */
  private Map<String, List<String>> allConsumers() {
    Map<String, List<String>> all = new HashMap<>();
    for (Node n : nodes.values()) {
      for (String input : n.def().getInputList()) {
        all.computeIfAbsent(Input.sourceOf(input), s -> new ArrayList<>()).add(n.def().getName());
      }
    }
    return all;
  }

  private OpPlacement placement(Node n) {
    String name = n.def().getName();
    String dtypes = dtypes(n.def());
    String requested = n.def().getDevice();
    if (device.get(name).equals(CPU)) {
      return new OpPlacement(name, n.op().getName(), dtypes, requested, DeviceClass.CPU, cpuReason(n, dtypes),
          List.of());
    }
    List<String> host = hostArgs(n);
    List<String> args = new ArrayList<>(n.inputArgs());
    args.addAll(n.outputArgs());
    if (!args.isEmpty() && host.containsAll(args)) {
      return new OpPlacement(name, n.op().getName(), dtypes, requested, DeviceClass.GPU_HOST_MEMORY,
          "its GPU kernel for " + (dtypes.isEmpty() ? "this op" : dtypes)
              + " keeps every input and output in host memory", host);
    }
    return new OpPlacement(name, n.op().getName(), dtypes, requested, DeviceClass.GPU, "", host);
  }

  private String cpuReason(Node n, String dtypes) {
    String name = n.def().getName();
    if (CPU.equals(n.requested())) {
      return "pinned to the CPU by the graph";
    }
    if (registry.kernel(n.def(), GPU).isEmpty()) {
      return noGpuKernel(n, dtypes);
    }
    for (String member : groups.get(root(name))) {
      Node other = nodes.get(member);
      if (registry.kernel(other.def(), GPU).isEmpty()) {
        return "bound by a reference edge to " + member + ", which has " + noGpuKernel(other, dtypes(other.def()));
      }
    }
    return heuristic.getOrDefault(name, "placed on the CPU");
  }

  private String noGpuKernel(Node n, String dtypes) {
    String types = registry.kernelTypes(n.op().getName(), GPU);
    String defaultTypes = registry.kernelTypes(n.op().getName(), KernelRegistry.DEFAULT_DEVICE);
    String offered = types.isEmpty() ? defaultTypes : types;
    return offered.isEmpty() ? "no GPU kernel for " + n.op().getName() + " at all"
        : "no GPU kernel for " + n.op().getName() + " with " + dtypes + " (GPU kernels: " + offered + ")";
  }

  /** The node's type attributes as {@code T=float32, Tidx=int32}, in the op definition's order. */
  String dtypes(NodeDef def) {
    List<String> parts = new ArrayList<>();
    for (OpDef.AttrDef attr : registry.op(def.getOp()).getAttrList()) {
      if (!attr.getType().equals("type") && !attr.getType().equals("list(type)")) {
        continue;
      }
      AttrValue value = registry.attr(def, attr.getName());
      if (value == null) {
        continue;
      }
      String text = value.hasList()
          ? value.getList().getTypeList().stream().map(DataTypes::name).collect(Collectors.joining(", ", "[", "]"))
          : DataTypes.name(value.getType());
      parts.add(attr.getName() + "=" + text);
    }
    return String.join(", ", parts);
  }
}
