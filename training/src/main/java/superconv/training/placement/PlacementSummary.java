package superconv.training.placement;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import superconv.graph.TrainingGraphSpec;
import superconv.training.manifest.Phase;
import superconv.training.manifest.RunSpec;
import superconv.training.placement.PlacementAudit.RunAudit;
import superconv.training.placement.Transfer.Direction;

/**
 * A run's placement audit as {@code graph summary --placement} prints it: where its variables live, per session call
 * the ops per device class, the ops on the host (by their {@link DeliberateHostOps} kind, or one by one with the
 * reason when none covers them), the host-memory arguments of its GPU kernels and what crosses PCIe, then one
 * paragraph saying what lives on the card and what crosses per step.
 */
public final class PlacementSummary {

  /** Width the paragraphs are wrapped to. */
  static final int WIDTH = 118;

  private PlacementSummary() {}

  /** The lines printed for one run. */
  public static List<String> lines(RunAudit audit) {
    List<String> out = new ArrayList<>();
    String device = audit.spec().device();
    out.add(audit.run() + " (" + describe(audit.spec()) + "), placed for " + PlacementAudit.DEVICE
        + (device.equals("cpu") ? " (its manifest asks for the CPU; placed as if it asked for the GPU)" : "") + ":");
    out.add("  variables: " + variables(audit.variables()));
    for (PlacementReport report : audit.reports()) {
      out.addAll(report(report));
    }
    out.addAll(wrap(paragraph(audit), "  "));
    return out;
  }

  /** The reasons of the deliberate kinds, printed once after the runs. */
  public static List<String> legend() {
    List<String> out = new ArrayList<>();
    out.add("Deliberately on the host:");
    for (DeliberateHostOps.Entry e : DeliberateHostOps.ENTRIES) {
      out.addAll(wrap(e.what() + ": " + e.reason() + ".", "  "));
    }
    return out;
  }

  private static String describe(RunSpec spec) {
    return spec.network().id() + "/" + spec.width() + ", " + spec.dataset().id() + ", batch " + spec.batchSize() + ", "
        + optimizers(spec.phases()) + ", " + spec.precision().id() + ", input " + spec.input().id();
  }

  private static String variables(List<ResidentVariable> variables) {
    String card = onCard(variables).entrySet().stream().map(e -> e.getKey() + " " + bytes(e.getValue()))
        .collect(Collectors.joining(", "));
    List<String> onHost =
        inHost(variables, v -> v.name() + " (" + v.role() + ", " + v.dtype() + ", " + bytes(v.bytes()) + ")");
    return "on the card " + (card.isEmpty() ? "none" : card) + "; in host memory "
        + (onHost.isEmpty() ? "none" : String.join(", ", onHost));
  }

  /** The bytes of the variables on the card by role, the roles in the order they first come. */
  private static Map<String, Long> onCard(List<ResidentVariable> variables) {
    Map<String, Long> bytes = new LinkedHashMap<>();
    for (ResidentVariable v : variables) {
      if (v.device() == DeviceClass.GPU) {
        bytes.merge(v.role(), v.bytes(), Long::sum);
      }
    }
    return bytes;
  }

  /** The variables in host memory, each as {@code describe} writes it. */
  private static List<String> inHost(List<ResidentVariable> variables, Function<ResidentVariable, String> describe) {
    return variables.stream().filter(v -> v.device() != DeviceClass.GPU).map(describe).toList();
  }

