package superconv.training.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import superconv.graph.InputMode;
import superconv.optimizers.NativeKernels;
import superconv.training.manifest.ComponentRules;
import superconv.training.manifest.Manifest;
import superconv.training.manifest.RunSpec;
import superconv.training.placement.PlacementAudit.RunAudit;
import superconv.training.session.TensorFlowNatives;

/**
 * Every graph superconv builds, placed for a GPU against the GPU natives' own kernels: no op of a training step, an
 * evaluation slice or a serving call may compute on the host unless {@link DeliberateHostOps} lists its kind, every
 * variable lives on the card, and per step only the fed and fetched values cross PCIe. Runs under the {@code gpu}
 * profile ({@code mvn -Pgpu}); with the CPU natives, which lack the GPU kernels, it is skipped.
 *
 * <p>The grid: every optimizer (sgd with Nesterov momentum and weight decay, adam, cus-adam, adasecant,
 * simple-adasecant with momentum, and a switching run from sgd to simple-adasecant) in every precision (float16 with
 * dynamic loss scaling) and both input modes, on tiny widths (placement does not depend on width), with the
 * standard protocol (crops and flips), plus a ResNet50 on one-channel images with the thesis protocol.
 */
class PlacementAuditTest {

  private static final String GRID = """
      [defaults]
      dataset = "cifar10"
      network = "resnet18"
      width = 2
      batch_size = 8
      epochs = 2
      seed = 1
      data_protocol = "standard"
      device = "auto"
      train_limit = 64
      test_limit = 16

      [[experiment]]
      name = "rate"
      schedule = { type = "one-cycle", min = 0.001, max = 0.1, momentum_max = 0.95, momentum_min = 0.85 }
      [experiment.grid]
      optimizer = [{ type = "sgd", momentum = 0.9, nesterov = true, weight_decay = 5e-4 }, { type = "adam" },
                   { type = "cus-adam" }]
      precision = ["float32", "float16", "bfloat16"]
      input = ["resident", "host"]

      [[experiment]]
      name = "calculated"
      [experiment.grid]
      optimizer = [{ type = "adasecant" }, { type = "simple-adasecant", threshold = 10.0, momentum = 0.5 }]
      precision = ["float32", "float16", "bfloat16"]
      input = ["resident", "host"]

      [[experiment]]
      name = "switching"
      phases = [
        { epochs = 1, optimizer = { type = "sgd" }, schedule = { type = "triangular", min = 0.001, max = 1.0, cycle_epochs = 1 } },
        { optimizer = { type = "simple-adasecant", threshold = 10.0 } },
      ]
      [experiment.grid]
      precision = ["float32", "float16", "bfloat16"]
      input = ["resident", "host"]

      [[experiment]]
      name = "bottleneck"
      network = "resnet50"
      dataset = "fashion-mnist"
      data_protocol = "thesis"
      optimizer = { type = "sgd" }
      schedule = { type = "constant", lr = 0.01 }
      """;

  private static List<RunAudit> audits;

