package superconv.training.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import superconv.training.manifest.ComponentRules;
import superconv.training.manifest.Manifest;
import superconv.training.manifest.RunSpec;
import superconv.training.placement.PlacementAudit.RunAudit;
import superconv.training.placement.Transfer.Direction;
import superconv.training.placement.Transfer.Kind;

/** The printed audit, from audits described by hand: the paragraph's sums and names, sizes, wrapping, the legend. */
class PlacementSummaryTest {

  private static RunSpec spec() throws Exception {
    return Manifest.parse("""
        [[experiment]]
        name = "e"
        dataset = "cifar10"
        network = "resnet18"
        width = 8
        batch_size = 128
        epochs = 1
        optimizer = { type = "sgd" }
        schedule = { type = "constant", lr = 0.1 }
        input = "host"
        """, "t.toml", ComponentRules.standard()).runs().get(0);
  }

  private static Transfer transfer(String tensor, String dtype, int bytes, long[] shape, Direction d, Kind kind,
      String consumer) {
    return new Transfer(tensor, dtype, bytes, shape, d, kind, consumer, false);
  }

  private static OpPlacement op(String name, String type, DeviceClass device, String requested) {
    return new OpPlacement(name, type, "T=int32", requested, device, device == DeviceClass.GPU ? "" : "why", List.of());
  }

  @Test
  void theParagraphSumsWhatLivesWhereAndWhatCrossesEachWayPerCall() throws Exception {
    List<ResidentVariable> variables = List.of(
        new ResidentVariable("w", "weights", "float32", 400_000, DeviceClass.GPU),
        new ResidentVariable("w2", "weights", "float32", 100_000, DeviceClass.GPU),
        new ResidentVariable("m", "optimizer state", "float32", 500_000, DeviceClass.GPU),
        new ResidentVariable("input/permutation/cache/epoch", "permutation cache", "int64", 8, DeviceClass.CPU));
    PlacementReport step = new PlacementReport("training step (sgd)", PlacementReport.Part.TRAINING_STEP, List.of(),
        List.of(transfer("input/feed/images:0", "uint8", 1, new long[] {128, 32, 32, 3}, Direction.TO_DEVICE,
                Kind.FEED, "input/batch/to_float"),
            transfer("learning_rate:0", "float32", 4, new long[0], Direction.TO_DEVICE, Kind.FEED, "optimizer/Cast"),
            transfer("loss:0", "float32", 4, new long[0], Direction.TO_HOST, Kind.FETCH, ""),
            transfer("gradients/Shape:0", "int32", 4, new long[] {4}, Direction.TO_DEVICE, Kind.EDGE,
                "gradients/DynamicStitch"),
            transfer("gradients/Prod:0", "int32", 4, new long[0], Direction.TO_HOST, Kind.EDGE, "gradients/Maximum")));
    PlacementReport eval = new PlacementReport("evaluation slice", PlacementReport.Part.EVALUATION_SLICE, List.of(),
        List.of(transfer("input/feed/eval_images:0", "uint8", 1, new long[] {-1, 32, 32, 3}, Direction.TO_DEVICE,
            Kind.FEED, "input/eval_batch/Cast")));
    PlacementReport serving = new PlacementReport("serving", PlacementReport.Part.SERVING, List.of(),
        List.of(transfer("logits:0", "float32", 4, new long[] {-1, 10}, Direction.TO_HOST, Kind.FETCH, "")));
    RunAudit audit = new RunAudit("e/e", spec(), variables, List.of(step, eval, serving));

    assertThat(PlacementSummary.paragraph(audit)).isEqualTo(
        "On the card: 500.0 KB of weights, 500.0 KB of optimizer state; in host memory: permutation cache"
            + " input/permutation/cache/epoch (8 B)."
            // 128 * 32 * 32 * 3 = 393,216 bytes of images and a 4-byte rate.
            + " Each training step (sgd) moves 393.2 KB (input/feed/images, learning_rate) to the card and 4 B (loss)"
            + " back, besides 2 small int32 tensors (20 B) of TensorFlow's gradient shape arithmetic, which Grappler"
            + " folds into constants when shapes are static."
            // An evaluation slice's open dimension is its 500 images: 500 * 3,072 bytes.
            + " Each evaluation slice of 500 images moves 1.5 MB (input/feed/eval_images) to the card and nothing back."
            + " A serving call, per image, moves nothing to the card and 40 B (logits) back.");
  }

  @Test
  void theReportListsHostOpsByKindAndFlagsTheOnesWithoutAReason() throws Exception {
    PlacementReport step = new PlacementReport("training step (sgd)", PlacementReport.Part.TRAINING_STEP, List.of(
        op("input/batch/start", "Mul", DeviceClass.CPU, "/device:CPU:*"),
        op("gradients/Size", "Size", DeviceClass.GPU_HOST_MEMORY, ""),
        op("shapes", "Const", DeviceClass.GPU_HOST_MEMORY, "/device:GPU:0"),
        op("input/data/train_images", "VariableV2", DeviceClass.CPU, "/device:GPU:0"),
        op("conv", "Conv2D", DeviceClass.GPU, "/device:GPU:0")), List.of());
    RunAudit audit = new RunAudit("e/e", spec(), List.of(), List.of(step));
    List<String> lines = PlacementSummary.lines(audit);
    assertThat(lines).contains(
        "  training step (sgd): 5 ops: 1 gpu, 2 gpu (host memory), 2 cpu",
        "    on the host, deliberately: 1 host scalars: input/batch/start",
        "    on the host, deliberately: 1 gradient shape arithmetic",
        "    on the host, deliberately: 1 constants",
        "    ON THE HOST WITHOUT A LISTED REASON: cpu input/data/train_images (VariableV2, T=int32): why");
  }

  @Test
  void sizesAreDecimalAndTextWrapsUnderItsIndent() {
    assertThat(PlacementSummary.bytes(8)).isEqualTo("8 B");
    assertThat(PlacementSummary.bytes(999)).isEqualTo("999 B");
    assertThat(PlacementSummary.bytes(38_400)).isEqualTo("38.4 KB");
    assertThat(PlacementSummary.bytes(153_600_000)).isEqualTo("153.6 MB");
    assertThat(PlacementSummary.bytes(2_500_000_000L)).isEqualTo("2.5 GB");
    String text = ("word ".repeat(60)).strip();
    List<String> lines = PlacementSummary.wrap(text, "  ");
    assertThat(lines).allMatch(l -> l.length() <= PlacementSummary.WIDTH);
    assertThat(lines.get(0)).startsWith("  word");
    assertThat(lines.subList(1, lines.size())).allMatch(l -> l.startsWith("    word"));
    assertThat(String.join(" ", lines.stream().map(String::strip).toList())).isEqualTo(text);
  }

  @Test
  void theLegendGivesEveryListedKindItsReason() {
    List<String> legend = PlacementSummary.legend();
    assertThat(legend.get(0)).isEqualTo("Deliberately on the host:");
    for (DeliberateHostOps.Entry e : DeliberateHostOps.ENTRIES) {
      assertThat(legend).anyMatch(l -> l.startsWith("  " + e.what() + ": "));
    }
  }
}