  private static List<String> report(PlacementReport report) {
    List<String> out = new ArrayList<>();
    Map<DeviceClass, Long> counts = report.counts();
    out.add(String.format(Locale.ROOT, "  %s: %,d ops: %,d %s, %,d %s, %,d %s", report.title(), report.ops().size(),
        counts.get(DeviceClass.GPU), DeviceClass.GPU.label(), counts.get(DeviceClass.GPU_HOST_MEMORY),
        DeviceClass.GPU_HOST_MEMORY.label(), counts.get(DeviceClass.CPU), DeviceClass.CPU.label()));
    Map<String, List<OpPlacement>> byKind = new LinkedHashMap<>();
    List<OpPlacement> unexpected = new ArrayList<>();
    for (OpPlacement op : report.onHost()) {
      Optional<DeliberateHostOps.Entry> entry = DeliberateHostOps.entryFor(op);
      if (entry.isPresent()) {
        byKind.computeIfAbsent(entry.get().what(), k -> new ArrayList<>()).add(op);
      } else {
        unexpected.add(op);
      }
    }
    for (Map.Entry<String, List<OpPlacement>> kind : byKind.entrySet()) {
      String names = kind.getKey().equals("host scalars")
          ? ": " + kind.getValue().stream().map(OpPlacement::name).collect(Collectors.joining(", ")) : "";
      out.addAll(wrap("on the host, deliberately: " + kind.getValue().size() + " " + kind.getKey() + names, "    "));
    }
    for (OpPlacement op : unexpected) {
      out.addAll(wrap("ON THE HOST WITHOUT A LISTED REASON: " + op.device().label() + " " + op.name() + " ("
          + op.type() + (op.dtypes().isEmpty() ? "" : ", " + op.dtypes()) + "): " + op.reason(), "    "));
    }
    out.addAll(wrap("host-memory arguments of GPU kernels: " + hostArguments(report), "    "));
    out.addAll(wrap("crosses PCIe " + per(report) + ": " + transfers(report), "    "));
    return out;
  }

