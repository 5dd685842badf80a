package superconv.training.session;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import superconv.graph.ChannelStats;
import superconv.graph.Checkpoint;
import superconv.graph.DataFormat;
import superconv.graph.DataProtocol;
import superconv.graph.ImageShape;
import superconv.graph.ModelSpec;
import superconv.graph.Network;
import superconv.graph.ResNet;
import superconv.graph.SavedModelExport;
import superconv.training.run.RunFolder;
import superconv.training.run.RunRecord;

/**
 * A SavedModel from a run folder, without its data: the network is rebuilt from {@code run.json} (spec, image
 * shape, class names, channel statistics) and takes the weights of the last checkpoint or of the best epoch.
 */
public final class Exporter {

  private Exporter() {}

  /** What was exported: the epoch the weights are from and its validation accuracy (NaN when unknown). */
  public record Exported(Path directory, int epoch, double valAccuracy, long parameters) {}

  /** As {@link #export(RunFolder, Path, boolean, boolean)} without {@code force}: {@code out} must be new or empty. */
  public static Exported export(RunFolder folder, Path out, boolean best) throws IOException {
    return export(folder, out, best, false);
  }

  /**
   * Writes the SavedModel into a new folder beside {@code out} and renames it into place, so that a failure leaves
   * nothing half-written; an existing {@code out} is replaced only as {@link ExportTarget#check} allows.
   */
  public static Exported export(RunFolder folder, Path out, boolean best, boolean force) throws IOException {
    ExportTarget.check(out, folder, force);
    RunRecord record = folder.readRecord()
        .orElseThrow(() -> new IOException(folder.dir() + " is not a run folder (no run.json)"));
    JsonNode data = record.data();
    if (data == null || data.isMissingNode()) {
      throw new IOException(folder.runJson() + " does not describe the run's data (written by an older superconv)");
    }
    Path weights;
    int epoch;
    double accuracy;
    if (best) {
      weights = folder.dir().resolve(Trainer.BEST);
      epoch = record.bestEpoch() == null ? 0 : record.bestEpoch();
      accuracy = record.bestValAccuracy() == null ? Double.NaN : record.bestValAccuracy();
    } else {
      weights = folder.latestCheckpoint().orElse(null);
      epoch = record.epochsCompleted();
      accuracy = folder.readMetrics().stream().filter(r -> r.epoch() == epoch).mapToDouble(r -> r.valAccuracy())
          .findFirst().orElse(Double.NaN);
    }
    if (weights == null || Checkpoint.latest(weights).isEmpty()) {
      throw new IOException(folder.dir() + " has no " + (best ? "best weights (" + Trainer.BEST + "/)"
          : "checkpoint") + " yet: no epoch has finished");
    }
    JsonNode spec = record.spec();
    List<String> classNames = new ArrayList<>();
    data.path("class_names").forEach(n -> classNames.add(n.asText()));
    ImageShape shape = new ImageShape(data.path("height").asInt(), data.path("width").asInt(),
        data.path("channels").asInt());
    ModelSpec model = new ModelSpec(Network.parse(spec.path("network").asText()), classNames.size(),
        spec.path("width").asInt(), shape, DataFormat.NHWC, spec.path("seed").asLong());
    DataProtocol protocol = DataProtocol.parse(spec.path("data_protocol").asText());
    ChannelStats stats = new ChannelStats(doubles(data.path("channel_mean")), doubles(data.path("channel_std")));
    try (Graph graph = new Graph(); Session session = new Session(graph)) {
      Ops tf = Ops.create(graph);
      ResNet<TFloat32> network = ResNet.create(tf, model);
      List<Variable<?>> variables = new ArrayList<>(network.trainableVariables());
      variables.addAll(network.stateVariables());
      // A training checkpoint holds the optimizer state too; restore reads only these variables, by name.
      Checkpoint checkpoint = Checkpoint.build(tf, variables);
      session.run(network.initializer());
      checkpoint.restore(session, weights);
      // Checked again just before the rename: the folder may have changed while the model was built.
      SavedModelExport.Exported exported = SavedModelExport.export(session, network, protocol,
          protocol == DataProtocol.STANDARD ? stats : null, classNames, out, () -> ExportTarget.check(out, folder, force));
      return new Exported(exported.directory(), epoch, accuracy, exported.parameters());
    }
  }

  private static double[] doubles(JsonNode array) {
    double[] values = new double[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asDouble();
    }
    return values;
  }
}