  @BeforeAll
  static void auditEveryGraph() throws Exception {
    if (!TensorFlowNatives.current().gpu()) {
      return;
    }
    // Registered if they were built: a GPU graph must never use them all the same.
    NativeKernels.loaded();
    List<RunSpec> runs = Manifest.parse(GRID, "placement.toml", ComponentRules.standard()).runs();
    KernelRegistry registry = KernelRegistry.current();
    // Each run builds its own graphs: side by side on every core (building the gradients takes seconds per run).
    ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
    try {
      List<Future<RunAudit>> futures = new ArrayList<>();
      for (RunSpec run : runs) {
        futures.add(pool.submit(() -> PlacementAudit.of(run, registry)));
      }
      audits = new ArrayList<>();
      for (Future<RunAudit> f : futures) {
        audits.add(f.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @BeforeEach
  void needsTheGpuNatives() {
    assumeTrue(audits != null, "the placement audit needs the GPU natives' kernels: mvn -Pgpu (these are the "
        + TensorFlowNatives.current().describe() + ")");
  }

  @Test
  void theGridCoversEveryOptimizerPrecisionAndInputMode() {
    Set<String> combinations = new HashSet<>();
    for (RunAudit audit : audits) {
      String optimizers = String.join("+", audit.spec().phases().stream().map(p -> p.optimizer().type()).toList());
      combinations.add(optimizers + "/" + audit.spec().precision().id() + "/" + audit.spec().input().id());
    }
    for (String optimizer : List.of("sgd", "adam", "cus-adam", "adasecant", "simple-adasecant",
        "sgd+simple-adasecant")) {
      for (String precision : List.of("float32", "float16", "bfloat16")) {
        for (String input : List.of("resident", "host")) {
          assertThat(combinations).contains(optimizer + "/" + precision + "/" + input);
        }
      }
    }
  }

  @Test
  void noOpOfAStepAnEvaluationOrServingComputesOnTheHostWithoutAListedReason() {
    List<String> unexpected = new ArrayList<>();
    for (RunAudit audit : audits) {
      for (PlacementReport report : audit.reports()) {
        for (OpPlacement op : report.ops()) {
          if (DeliberateHostOps.unexpected(op)) {
            unexpected.add(audit.run() + ", " + report.title() + ": " + op.device().label() + " " + op.name() + " ("
                + op.type() + ", " + op.dtypes() + "): " + op.reason());
          }
        }
      }
    }
    assertThat(unexpected).as("ops on the host that DeliberateHostOps does not list").isEmpty();
  }

  @Test
  void everyListedKindOfHostOpOccursSoTheListHoldsNothingStale() {
    Set<String> used = new HashSet<>();
    for (RunAudit audit : audits) {
      for (PlacementReport report : audit.reports()) {
        report.onHost().forEach(op -> DeliberateHostOps.entryFor(op).ifPresent(e -> used.add(e.what())));
      }
    }
    assertThat(used).containsExactlyInAnyOrderElementsOf(
        DeliberateHostOps.ENTRIES.stream().map(DeliberateHostOps.Entry::what).toList());
  }

  @Test
  void theFusedCpuAdaSecantKernelsNeverEnterAGpuGraph() {
    for (RunAudit audit : audits) {
      for (PlacementReport report : audit.reports()) {
        assertThat(report.ops()).as(audit.run() + ", " + report.title())
            .noneMatch(op -> op.type().startsWith("Superconv"));
      }
    }
  }

  @Test
  void everyVariableLivesOnTheCardButTheCachedEpochScalar() {
    for (RunAudit audit : audits) {
      for (ResidentVariable v : audit.variables()) {
        if (v.name().equals("input/permutation/cache/epoch")) {
          assertThat(v.device()).as(v.name()).isEqualTo(DeviceClass.CPU);
        } else {
          assertThat(v.device()).as(audit.run() + ": " + v.name() + " (" + v.role() + ", " + v.dtype() + ")")
              .isEqualTo(DeviceClass.GPU);
        }
      }
      boolean resident = audit.spec().input() == InputMode.RESIDENT;
      assertThat(audit.variables()).as(audit.run()).filteredOn(v -> v.role().equals("resident data"))
          .hasSize(resident ? 4 : 0).allMatch(v -> v.dtype().equals("int64"));
    }
  }

  @Test
  void perStepOnlyTheFedAndFetchedValuesCrossBesidesTensorFlowsGradientShapes() {
    for (RunAudit audit : audits) {
      boolean resident = audit.spec().input() == InputMode.RESIDENT;
      for (PlacementReport report : audit.reports()) {
        String where = audit.run() + ", " + report.title();
        List<Transfer> edges = report.transfers().stream().filter(t -> t.kind() == Transfer.Kind.EDGE
            && !DeliberateHostOps.gradientShapeArithmetic(t)).toList();
        assertThat(edges).as(where + ": tensors crossing between ops").isEmpty();
        List<String> fed = report.transfers().stream().filter(t -> t.kind() == Transfer.Kind.FEED)
            .map(Transfer::tensor).toList();
        switch (report.part()) {
          case TRAINING_STEP -> {
            // The epoch and step go to host scalars; the rate (and a cyclical momentum) to the optimizer on the card.
            List<String> scalars = List.of("learning_rate:0", "momentum:0");
            List<String> batches = List.of("input/feed/images:0", "input/feed/labels:0", "input/feed/next_images:0",
                "input/feed/next_labels:0");
            assertThat(fed).as(where).allMatch(t -> scalars.contains(t) || (!resident && batches.contains(t)));
            if (!resident) {
              assertThat(fed).as(where).contains("input/feed/images:0", "input/feed/labels:0");
            }
          }
          case EVALUATION_SLICE -> assertThat(fed).as(where).isEqualTo(resident ? List.of()
              : List.of("input/feed/eval_images:0", "input/feed/eval_labels:0"));
          case SERVING -> assertThat(fed).as(where).containsExactly("images:0");
        }
        assertThat(report.transfers()).as(where).filteredOn(t -> t.kind() == Transfer.Kind.FETCH)
            .allMatch(t -> report.part() == PlacementReport.Part.SERVING || t.shape().length == 0);
      }
    }
  }
}
