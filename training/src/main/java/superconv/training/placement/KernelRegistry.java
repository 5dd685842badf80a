package superconv.training.placement;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteBuffer;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GetAllRegisteredKernels;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GetCode;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_Message;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.TensorFlow;
import org.tensorflow.internal.c_api.TF_Buffer;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.KernelDef;
import org.tensorflow.proto.KernelList;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.OpList;

/**
 * The kernels and op definitions registered with the loaded TensorFlow natives, and the kernel TensorFlow would run a
 * node with on a device type. The GPU natives register their GPU kernels whether or not a GPU or CUDA is present, so
 * what a GPU machine would do is known on any machine that loads them.
 *
 * <p>Kernel choice as TensorFlow 2.18's {@code FindKernelRegistration}: among the kernels of the node's op for the
 * device type with no label (superconv sets no {@code _kernel} attribute), those whose type constraints the node's
 * attributes satisfy, the highest priority first; where none matches, the {@code DEFAULT} device's kernels, which
 * serve any device type without a kernel of its own.
 */
public final class KernelRegistry {

  /** TensorFlow's name for the device type whose kernels serve every device type that has none of its own. */
  static final String DEFAULT_DEVICE = "DEFAULT";

  private static volatile KernelRegistry loaded;

  private final Map<String, List<KernelDef>> kernels = new HashMap<>();
  private final Map<String, OpDef> ops = new HashMap<>();

  /** A registry over these kernels and op definitions (tests describe small ones by hand). */
  public KernelRegistry(KernelList kernelList, OpList opList) {
    for (KernelDef k : kernelList.getKernelList()) {
      kernels.computeIfAbsent(k.getOp(), op -> new ArrayList<>()).add(k);
    }
    for (OpDef op : opList.getOpList()) {
      ops.put(op.getName(), op);
    }
  }

  /** The kernels and ops registered in this process (loads TensorFlow; read once). */
  public static KernelRegistry current() {
    KernelRegistry registry = loaded;
    if (registry == null) {
      OpList opList = TensorFlow.registeredOpList();
      registry = new KernelRegistry(allKernels(), opList);
      loaded = registry;
    }
    return registry;
  }

  private static KernelList allKernels() {
    TF_Status status = TF_NewStatus();
    try {
      TF_Buffer buffer = TF_GetAllRegisteredKernels(status);
      if (TF_GetCode(status) != 0) {
        throw new IllegalStateException("TensorFlow cannot list its kernels: " + TF_Message(status).getString());
      }
      try {
        return KernelList.parseFrom(buffer.dataAsByteBuffer());
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("TensorFlow's kernel list does not parse: " + e.getMessage(), e);
      } finally {
        TF_DeleteBuffer(buffer);
      }
    } finally {
      TF_DeleteStatus(status);
    }
  }

  /** The op's definition; an unknown op is an error naming it. */
  public OpDef op(String name) {
    OpDef op = ops.get(name);
    if (op == null) {
      throw new IllegalArgumentException("op " + name + " is not registered with the loaded TensorFlow");
    }
    return op;
  }

  /** The kernel TensorFlow would run {@code node} with on a device of this type (CPU, GPU), if any. */
  public Optional<KernelDef> kernel(NodeDef node, String deviceType) {
    Optional<KernelDef> own = best(node, deviceType);
    return own.isPresent() ? own : best(node, DEFAULT_DEVICE);
  }

  private Optional<KernelDef> best(NodeDef node, String deviceType) {
    KernelDef best = null;
    for (KernelDef k : kernels.getOrDefault(node.getOp(), List.of())) {
      if (k.getDeviceType().equals(deviceType) && k.getLabel().isEmpty() && matches(k, node)
          && (best == null || k.getPriority() > best.getPriority())) {
        best = k;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Whether every type constraint of {@code kernel} admits the node's value of that attribute. */
  private boolean matches(KernelDef kernel, NodeDef node) {
    for (KernelDef.AttrConstraint constraint : kernel.getConstraintList()) {
      AttrValue value = attr(node, constraint.getName());
      if (value == null) {
        return false;
      }
      List<DataType> allowed = constraint.getAllowedValues().getList().getTypeList();
      List<DataType> given = value.hasList() ? value.getList().getTypeList() : List.of(value.getType());
      if (!allowed.containsAll(given)) {
        return false;
      }
    }
    return true;
  }

  /** The node's attribute, else its op's default for it; null when neither has it. */
  AttrValue attr(NodeDef node, String name) {
    AttrValue value = node.getAttrMap().get(name);
    if (value != null) {
      return value;
    }
    OpDef op = ops.get(node.getOp());
    if (op != null) {
      for (OpDef.AttrDef attr : op.getAttrList()) {
        if (attr.getName().equals(name) && attr.hasDefaultValue()) {
          return attr.getDefaultValue();
        }
      }
    }
    return null;
  }

  /**
   * The types each of the op's type attributes takes in the kernels of this device type, for messages: {@code T in
   * {float32, float64}}; empty when the op has no kernel there at all.
   */
  public String kernelTypes(String opName, String deviceType) {
    Map<String, List<String>> byAttr = new LinkedHashMap<>();
    boolean any = false;
    for (KernelDef k : kernels.getOrDefault(opName, List.of())) {
      if (!k.getDeviceType().equals(deviceType) || !k.getLabel().isEmpty()) {
        continue;
      }
      any = true;
      for (KernelDef.AttrConstraint c : k.getConstraintList()) {
        List<String> names = byAttr.computeIfAbsent(c.getName(), n -> new ArrayList<>());
        for (DataType t : c.getAllowedValues().getList().getTypeList()) {
          String name = DataTypes.name(t);
          if (!names.contains(name)) {
            names.add(name);
          }
        }
      }
    }
    if (!any) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    byAttr.forEach((attr, types) -> parts.add(attr + " in {" + String.join(", ", types) + "}"));
    return parts.isEmpty() ? "any types" : String.join("; ", parts);
  }
}