  /** The host-memory arguments of the report's GPU ops, by op type: {@code Slice(begin, size) x12}. */
  private static String hostArguments(PlacementReport report) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (OpPlacement op : report.ops()) {
      if (op.device() == DeviceClass.GPU && !op.hostMemoryArgs().isEmpty()) {
        counts.merge(op.type() + "(" + String.join(", ", op.hostMemoryArgs()) + ")", 1, Integer::sum);
      }
    }
    return counts.isEmpty() ? "none" : counts.entrySet().stream().map(e -> e.getKey() + " x" + e.getValue())
        .collect(Collectors.joining(", "));
  }

  private static String transfers(PlacementReport report) {
    long open = openDimension(report);
    List<String> parts = new ArrayList<>();
    for (Direction d : Direction.values()) {
      List<Transfer> data = data(report, d);
      parts.add(d.label() + " " + bytes(sum(data, open)) + (data.isEmpty() ? "" : " ("
          + data.stream().map(t -> t.tensor() + " " + t.dtype() + t.shapeText()
              + (t.kind() == Transfer.Kind.EDGE ? " to " + t.consumer() : "")
              + (t.conditional() ? ", only when its branch runs" : "")).collect(Collectors.joining(", ")) + ")"));
    }
    List<Transfer> shapes = gradientShapes(report);
    if (!shapes.isEmpty()) {
      parts.add("gradient shape arithmetic " + shapes.size() + " tensors, " + bytes(sum(shapes, open)));
    }
    return String.join("; ", parts);
  }

  /**
   * What lives on the card and what crosses PCIe, in one paragraph: the variables by role and memory, then for each
   * session call the bytes each way and the tensors they are.
   */
  static String paragraph(RunAudit audit) {
    StringBuilder b = new StringBuilder();
    List<String> card = onCard(audit.variables()).entrySet().stream()
        .map(e -> bytes(e.getValue()) + " of " + e.getKey()).toList();
    List<String> host = inHost(audit.variables(), v -> v.role() + " " + v.name() + " (" + bytes(v.bytes()) + ")");
    b.append("On the card: ").append(card.isEmpty() ? "nothing" : String.join(", ", card))
        .append("; in host memory: ").append(host.isEmpty() ? "no variable" : String.join(", ", host)).append('.');
    for (PlacementReport report : audit.reports()) {
      long open = openDimension(report);
      b.append(' ').append(callName(report)).append(" moves ").append(direction(report, Direction.TO_DEVICE, open))
          .append(" to the card and ").append(direction(report, Direction.TO_HOST, open)).append(" back");
      List<Transfer> shapes = gradientShapes(report);
      if (!shapes.isEmpty()) {
        b.append(", besides ").append(shapes.size()).append(" small int32 tensors (").append(bytes(sum(shapes, open)))
            .append(") of TensorFlow's gradient shape arithmetic, which Grappler folds into constants when shapes are"
                + " static");
      }
      b.append('.');
    }
    return b.toString();
  }

  private static String callName(PlacementReport report) {
    return switch (report.part()) {
      case TRAINING_STEP -> "Each " + report.title();
      case EVALUATION_SLICE -> "Each evaluation slice of " + TrainingGraphSpec.DEFAULT_EVAL_BATCH + " images";
      case SERVING -> "A serving call, per image,";
    };
  }

  private static String per(PlacementReport report) {
    return switch (report.part()) {
      case TRAINING_STEP -> "per step";
      case EVALUATION_SLICE -> "per slice of " + TrainingGraphSpec.DEFAULT_EVAL_BATCH + " images";
      case SERVING -> "per call, per image";
    };
  }

  /** What stands for the dimensions a graph leaves open: an evaluation slice's images; one image for serving. */
  private static long openDimension(PlacementReport report) {
    return report.part() == PlacementReport.Part.EVALUATION_SLICE ? TrainingGraphSpec.DEFAULT_EVAL_BATCH : 1;
  }

  private static String direction(PlacementReport report, Direction d, long open) {
    List<Transfer> data = data(report, d);
    if (data.isEmpty()) {
      return "nothing";
    }
    return bytes(sum(data, open)) + " (" + data.stream().map(t -> shortName(t.tensor()))
        .distinct().collect(Collectors.joining(", ")) + ")";
  }

  /** What crosses in direction {@code d} besides TensorFlow's gradient shape arithmetic, which is told apart. */
  private static List<Transfer> data(PlacementReport report, Direction d) {
    return report.transfers().stream()
        .filter(t -> t.direction() == d && !DeliberateHostOps.gradientShapeArithmetic(t)).toList();
  }

  /** The tensors of TensorFlow's gradient shape arithmetic that cross, either way. */
  private static List<Transfer> gradientShapes(PlacementReport report) {
    return report.transfers().stream().filter(DeliberateHostOps::gradientShapeArithmetic).toList();
  }

  private static String shortName(String tensor) {
    return tensor.endsWith(":0") ? tensor.substring(0, tensor.length() - 2) : tensor;
  }

  private static long sum(List<Transfer> transfers, long open) {
    return transfers.stream().mapToLong(t -> t.bytes(open)).sum();
  }

  /** Decimal units, as PCIe and memory sizes are quoted: 8 B, 3.1 KB, 153.6 MB. */
  static String bytes(long n) {
    if (n < 1000) {
      return n + " B";
    }
    String[] units = {"KB", "MB", "GB", "TB"};
    double v = n;
    int u = -1;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  /** {@code text} wrapped to {@link #WIDTH} columns, each line indented, continuation lines two more. */
  static List<String> wrap(String text, String indent) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder(indent);
    String continuation = indent + "  ";
    for (String word : text.split(" ")) {
      int base = lines.isEmpty() ? indent.length() : continuation.length();
      if (line.length() > base && line.length() + 1 + word.length() > WIDTH) {
        lines.add(line.toString());
        line = new StringBuilder(continuation);
      } else if (line.length() > base) {
        line.append(' ');
      }
      line.append(word);
    }
    lines.add(line.toString());
    return lines;
  }

  /** The phases' optimizers: {@code sgd then simple-adasecant}. */
  private static String optimizers(List<Phase> phases) {
    return phases.stream().map(p -> p.optimizer().type()).collect(Collectors.joining(" then "));
  }
}
