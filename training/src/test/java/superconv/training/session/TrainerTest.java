package superconv.training.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import superconv.datasets.ImageSet;
import superconv.graph.InputMode;
import superconv.graph.Precision;
import superconv.training.manifest.ComponentRules;
import superconv.training.manifest.Manifest;
import superconv.training.manifest.RunSpec;
import superconv.training.run.EpochMetrics;
import superconv.training.run.RateHistory;
import superconv.training.run.RunFolder;
import superconv.training.run.RunRecord;
import superconv.training.run.RunStatus;

/** The session loop end to end on a width-2 ResNet18 and 8x8 synthetic images (seconds per run). */
class TrainerTest {

  /** 96 training and 40 test images of 3 classes whose mean brightness tells the class (learnable). */
  static final ImageSet TRAIN = images("train", 96, 11);
  static final ImageSet TEST = images("test", 40, 12);
  static final int STEPS_PER_EPOCH = 96 / 16;

  @TempDir Path runs;

  static ImageSet images(String name, int count, long seed) {
    Random random = new Random(seed);
    byte[] pixels = new byte[count * 64];
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      labels[i] = i % 3;
      for (int p = 0; p < 64; p++) {
        pixels[i * 64 + p] = (byte) Math.min(255, labels[i] * 80 + random.nextInt(60));
      }
    }
    return new ImageSet(name, 8, 8, 1, pixels, labels, List.of("dark", "grey", "light"));
  }

  static RunSpec spec(String training) throws Exception {
    return Manifest.parse("""
        [[experiment]]
        name = "tiny"
        dataset = "mnist"
        width = 2
        epochs = 3
        batch_size = 16
        device = "cpu"
        loss_every = 2
        """ + training, "test.toml", ComponentRules.standard()).runs().get(0);
  }

  static final String CYCLE = """
      optimizer = { type = "sgd", momentum = 0.9 }
      schedule = { type = "triangular", min = 0.01, max = 0.1, cycle_epochs = 2 }
      """;

  private Trainer.Outcome train(RunSpec spec, Path dir, Trainer.StepHook hook) throws Exception {
    return new Trainer(spec, new RunFolder(dir), new Trainer.RunData(TRAIN, TEST), new Trainer.Options(false, hook))
        .train();
  }

  /** PyTorch CyclicLR (triangular), written out independently of the optimizers module. */
  static double triangular(long j, double min, double max, double cycle) {
    double c = Math.floor(1 + j / cycle);
    double x = 1 + j / cycle - c;
    double s = x <= 0.5 ? x / 0.5 : (x - 1) / (0.5 - 1);
    return min + (max - min) * s;
  }

  @Test
  void hostFedInputTrainsTheSameRunAsResidentData() throws Exception {
    RunSpec resident = spec(CYCLE);
    RunSpec host = spec("input = \"host\"\n" + CYCLE);
    assertThat(resident.input()).isEqualTo(InputMode.RESIDENT);
    assertThat(host.input()).isEqualTo(InputMode.HOST_FED);
    train(resident, runs.resolve("tiny/resident"), null);
    train(host, runs.resolve("tiny/host"), null);
    List<EpochMetrics> a = new RunFolder(runs.resolve("tiny/resident")).readMetrics();
    List<EpochMetrics> b = new RunFolder(runs.resolve("tiny/host")).readMetrics();
    assertThat(b).hasSameSizeAs(a).hasSize(3);
    for (int i = 0; i < a.size(); i++) {
      // Same batches (the graph's permutation), same arithmetic: only float summation order may differ.
      assertThat(b.get(i).trainLoss()).isCloseTo(a.get(i).trainLoss(), org.assertj.core.data.Offset.offset(1e-4));
      assertThat(b.get(i).valLoss()).isCloseTo(a.get(i).valLoss(), org.assertj.core.data.Offset.offset(1e-4));
      assertThat(b.get(i).valAccuracy()).isEqualTo(a.get(i).valAccuracy());
    }
  }

  @Test
  void aRunWritesConsistentOutputs() throws Exception {
    RunSpec spec = spec(CYCLE);
    Path dir = runs.resolve("tiny/tiny");
    Trainer.Outcome outcome = train(spec, dir, null);
    RunFolder folder = new RunFolder(dir);

    assertThat(outcome.status()).isEqualTo(RunStatus.FINISHED);
    List<EpochMetrics> rows = folder.readMetrics();
    assertThat(rows).extracting(EpochMetrics::epoch).containsExactly(1, 2, 3);
    assertThat(rows).extracting(EpochMetrics::step).containsExactly(6L, 12L, 18L);
    assertThat(rows).allSatisfy(r -> {
      assertThat(r.trainLoss()).isFinite().isPositive();
      assertThat(r.valLoss()).isFinite().isPositive();
      assertThat(r.valAccuracy()).isBetween(0.0, 1.0);
      assertThat(r.rateNorm()).isNaN();
    });
    // Accuracies are multiples of 1/40: every test image was evaluated.
    assertThat(rows).allSatisfy(r -> assertThat(r.valAccuracy() * 40).isCloseTo(Math.rint(r.valAccuracy() * 40),
        org.assertj.core.data.Offset.offset(1e-9)));

    RateHistory rates = RateHistory.read(folder.rates());
    assertThat(rates.size()).isEqualTo(3 * STEPS_PER_EPOCH);
    for (int j = 0; j < rates.size(); j++) {
      assertThat(rates.lr(j)).isCloseTo(triangular(j, 0.01, 0.1, 2 * STEPS_PER_EPOCH),
          org.assertj.core.data.Offset.offset(1e-12));
    }
    assertThat(rows.get(2).lrLast()).isEqualTo(rates.lr(17));

    RunRecord record = folder.readRecord().orElseThrow();
    assertThat(record.status()).isEqualTo(RunStatus.FINISHED);
    assertThat(record.epochsCompleted()).isEqualTo(3);
    assertThat(record.steps()).isEqualTo(18);
    assertThat(record.device()).isEqualTo("/device:CPU:0");
    assertThat(record.tensorflowVersion()).startsWith("2.");
    assertThat(record.dataChecksums()).containsEntry("train", "sha256:" + TRAIN.sha256());
    assertThat(record.ended()).isNotNull();
    double best = rows.stream().mapToDouble(EpochMetrics::valAccuracy).max().orElseThrow();
    assertThat(record.bestValAccuracy()).isEqualTo(best);
    assertThat(rows.get(record.bestEpoch() - 1).valAccuracy()).isEqualTo(best);
    assertThat(RunFolder.canonical(record.spec())).isEqualTo(RunFolder.canonical(spec));

    JsonNode state = RunFolder.json().readTree(dir.resolve("checkpoint/state.json").toFile());
    assertThat(state.path("epochs_completed").asInt()).isEqualTo(3);
    assertThat(dir.resolve("checkpoint/ckpt-18.index")).exists();
    assertThat(dir.resolve("best/ckpt-" + record.bestEpoch() * STEPS_PER_EPOCH + ".index")).exists();
    assertThat(dir.resolve("saved_model/saved_model.pb")).exists();
    try (var events = Files.list(dir)) {
      assertThat(events.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents."))).hasSize(1);
    }
    assertThat(Files.readString(folder.log().resolveSibling("metrics.csv"))).startsWith(EpochMetrics.header());
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.endsWith(".tmp") || n.startsWith("checkpoint."));
    }
  }

  @Test
  void aRunInterruptedMidEpochResumesToTheSameResult() throws Exception {
    RunSpec spec = spec(CYCLE);
    Path whole = runs.resolve("whole");
    Path broken = runs.resolve("broken");
    train(spec, whole, null);

    long failAt = STEPS_PER_EPOCH + 3; // in the middle of the second epoch
    assertThatThrownBy(() -> train(spec, broken, step -> {
      if (step == failAt) {
        throw new IllegalStateException("injected failure at step " + step);
      }
    })).hasMessageContaining("injected failure");
    RunFolder folder = new RunFolder(broken);
    assertThat(folder.readRecord().orElseThrow().status()).isEqualTo(RunStatus.INTERRUPTED);
    assertThat(folder.readMetrics()).hasSize(1);

    Trainer.Outcome resumed = train(spec, broken, null);
    assertThat(resumed.status()).isEqualTo(RunStatus.FINISHED);
    List<EpochMetrics> expected = new RunFolder(whole).readMetrics();
    List<EpochMetrics> actual = folder.readMetrics();
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      EpochMetrics e = expected.get(i);
      EpochMetrics a = actual.get(i);
      assertThat(a.epoch()).isEqualTo(e.epoch());
      assertThat(a.trainLoss()).isEqualTo(e.trainLoss());
      assertThat(a.valLoss()).isEqualTo(e.valLoss());
      assertThat(a.valAccuracy()).isEqualTo(e.valAccuracy());
      assertThat(a.lrLast()).isEqualTo(e.lrLast());
      assertThat(a.step()).isEqualTo(e.step());
    }
    assertThat(RateHistory.read(folder.rates()).lr()).containsExactly(RateHistory.read(new RunFolder(whole).rates()).lr());
    assertThat(Files.readAllBytes(broken.resolve("checkpoint/ckpt-18.data-00000-of-00001")))
        .isEqualTo(Files.readAllBytes(whole.resolve("checkpoint/ckpt-18.data-00000-of-00001")));
  }

  @Test
  void aFloat16RunResumesToTheSameResultAndCheckpointsItsLossScale() throws Exception {
    // float16 activations with dynamic loss scaling: the scale and its counter are checkpointed with the weights.
    RunSpec spec = spec("precision = \"float16\"\n" + CYCLE);
    assertThat(spec.precision()).isEqualTo(Precision.FLOAT16);
    Path whole = runs.resolve("fp16-whole");
    Path broken = runs.resolve("fp16-broken");
    Trainer.Outcome outcome = train(spec, whole, null);
    assertThat(outcome.status()).isEqualTo(RunStatus.FINISHED);
    long failAt = STEPS_PER_EPOCH + 3;
    assertThatThrownBy(() -> train(spec, broken, step -> {
      if (step == failAt) {
        throw new IllegalStateException("injected failure at step " + step);
      }
    })).hasMessageContaining("injected failure");
    train(spec, broken, null);
    List<EpochMetrics> expected = new RunFolder(whole).readMetrics();
    List<EpochMetrics> actual = new RunFolder(broken).readMetrics();
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(actual.get(i).trainLoss()).isEqualTo(expected.get(i).trainLoss());
      assertThat(actual.get(i).valAccuracy()).isEqualTo(expected.get(i).valAccuracy());
      assertThat(actual.get(i).trainLoss()).isFinite();
    }
    try (var files = Files.list(whole.resolve("checkpoint"))) {
      Path index = files.filter(f -> f.getFileName().toString().endsWith(".index")).findFirst().orElseThrow();
      String names = new String(Files.readAllBytes(index), java.nio.charset.StandardCharsets.ISO_8859_1);
      // The index stores sorted keys with shared prefixes elided: "loss_scale/good_steps", then "scale".
      assertThat(names).contains("loss_scale/good_steps");
      int after = names.indexOf("loss_scale/good_steps") + "loss_scale/good_steps".length();
      assertThat(names.substring(after, after + 40)).contains("scale");
    }
  }

  @Test
  void anAbsurdRateDivergesAndIsRecordedAtItsStep() throws Exception {
    String absurd = """
        optimizer = { type = "sgd" }
        schedule = { type = "constant", lr = 1e12 }
        """;
    // loss_every = 1 fetches every loss: the first non-finite one is seen where it happens.
    RunSpec everyStep = spec(absurd + "[experiment.grid]\nloss_every = [1]\n");
    assertThat(everyStep.lossEvery()).isEqualTo(1);
    train(everyStep, runs.resolve("every"), null);
    long first = new RunFolder(runs.resolve("every")).readRecord().orElseThrow().divergedAtStep();

    // loss_every = 5 fetches the loss only at steps 4 and 5 of each 6-step epoch.
    RunSpec spec = spec(absurd + "[experiment.grid]\nloss_every = [5]\n");
    Path dir = runs.resolve("diverged");
    Trainer.Outcome outcome = train(spec, dir, null);
    assertThat(outcome.status()).isEqualTo(RunStatus.DIVERGED);
    RunRecord record = new RunFolder(dir).readRecord().orElseThrow();
    assertThat(record.status()).isEqualTo(RunStatus.DIVERGED);
    // The finiteness flag comes back every step, so the step is the same whatever loss_every is.
    assertThat(first % STEPS_PER_EPOCH).as("a step where loss_every = 5 fetches no loss").isLessThan(4);
    assertThat(record.divergedAtStep()).isEqualTo(first);
    assertThat(record.message()).contains("at step " + first);
    assertThat(RateHistory.read(new RunFolder(dir).rates()).size()).isEqualTo((int) first + 1);
  }

  @Test
  void switchingPhasesRecordCalculatedRatesEveryIteration() throws Exception {
    RunSpec spec = spec("""
        phases = [
          { epochs = 1, optimizer = { type = "sgd" }, schedule = { type = "constant", lr = 0.05 } },
          { optimizer = { type = "simple-adasecant", threshold = 10.0 } },
        ]
        """);
    Path dir = runs.resolve("switch");
    assertThat(train(spec, dir, null).status()).isIn(RunStatus.FINISHED, RunStatus.DIVERGED);
    RateHistory rates = RateHistory.read(new RunFolder(dir).rates());
    for (int j = 0; j < STEPS_PER_EPOCH; j++) {
      assertThat(rates.lr(j)).isEqualTo(0.05);
      assertThat(rates.rateNorm(j)).isNaN();
    }
    for (int j = STEPS_PER_EPOCH; j < rates.size(); j++) {
      assertThat(rates.lr(j)).isNaN();
      assertThat(rates.rateNorm(j)).isFinite().isNotNegative();
    }
    List<EpochMetrics> rows = new RunFolder(dir).readMetrics();
    assertThat(rows.get(0).lrLast()).isEqualTo(0.05);
    if (rows.size() > 1) {
      assertThat(rows.get(1).lrLast()).isNaN();
      assertThat(rows.get(1).rateNorm()).isFinite();
    }
  }

  /** Accuracy of a SavedModel on the test images, through the serving signature. */
  static double servedAccuracy(Path model) {
    float[] pixels = new float[TEST.pixels().length];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = TEST.pixels()[i] & 0xFF;
    }
    try (org.tensorflow.SavedModelBundle bundle = org.tensorflow.SavedModelBundle.load(model.toString(), "serve");
        org.tensorflow.types.TFloat32 images = org.tensorflow.types.TFloat32.tensorOf(
            org.tensorflow.ndarray.Shape.of(TEST.size(), 8, 8, 1),
            org.tensorflow.ndarray.buffer.DataBuffers.of(pixels, true, false));
        org.tensorflow.Result result = bundle.function("serving_default").call(java.util.Map.of("images", images))) {
      org.tensorflow.types.TInt64 classes = (org.tensorflow.types.TInt64) result.get("classes").orElseThrow();
      int correct = 0;
      for (int i = 0; i < TEST.size(); i++) {
        correct += classes.getLong(i) == TEST.labels()[i] ? 1 : 0;
      }
      return (double) correct / TEST.size();
    }
  }

  @Test
  void theSavedModelsServeTheLastAndTheBestWeights() throws Exception {
    RunSpec spec = spec(CYCLE + "data_protocol = \"standard\"\n");
    Path dir = runs.resolve("export");
    train(spec, dir, null);
    RunFolder folder = new RunFolder(dir);
    List<EpochMetrics> rows = folder.readMetrics();
    RunRecord record = folder.readRecord().orElseThrow();

    // The run's own SavedModel holds the final weights.
    assertThat(servedAccuracy(folder.savedModel())).isEqualTo(rows.get(2).valAccuracy());
    Exporter.Exported last = Exporter.export(folder, runs.resolve("last"), false);
    assertThat(last.epoch()).isEqualTo(3);
    assertThat(servedAccuracy(runs.resolve("last"))).isEqualTo(rows.get(2).valAccuracy());
    Exporter.Exported best = Exporter.export(folder, runs.resolve("best"), true);
    assertThat(best.epoch()).isEqualTo(record.bestEpoch());
    assertThat(servedAccuracy(runs.resolve("best"))).isEqualTo(record.bestValAccuracy());
    assertThatThrownBy(() -> Exporter.export(new RunFolder(runs.resolve("nothing")), runs.resolve("x"), false))
        .hasMessageContaining("is not a run folder");
  }

  @Test
  void aOneCycleFeedsItsMomentumEveryStep() throws Exception {
    RunSpec spec = spec("""
        optimizer = { type = "sgd", momentum = 0.9, weight_decay = 1e-4 }
        schedule = { type = "one-cycle", min = 0.01, max = 0.1, cycle_fraction = 0.5, final_div = 10.0, momentum_max = 0.95, momentum_min = 0.85 }
        """);
    Path dir = runs.resolve("one-cycle");
    assertThat(train(spec, dir, null).status()).isEqualTo(RunStatus.FINISHED);
    RateHistory rates = RateHistory.read(new RunFolder(dir).rates());
    // One triangle over the first 9 of 18 iterations (peak 0.1 at 4.5), then down to 0.01 / 10.
    assertThat(rates.lr(0)).isCloseTo(0.01, org.assertj.core.data.Offset.offset(1e-12));
    double peak = java.util.Arrays.stream(rates.lr()).max().orElseThrow();
    assertThat(peak).isGreaterThan(0.08).isLessThanOrEqualTo(0.1);
    assertThat(rates.lr(17)).isLessThan(0.01);
  }
}
