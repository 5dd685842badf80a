package superconv.training.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.KernelDef;
import org.tensorflow.proto.KernelList;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import superconv.training.placement.Transfer.Direction;

/**
 * The placer model on small graphs against kernel registries described by hand (TensorFlow's real op definitions,
 * invented kernels), so every rule is checked with the CPU natives: kernel choice by dtype, reference edges,
 * soft placement, the DEFAULT device, host-memory kernels, the constant heuristic, and the tensors that cross.
 */
class PlacedGraphTest {

  private static final DeviceSpec GPU = DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.GPU).deviceIndex(0)
      .build();

  /** A kernel of {@code op} on {@code device}; constraints as attr, types pairs; host-memory arguments after "|". */
  private static KernelDef kernel(String op, String device, Object... spec) {
    KernelDef.Builder k = KernelDef.newBuilder().setOp(op).setDeviceType(device);
    boolean host = false;
    for (int i = 0; i < spec.length; i++) {
      if ("|".equals(spec[i])) {
        host = true;
      } else if (host) {
        k.addHostMemoryArg((String) spec[i]);
      } else {
        DataType[] types = (DataType[]) spec[i + 1];
        k.addConstraint(KernelDef.AttrConstraint.newBuilder().setName((String) spec[i])
            .setAllowedValues(AttrValue.newBuilder().setList(AttrValue.ListValue.newBuilder()
                .addAllType(List.of(types)))));
        i++;
      }
    }
    return k.build();
  }

  private static DataType[] types(DataType... t) {
    return t;
  }

  private static KernelRegistry registry(KernelDef... kernels) {
    return new KernelRegistry(KernelList.newBuilder().addAllKernel(List.of(kernels)).build(),
        TensorFlow.registeredOpList());
  }

  /** Every op of the graph on the CPU, with any dtype, so that only the GPU kernels given decide. */
  private static List<KernelDef> cpuForAll(String... ops) {
    List<KernelDef> all = new ArrayList<>();
    for (String op : ops) {
      all.add(kernel(op, "CPU"));
    }
    return all;
  }

  private static KernelRegistry registry(List<KernelDef> cpu, KernelDef... gpu) {
    List<KernelDef> all = new ArrayList<>(cpu);
    all.addAll(List.of(gpu));
    return registry(all.toArray(KernelDef[]::new));
  }

  @Test
  void anInt32VariableWithoutGpuKernelStaysOnTheCpuAndHoldsItsAssignThereAndTheGatherCopiesItWhole() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g).withDevice(GPU);
      Variable<TInt32> data = tf.withName("data").variable(Shape.of(1000, 6), TInt32.class);
      Placeholder<TInt32> feed = tf.withName("feed").placeholder(TInt32.class, Placeholder.shape(Shape.of(1000, 6)));
      tf.withName("upload").assign(data, feed);
      Placeholder<TInt32> indices = tf.withName("indices").placeholder(TInt32.class, Placeholder.shape(Shape.of(8)));
      Operand<TInt32> batch = tf.withName("batch").gather(data, indices, tf.withName("axis").constant(0));
      KernelRegistry registry = registry(cpuForAll("VariableV2", "Assign", "GatherV2", "Const", "Placeholder"),
          kernel("VariableV2", "GPU", "dtype", types(DataType.DT_FLOAT, DataType.DT_INT64)),
          kernel("Assign", "GPU", "T", types(DataType.DT_INT32, DataType.DT_FLOAT)),
          kernel("GatherV2", "GPU", "Tparams", types(DataType.DT_INT32), "|", "axis"),
          kernel("Const", "GPU", "dtype", types(DataType.DT_INT32), "|", "output"),
          kernel("Placeholder", KernelRegistry.DEFAULT_DEVICE));
      PlacedGraph placed = PlacedGraph.place(g.toGraphDef(), registry);

      OpPlacement variable = placed.placement("data");
      assertThat(variable.device()).isEqualTo(DeviceClass.CPU);
      assertThat(variable.dtypes()).isEqualTo("dtype=int32");
      assertThat(variable.reason()).isEqualTo("no GPU kernel for VariableV2 with dtype=int32 (GPU kernels: dtype in"
          + " {float32, int64})");
      // Assign has an int32 GPU kernel, but its reference input binds it to the variable.
      assertThat(placed.placement("upload").device()).isEqualTo(DeviceClass.CPU);
      assertThat(placed.placement("upload").reason()).startsWith("bound by a reference edge to data, which has no GPU"
          + " kernel for VariableV2 with dtype=int32");
      // GatherV2 reads the value, not the reference: it stays on the GPU, its axis in host memory.
      OpPlacement gather = placed.placement("batch");
      assertThat(gather.device()).isEqualTo(DeviceClass.GPU);
      assertThat(gather.hostMemoryArgs()).containsExactly("axis");
      // Placeholder has a DEFAULT kernel only, which serves the GPU; an int32 constant's GPU kernel is host memory.
      assertThat(placed.placement("indices").device()).isEqualTo(DeviceClass.GPU);
      assertThat(placed.placement("axis").device()).isEqualTo(DeviceClass.GPU_HOST_MEMORY);

      PlacementReport step = PlacementReport.of(SessionRun.of("step", List.of(indices), List.of(batch), List.of()),
          PlacementReport.Part.TRAINING_STEP, placed, g);
      assertThat(step.ops()).extracting(OpPlacement::name).containsExactly("data", "axis", "batch");
      // The whole variable crosses for every gather; the fed indices and the fetched batch cross too.
      assertThat(step.transfers()).extracting(Transfer::tensor, Transfer::kind, Transfer::direction)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("data:0", Transfer.Kind.EDGE, Direction.TO_DEVICE),
              org.assertj.core.groups.Tuple.tuple("indices:0", Transfer.Kind.FEED, Direction.TO_DEVICE),
              org.assertj.core.groups.Tuple.tuple("batch:0", Transfer.Kind.FETCH, Direction.TO_HOST));
      Transfer whole = step.transfers().stream().filter(t -> t.tensor().equals("data:0")).findFirst().orElseThrow();
      assertThat(whole.bytes(1)).isEqualTo(1000 * 6 * 4);
      assertThat(whole.consumer()).isEqualTo("batch");
      assertThat(whole.shapeText()).isEqualTo("[1000, 6]");
    }
  }

  @Test
  void anInt64VariableLivesOnTheCardAndNothingButTheFetchCrosses() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g).withDevice(GPU);
      Variable<org.tensorflow.types.TInt64> data =
          tf.withName("data").variable(Shape.of(1000, 3), org.tensorflow.types.TInt64.class);
      Operand<org.tensorflow.types.TInt64> row = tf.withName("row").gather(data, tf.withName("i").constant(new int[] {3}),
          tf.withName("axis").constant(0));
      KernelRegistry registry = registry(cpuForAll("VariableV2", "GatherV2", "Const"),
          kernel("VariableV2", "GPU", "dtype", types(DataType.DT_INT64)),
          kernel("GatherV2", "GPU", "Tparams", types(DataType.DT_INT64), "|", "axis"),
          kernel("Const", "GPU", "dtype", types(DataType.DT_INT32), "|", "output"));
      PlacedGraph placed = PlacedGraph.place(g.toGraphDef(), registry);
      PlacementReport report = PlacementReport.of(SessionRun.of("read", List.of(), List.of(row), List.of()),
          PlacementReport.Part.EVALUATION_SLICE, placed, g);
      assertThat(placed.placement("data").device()).isEqualTo(DeviceClass.GPU);
      // The indices are an int32 constant in host memory, which GatherV2 reads in device memory: they cross.
      assertThat(report.transfers()).extracting(Transfer::tensor, Transfer::kind).containsExactlyInAnyOrder(
          org.assertj.core.groups.Tuple.tuple("i:0", Transfer.Kind.EDGE),
          org.assertj.core.groups.Tuple.tuple("row:0", Transfer.Kind.FETCH));
      assertThat(report.counts()).containsEntry(DeviceClass.GPU, 2L).containsEntry(DeviceClass.GPU_HOST_MEMORY, 2L)
          .containsEntry(DeviceClass.CPU, 0L);
    }
  }

  @Test
  void hostMemoryKernelsComputeOnTheHostAndPinnedOpsStayOnTheCpu() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g).withDevice(GPU);
      Placeholder<TInt32> a = tf.withName("a").placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
      Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(4)));
      Operand<TInt32> twice = tf.withName("twice").math.mul(a, a);
      Operand<TFloat32> squares = tf.withName("squares").math.mul(x, x);
      Ops cpu = tf.withDevice(DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.CPU).build());
      Operand<TInt32> pinned = cpu.withName("pinned").math.mul(a, a);
      KernelRegistry registry = registry(cpuForAll("Mul", "Placeholder"),
          kernel("Mul", "GPU", "T", types(DataType.DT_INT32), "|", "x", "y", "z"),
          kernel("Mul", "GPU", "T", types(DataType.DT_FLOAT)),
          kernel("Placeholder", KernelRegistry.DEFAULT_DEVICE));
      PlacedGraph placed = PlacedGraph.place(g.toGraphDef(), registry);
      assertThat(placed.placement("twice").device()).isEqualTo(DeviceClass.GPU_HOST_MEMORY);
      assertThat(placed.placement("twice").reason())
          .isEqualTo("its GPU kernel for T=int32 keeps every input and output in host memory");
      assertThat(placed.placement("squares").device()).isEqualTo(DeviceClass.GPU);
      assertThat(placed.placement("squares").hostMemoryArgs()).isEmpty();
      assertThat(placed.placement("pinned").device()).isEqualTo(DeviceClass.CPU);
      assertThat(placed.placement("pinned").pinnedToCpu()).isTrue();
      assertThat(placed.placement("pinned").reason()).isEqualTo("pinned to the CPU by the graph");
      // A fed scalar read in host memory does not cross; one read on the card does.
      PlacementReport report = PlacementReport.of(SessionRun.of("run", List.of(a, x),
          List.of(twice, squares, pinned), List.of()), PlacementReport.Part.TRAINING_STEP, placed, g);
      assertThat(report.transfers()).extracting(Transfer::tensor, Transfer::kind).containsExactlyInAnyOrder(
          org.assertj.core.groups.Tuple.tuple("x:0", Transfer.Kind.FEED),
          org.assertj.core.groups.Tuple.tuple("squares:0", Transfer.Kind.FETCH));
    }
  }

  @Test
  void opsWithoutADeviceTakeTheGpuUnlessAKernelPriorityOrTheirConsumersSayOtherwise() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(4)));
      Operand<TFloat32> onCard = tf.withName("on_card").math.add(x, x);
      Operand<TFloat32> preferred = tf.withName("preferred").math.sub(x, x);
      // Abs has no GPU kernel: it and the constant it alone consumes go to the CPU.
      Operand<TFloat32> absolute = tf.withName("absolute").math.abs(tf.withName("seven").constant(new float[] {7f}));
      KernelRegistry registry = registry(cpuForAll("Placeholder", "Add", "Abs", "Const"),
          kernel("Placeholder", "GPU"), kernel("Add", "GPU"), kernel("Const", "GPU"),
          kernel("Sub", "GPU"), kernel("Sub", "CPU").toBuilder().setPriority(1).build());
      PlacedGraph placed = PlacedGraph.place(g.toGraphDef(), registry);
      assertThat(placed.placement("on_card").device()).isEqualTo(DeviceClass.GPU);
      assertThat(placed.placement("preferred").device()).isEqualTo(DeviceClass.CPU);
      assertThat(placed.placement("preferred").reason()).isEqualTo("its CPU kernel has a higher priority than its GPU kernel");
      assertThat(placed.placement("absolute").reason()).isEqualTo("no GPU kernel for Abs at all");
      assertThat(placed.placement("seven").device()).isEqualTo(DeviceClass.CPU);
      assertThat(placed.placement("seven").reason()).isEqualTo("follows its consumers, as a constant does");
      assertThat(onCard).isNotNull();
      assertThat(preferred).isNotNull();
      assertThat(absolute).isNotNull();
    }
  }

  @Test
  void aRunExecutesOnlyWhatItsFetchesAndTargetsNeedBelowItsFeeds() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g).withDevice(GPU);
      Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(4)));
      Operand<TFloat32> y = tf.withName("y").math.add(x, x);
      tf.withName("unused").math.mul(x, x);
      Operand<TFloat32> z = tf.withControlDependencies(List.of(y)).withName("z").math.neg(x);
      KernelRegistry registry = registry(cpuForAll("Placeholder", "Add", "Mul", "Neg"),
          kernel("Placeholder", "GPU"), kernel("Add", "GPU"), kernel("Mul", "GPU"), kernel("Neg", "GPU"));
      PlacedGraph placed = PlacedGraph.place(g.toGraphDef(), registry);
      SessionRun run = SessionRun.of("run", List.of(x), List.of(z), List.of());
      assertThat(run.executed(placed)).containsExactlyInAnyOrder("z", "y");
      assertThat(run.fetches()).containsExactly("z:0");
      assertThat(run.feeds()).containsExactly("x");
    }
  }
}
