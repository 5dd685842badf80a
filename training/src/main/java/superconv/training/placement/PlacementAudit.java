package superconv.training.placement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorShapeProto;
import superconv.datasets.Dataset;
import superconv.graph.ChannelStats;
import superconv.graph.DataProtocol;
import superconv.graph.ImageShape;
import superconv.graph.SavedModelExport;
import superconv.graph.TrainingGraph;
import superconv.graph.TrainingGraphSpec;
import superconv.optimizers.OptimizerSpec;
import superconv.optimizers.RunLength;
import superconv.training.loop.TrainingLoop;
import superconv.training.manifest.Phase;
import superconv.training.manifest.RunSpec;
import superconv.training.session.Devices;
import superconv.training.session.RunGraph;
import superconv.training.session.Trainer;

/**
 * The placement audit of a run: its graphs built exactly as {@code run} and {@code export} build them (without the
 * data: the data set's shape, classes and sizes stand in), placed for a GPU as TensorFlow would place them there, and
 * reported per session run: each phase's training step, an evaluation slice, a call of the exported SavedModel.
 */
public final class PlacementAudit {

  /** The GPU a run's graph asks for on a GPU machine ({@code device = "auto"} or {@code "gpu"}). */
  static final String DEVICE = "/device:GPU:0";

  /** The scope of the resident pipeline's per-epoch permutation cache (indices and their epoch). */
  private static final String PERMUTATION_CACHE = "input/permutation/cache/";

  /**
   * The audit of one run.
   *
   * @param run the run's id
   * @param spec the run as the manifest gives it
   * @param variables the variables of the training graph and where they live
   * @param reports each phase's training step, then evaluation, then serving
   */
  public record RunAudit(String run, RunSpec spec, List<ResidentVariable> variables, List<PlacementReport> reports) {
    public RunAudit {
      Objects.requireNonNull(run, "run");
      variables = List.copyOf(variables);
      reports = List.copyOf(reports);
    }
  }

  private PlacementAudit() {}

  /** Builds and places {@code spec}'s graphs with the loaded natives' kernels. */
  public static RunAudit of(RunSpec spec, KernelRegistry registry) {
    Dataset set = spec.dataset();
    ImageShape shape = new ImageShape(set.height(), set.width(), set.channels());
    int train = spec.trainLimit() == 0 ? set.trainImages() : spec.trainLimit();
    int test = spec.testLimit() == 0 ? set.testImages() : spec.testLimit();
    // Normalization constants change no op: any valid statistics stand in for the data's.
    double[] zeros = new double[set.channels()];
    double[] ones = new double[set.channels()];
    Arrays.fill(ones, 1.0);
    ChannelStats stats = spec.dataProtocol() == DataProtocol.STANDARD ? new ChannelStats(zeros, ones) : null;
    OptimizerSpec optimizer = spec.optimizerSpec();
    TrainingGraphSpec graphSpec =
        Trainer.graphSpec(spec, shape, set.classes(), stats, train, test, optimizer.needsNextBatch());
    List<PlacementReport> reports = new ArrayList<>();
    List<ResidentVariable> variables;
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph).withDevice(Devices.spec(DEVICE));
      RunGraph run = RunGraph.build(tf, graphSpec, optimizer,
          spec.scheduleOver(new RunLength(spec.epochs(), graphSpec.stepsPerEpoch())));
      GraphDef def = graph.toGraphDef();
      PlacedGraph placed = PlacedGraph.place(def, registry);
      TrainingGraph model = run.model();
      for (Phase phase : spec.phases()) {
        String title = "training step" + (spec.phases().size() == 1 ? ""
            : " from epoch " + (phase.fromEpoch() + 1)) + " (" + phase.optimizer().type() + ")";
        List<Operand<?>> feeds = new ArrayList<>(model.stepFeeds());
        feeds.addAll(run.step().feeds());
        reports.add(PlacementReport.of(SessionRun.of(title, feeds,
            run.step().fetches(phase.fromEpoch(), TrainingLoop.WITH_LOSS), run.step().targets(phase.fromEpoch())),
            PlacementReport.Part.TRAINING_STEP, placed, graph));
      }
      reports.add(PlacementReport.of(SessionRun.of("evaluation slice", model.evaluationFeeds(),
          model.evaluationFetches(), List.of()), PlacementReport.Part.EVALUATION_SLICE, placed, graph));
      variables = variables(def, placed, roles(run));
    }
    try (Graph graph = new Graph()) {
      // The exported graph asks for no device: TensorFlow gives each op the GPU where it has a kernel.
      SavedModelExport.ServingGraph serving =
          SavedModelExport.servingGraph(Ops.create(graph), graphSpec.model(), spec.dataProtocol(), stats);
      PlacedGraph placed = PlacedGraph.place(graph.toGraphDef(), registry);
      reports.add(PlacementReport.of(SessionRun.of("serving (exported SavedModel)", List.of(serving.images()),
          List.of(serving.logits(), serving.probabilities(), serving.classes()), List.of()),
          PlacementReport.Part.SERVING, placed, graph));
    }
    return new RunAudit(spec.id(), spec, variables, reports);
  }

  /** What each variable of the run's graph holds, by name. */
  private static Map<String, String> roles(RunGraph run) {
    Map<String, String> roles = new HashMap<>();
    run.model().trainableVariables().forEach(v -> roles.put(v.op().name(), "weights"));
    run.model().stateVariables().forEach(v -> roles.put(v.op().name(), "batch-norm statistics"));
    for (Variable<?> v : run.step().stateVariables()) {
      roles.put(v.op().name(), "optimizer state");
    }
    run.model().pipeline().dataVariables().forEach(v -> roles.put(v.op().name(), "resident data"));
    return roles;
  }

  private static List<ResidentVariable> variables(GraphDef def, PlacedGraph placed, Map<String, String> roles) {
    List<ResidentVariable> variables = new ArrayList<>();
    for (NodeDef node : def.getNodeList()) {
      if (!node.getOp().equals("VariableV2")) {
        continue;
      }
      AttrValue dtype = node.getAttrMap().get("dtype");
      long elements = 1;
      for (TensorShapeProto.Dim d : node.getAttrMap().get("shape").getShape().getDimList()) {
        elements *= d.getSize();
      }
      String role = roles.getOrDefault(node.getName(),
          node.getName().startsWith(PERMUTATION_CACHE) ? "permutation cache" : "other");
      variables.add(new ResidentVariable(node.getName(), role, DataTypes.name(dtype.getType()),
          elements * DataTypes.bytes(dtype.getType()), placed.placement(node.getName()).device()));
    }
    return variables;
  }

}
