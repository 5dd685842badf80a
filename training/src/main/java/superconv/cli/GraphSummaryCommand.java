package superconv.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tensorflow.Graph;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import superconv.datasets.Dataset;
import superconv.graph.ImageShape;
import superconv.graph.ModelSpec;
import superconv.graph.Network;
import superconv.graph.ResNet;
import superconv.training.manifest.ComponentRules;
import superconv.training.manifest.Manifest;
import superconv.training.manifest.RunSpec;
import superconv.training.placement.KernelRegistry;
import superconv.training.placement.PlacementAudit;
import superconv.training.placement.PlacementSummary;
import superconv.training.session.TensorFlowNatives;

/**
 * {@code superconv graph summary}: builds a network's graph (no session, no weights computed) and prints its shapes,
 * parameters and multiply-adds per stage; with {@code MANIFEST --placement}, the placement audit of the manifest's
 * runs instead (see {@link PlacementAudit}).
 */
@Command(
    name = "summary",
    description = {
      "Build a network's graph and print output shape, parameters and multiply-adds per image of the stem, the four"
          + " stages and the head. Nothing is trained or run.",
      "The op count is that of a graph holding the variables, their initializers and one inference tower.",
      "With MANIFEST --placement: build each selected run's graphs as run and export build them and print where"
          + " TensorFlow would place their ops on a GPU machine (needs the GPU natives: SUPERCONV_MAVEN_ARGS=-Pgpu)."
    })
final class GraphSummaryCommand implements Callable<Integer> {

  /** How to get the natives the placement audit needs, as the error says it. */
  static final String GPU_BUILD = "SUPERCONV_MAVEN_ARGS=-Pgpu ./superconv graph summary MANIFEST --placement";

  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Parameters(index = "0", arity = "0..1", paramLabel = "MANIFEST",
      description = "With --placement: the experiment manifest (TOML) whose runs to audit.")
  Path manifest;

  @Option(names = "--placement",
      description = "Audit where each op of the runs' training steps, evaluation and serving graph would run on a GPU"
          + " machine, and what crosses PCIe per step.")
  boolean placement;

  @Option(names = "--only", paramLabel = "PATTERN",
      description = "With --placement: comma-separated globs over experiment or experiment/run names.")
  String only;

  @Option(names = "--network", paramLabel = "NAME", description = "resnet18 or resnet50 (without --placement).")
  String network;

  @Option(names = "--classes", paramLabel = "N",
      description = "Classes of the head (default: the data set's, else 10).")
  Integer classes;

  @Option(names = "--width", paramLabel = "W",
      description = "Base width: stages have W, 2W, 4W, 8W channels (default: 64, the reference).")
  Integer width;

  @Option(names = "--dataset", paramLabel = "ID",
      description = "Take input shape and classes from this set: cifar10, cifar100, fashion-mnist, mnist"
          + " (default input: 32x32x3).")
  String dataset;

  @Option(names = "--json", description = "Print one JSON object as the last line.")
  boolean json;

  @Mixin Verbose verbose;

  @Override
  public Integer call() throws Exception {
    if (placement || manifest != null || only != null) {
      return placementAudit();
    }
    if (network == null) {
      throw new ParameterException(spec.commandLine(),
          "Missing required option: '--network=NAME' (or MANIFEST --placement)");
    }
    Network net = Network.parse(network);
    int width = this.width == null ? ModelSpec.REFERENCE_WIDTH : this.width;
    if (width < 1) {
      throw new IllegalArgumentException("--width must be at least 1, got " + width);
    }
    ImageShape input = new ImageShape(32, 32, 3);
    int headClasses = classes == null ? 10 : classes;
    if (dataset != null) {
      Dataset set = Dataset.fromId(dataset);
      input = new ImageShape(set.height(), set.width(), set.channels());
      if (classes != null && classes != set.classes()) {
        throw new IllegalArgumentException(
            "--classes " + classes + " contradicts --dataset " + set.id() + " (" + set.classes() + " classes)");
      }
      headClasses = set.classes();
    }
    if (headClasses < 2) {
      throw new IllegalArgumentException("--classes must be at least 2, got " + headClasses);
    }
    ModelSpec model = ModelSpec.of(net, headClasses, width, input);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      ResNet<TFloat32> resnet = ResNet.create(tf, model);
      var images = tf.withName("images").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, input.height(), input.width(), input.channels())));
      resnet.forward(images, ResNet.Mode.EVAL, "inference");
      long ops = 0;
      for (Iterator<?> it = g.operations(); it.hasNext(); it.next()) {
        ops++;
      }
      PrintWriter out = spec.commandLine().getOut();
      if (!json) {
        out.printf("%s, %d classes, width %d, input %s%n", net.id(), headClasses, width, input);
        out.printf("%-8s %14s %14s %16s%n", "part", "output", "parameters", "multiply-adds");
        for (ResNet.Stage stage : resnet.stages()) {
          String shape = stage.name().equals("head")
              ? Integer.toString(stage.channels())
              : stage.height() + "x" + stage.width() + "x" + stage.channels();
          out.printf("%-8s %14s %,14d %,16d%n", stage.name(), shape, stage.parameters(), stage.multiplyAdds());
        }
        out.printf("%-8s %14s %,14d %,16d%n", "total", "", resnet.parameters(), resnet.multiplyAddsPerImage());
        out.printf("%d trainable variables, %d batch-norm state variables, %d ops%n",
            resnet.trainableVariables().size(), resnet.stateVariables().size(), ops);
      } else {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("network", net.id());
        row.put("classes", headClasses);
        row.put("width", width);
        row.put("parameters", resnet.parameters());
        row.put("trainable_variables", resnet.trainableVariables().size());
        row.put("ops", ops);
        row.put("multiply_adds_per_image", resnet.multiplyAddsPerImage());
        out.println(Json.line(row));
      }
      out.flush();
    }
    return 0;
  }

  /** {@code MANIFEST --placement [--only ...]}: the audit of each selected run, then the reasons of the host ops. */
  private Integer placementAudit() throws Exception {
    if (!placement || manifest == null) {
      throw new ParameterException(spec.commandLine(), placement ? "--placement needs a MANIFEST"
          : "MANIFEST and --only go with --placement (the placement audit of a manifest's runs)");
    }
    if (network != null || classes != null || dataset != null || json || width != null) {
      throw new ParameterException(spec.commandLine(), "--placement takes its networks from the MANIFEST: --network,"
          + " --classes, --width, --dataset and --json do not apply");
    }
    List<RunSpec> runs = Manifest.load(manifest, ComponentRules.standard()).select(only);
    TensorFlowNatives natives = TensorFlowNatives.current();
    if (!natives.gpu()) {
      throw new UserError("the placement audit needs TensorFlow's GPU natives, which register the GPU kernels it"
          + " checks against; this build has the " + natives.describe() + ". Build with them: " + GPU_BUILD);
    }
    KernelRegistry registry = KernelRegistry.current();
    PrintWriter out = spec.commandLine().getOut();
    for (RunSpec run : runs) {
      PlacementSummary.lines(PlacementAudit.of(run, registry)).forEach(out::println);
      out.flush();
    }
    PlacementSummary.legend().forEach(out::println);
    out.flush();
    return 0;
  }
}
