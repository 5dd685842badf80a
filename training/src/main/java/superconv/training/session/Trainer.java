package superconv.training.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import superconv.datasets.ImageSet;
import superconv.graph.ChannelStats;
import superconv.graph.Checkpoint;
import superconv.graph.DataFormat;
import superconv.graph.DataProtocol;
import superconv.graph.EventWriter;
import superconv.graph.ImageShape;
import superconv.graph.InputMode;
import superconv.graph.ModelSpec;
import superconv.graph.Network;
import superconv.graph.Precision;
import superconv.graph.SavedModelExport;
import superconv.graph.TrainingGraph;
import superconv.graph.TrainingGraphSpec;
import superconv.optimizers.LossScale;
import superconv.optimizers.NativeKernels;
import superconv.optimizers.OptimizerSpec;
import superconv.optimizers.Optimizers;
import superconv.optimizers.RunLength;
import superconv.optimizers.Schedule;
import superconv.optimizers.TrainStep;
import superconv.training.manifest.Phase;
import superconv.training.manifest.RunSpec;
import superconv.training.run.AtomicFiles;
import superconv.training.run.EpochMetrics;
import superconv.training.run.RateHistory;
import superconv.training.run.RunFolder;
import superconv.training.run.RunRecord;
import superconv.training.run.RunStatus;

/**
 * Trains one run: builds the graph and the optimizer's train step, uploads the data once, then per step feeds
 * only scalars (epoch, step, rate, momentum), fetches the loss every {@code loss_every} steps, evaluates every
 * epoch, appends metrics, writes the rate history and an atomic checkpoint, and at the end the SavedModel. A run
 * with a checkpoint resumes from it and ends exactly where an uninterrupted run ends.
 */
public final class Trainer {

  private static final Logger LOG = LogManager.getLogger(Trainer.class);
  /** The folder (in the run folder) with the model's variables at the epoch of best validation accuracy. */
  public static final String BEST = "best";

  /** Called after every training step with the global step just taken; tests inject failures here. */
  @FunctionalInterface
  public interface StepHook {
    void afterStep(long globalStep) throws Exception;
  }

  /**
   * @param progress draw a progress bar per epoch on the console
   * @param hook called after each step (null for none)
   */
  public record Options(boolean progress, StepHook hook) {
    public static Options defaults() {
      return new Options(true, null);
    }
  }

  /** How a run ended. */
  public record Outcome(RunStatus status, int epochs, int bestEpoch, double bestAccuracy, double lastAccuracy,
      Long divergedAtStep, double seconds) {}

  /** The data a run trains and evaluates on, after its limits. */
  public record RunData(ImageSet train, ImageSet test) {}

  private final RunSpec spec;
  private final RunFolder folder;
  private final RunData data;
  private final Options options;

  public Trainer(RunSpec spec, RunFolder folder, RunData data, Options options) {
    this.spec = spec;
    this.folder = folder;
    this.data = data;
    this.options = options;
  }

  /** The run's subsets: seeded stratified samples when limits are set (the same images on every resume). */
  public static RunData subsets(RunSpec spec, ImageSet train, ImageSet test) {
    return new RunData(spec.trainLimit() == 0 ? train : train.limit(spec.trainLimit(), spec.seed()),
        spec.testLimit() == 0 ? test : test.limit(spec.testLimit(), spec.seed()));
  }

  /** The optimizer table the optimizers module builds: the phase's own, or a switching table for several. */
  public static Map<String, Object> optimizerTable(RunSpec spec) {
    if (spec.phases().size() == 1) {
      return spec.optimizer().table();
    }
    List<Map<String, Object>> phases = new ArrayList<>();
    for (Phase phase : spec.phases()) {
      Map<String, Object> table = new LinkedHashMap<>();
      table.put("epochs", (long) phase.epochs());
      table.put("optimizer", phase.optimizer().table());
      if (phase.schedule() != null) {
        table.put("schedule", phase.schedule().table());
      }
      phases.add(table);
    }
    Map<String, Object> switching = new LinkedHashMap<>();
    switching.put("type", "switching");
    switching.put("phases", phases);
    return switching;
  }

  /** The schedule table of a single-phase run (null for optimizers that calculate their rates, or switching). */
  public static Map<String, Object> scheduleTable(RunSpec spec) {
    return spec.phases().size() == 1 && spec.schedule() != null ? spec.schedule().table() : null;
  }

  public static int iterationsPerEpoch(RunSpec spec, int trainImages) {
    return trainImages / spec.batchSize();
  }

  public Outcome train() throws IOException {
    long started = System.nanoTime();
    Files.createDirectories(folder.dir());
    int perEpoch = iterationsPerEpoch(spec, data.train().size());
    RunLength length = new RunLength(spec.epochs(), perEpoch);
    OptimizerSpec optimizer = Optimizers.fromTable(optimizerTable(spec));
    Schedule schedule = Optimizers.schedule(optimizer, scheduleTable(spec), length);
    String device = Devices.choose(spec.device(), Devices.list());

    Optional<Path> checkpoint = folder.latestCheckpoint();
    RunRecord record = startRecord(device, checkpoint.isPresent());
    folder.writeRecord(record);
    LOG.info("run {}: {} on {} ({}, width {}), {} epochs of {} steps, batch {}, device {}, {}{}{}", spec.id(),
        spec.network(), spec.dataset(), spec.dataProtocol(), spec.width(), spec.epochs(), perEpoch,
        spec.batchSize(), device, spec.precision(), spec.xla() ? ", XLA" : "", checkpoint.isPresent() ? ", resuming" : "");
    if (optimizer.usesNativeKernels()) {
      LOG.info("optimizer update: {}", NativeKernels.statusOn(device));
    }

    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph).withDevice(deviceSpec(device));
      TrainingGraph model = TrainingGraph.build(tf, graphSpec(optimizer.needsNextBatch()));
      Placeholder<TFloat32> rate = tf.withName("learning_rate").placeholder(TFloat32.class,
          Placeholder.shape(Shape.scalar()));
      Placeholder<TFloat32> momentum = schedule.hasMomentum()
          ? tf.withName("momentum").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()))
          : null;
      // float16 activations need dynamic loss scaling; bfloat16 has float32's exponent range.
      LossScale lossScale = Precision.parse(spec.precision()) == Precision.FLOAT16 ? LossScale.dynamic() : null;
      TrainStep step = optimizer.build(tf, model.trainableVariables(), model.loss(), model.nextLoss().orElse(null),
          rate, momentum, lossScale);
      // Fetched every step (one bool), so divergence is recorded at the exact step whatever loss_every is.
      Operand<TBool> lossFinite = tf.withName("loss_is_finite").math.isFinite(model.loss());
      List<Variable<?>> state = new ArrayList<>(model.modelVariables());
      state.addAll(step.stateVariables());
      Checkpoint full = Checkpoint.build(tf.withSubScope("resume"), state);
      Checkpoint weights = Checkpoint.build(tf.withSubScope("best"), model.modelVariables());

      try (Session session = new Session(graph, new SessionOptions(0, 0, spec.xla()).config());
          EventWriter events = EventWriter.create(folder.dir())) {
        events.graph(graph);
        session.initialize();
        session.run(model.initializer());
        if (inputMode() == InputMode.RESIDENT) {
          model.uploadData(session, data.train(), data.test());
        }
        Loop loop =
            new Loop(session, model, step, schedule, rate, momentum, lossFinite, perEpoch, full, weights, events);
        if (checkpoint.isPresent()) {
          loop.resume(checkpoint.get());
        }
        record = loop.run(record);
        if (record.status() == RunStatus.FINISHED) {
          SavedModelExport.export(session, model, classNames(data.train()), folder.savedModel());
          record = record.withStatus(RunStatus.FINISHED, Instant.now().toString(), null);
          folder.writeRecord(record);
        }
      }
    } catch (RuntimeException | IOException e) {
      folder.writeRecord(folder.readRecord().orElse(record)
          .withStatus(RunStatus.INTERRUPTED, Instant.now().toString(), e.toString()));
      throw e;
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    List<EpochMetrics> rows = folder.readMetrics();
    double last = rows.isEmpty() ? Double.NaN : rows.get(rows.size() - 1).valAccuracy();
    return new Outcome(record.status(), record.epochsCompleted(),
        record.bestEpoch() == null ? 0 : record.bestEpoch(),
        record.bestValAccuracy() == null ? Double.NaN : record.bestValAccuracy(), last, record.divergedAtStep(),
        seconds);
  }

  private RunRecord startRecord(String device, boolean resuming) throws IOException {
    Optional<RunRecord> previous = resuming ? folder.readRecord() : Optional.empty();
    Map<String, String> checksums = new LinkedHashMap<>();
    checksums.put("train", "sha256:" + data.train().sha256());
    checksums.put("test", "sha256:" + data.test().sha256());
    JsonNode specTree = RunFolder.json().valueToTree(spec);
    return new RunRecord(RunStatus.RUNNING, specTree, Provenance.version(), Provenance.gitCommit(),
        TensorFlow.version(), device, checksums, dataDescription(),
        previous.map(RunRecord::started).orElse(Instant.now().toString()),
        null, previous.map(RunRecord::epochsCompleted).orElse(0), previous.map(RunRecord::steps).orElse(0L),
        previous.map(RunRecord::bestEpoch).orElse(null), previous.map(RunRecord::bestValAccuracy).orElse(null),
        null, null);
  }

  /** The set's class names, or the labels as text where the set has none. */
  static List<String> classNames(ImageSet set) {
    if (set.classNames().size() == set.classes()) {
      return set.classNames();
    }
    List<String> names = new ArrayList<>();
    for (int c = 0; c < set.classes(); c++) {
      names.add(Integer.toString(c));
    }
    return names;
  }

  /** What export needs to rebuild the model without the data: shape, class names, normalization. */
  private JsonNode dataDescription() {
    ObjectNode node = RunFolder.json().createObjectNode();
    ImageSet train = data.train();
    node.put("train_images", train.size());
    node.put("test_images", data.test().size());
    node.put("height", train.height());
    node.put("width", train.width());
    node.put("channels", train.channels());
    var names = node.putArray("class_names");
    classNames(train).forEach(names::add);
    ChannelStats stats = ChannelStats.of(train);
    var mean = node.putArray("channel_mean");
    var std = node.putArray("channel_std");
    for (int c = 0; c < stats.channels(); c++) {
      mean.add(stats.mean()[c]);
      std.add(stats.std()[c]);
    }
    return node;
  }

  private TrainingGraphSpec graphSpec(boolean nextBatch) {
    ImageShape shape = ImageShape.of(data.train());
    ModelSpec model = new ModelSpec(Network.parse(spec.network()), data.train().classes(), spec.width(), shape,
        DataFormat.NHWC, spec.seed()).withPrecision(Precision.parse(spec.precision()));
    DataProtocol protocol = DataProtocol.parse(spec.dataProtocol());
    ChannelStats stats = protocol == DataProtocol.STANDARD ? ChannelStats.of(data.train()) : null;
    return new TrainingGraphSpec(model, spec.batchSize(), TrainingGraphSpec.DEFAULT_EVAL_BATCH, protocol, stats,
        spec.labelSmoothing(), nextBatch, data.train().size(), data.test().size(), inputMode());
  }

  private InputMode inputMode() {
    return spec.input().equals("host") ? InputMode.HOST_FED : InputMode.RESIDENT;
  }

  static DeviceSpec deviceSpec(String device) {
    String[] parts = device.substring("/device:".length()).split(":");
    return DeviceSpec.newBuilder()
        .deviceType(parts[0].equals("GPU") ? DeviceSpec.DeviceType.GPU : DeviceSpec.DeviceType.CPU)
        .deviceIndex(Integer.parseInt(parts[1]))
        .build();
  }

  /** The epoch loop of one session. */
  private final class Loop {
    private final Session session;
    private final TrainingGraph model;
    private final TrainStep step;
    private final Schedule schedule;
    private final Placeholder<TFloat32> rate;
    private final Placeholder<TFloat32> momentum;
    private final int perEpoch;
    private final Checkpoint full;
    private final Checkpoint weights;
    private final RateHistory rates;
    private final EventWriter events;
    /** True while the step's loss is finite. */
    private final Operand<TBool> lossFinite;
    private int firstEpoch;
    /** The epoch's training permutation in host-fed mode; null when the data is resident. */
    private int[] permutation;
    private int bestEpoch;
    private double bestAccuracy = Double.NEGATIVE_INFINITY;

    Loop(Session session, TrainingGraph model, TrainStep step, Schedule schedule, Placeholder<TFloat32> rate,
        Placeholder<TFloat32> momentum, Operand<TBool> lossFinite, int perEpoch, Checkpoint full,
        Checkpoint weights, EventWriter events) {
      this.session = session;
      this.model = model;
      this.step = step;
      this.schedule = schedule;
      this.rate = rate;
      this.momentum = momentum;
      this.lossFinite = lossFinite;
      this.perEpoch = perEpoch;
      this.full = full;
      this.weights = weights;
      this.rates = new RateHistory();
      this.events = events;
    }

    /** Restores weights, optimizer state and counters; forgets what was recorded after the checkpoint. */
    void resume(Path checkpoint) throws IOException {
      JsonNode state = RunFolder.json().readTree(checkpoint.resolve(RunFolder.CHECKPOINT_STATE).toFile());
      full.restore(session, checkpoint);
      firstEpoch = state.path("epochs_completed").asInt();
      bestEpoch = state.path("best_epoch").asInt();
      bestAccuracy = state.path("best_val_accuracy").asDouble(Double.NEGATIVE_INFINITY);
      folder.keepMetricsThrough(firstEpoch);
      RateHistory saved = RateHistory.read(folder.rates());
      saved.truncate(firstEpoch * perEpoch);
      for (int i = 0; i < saved.size(); i++) {
        rates.add(saved.lr(i), saved.rateNorm(i));
      }
      if (rates.size() != (long) firstEpoch * perEpoch) {
        throw new IOException("the rate history of " + folder.dir() + " has " + rates.size() + " iterations, the "
            + "checkpoint is at " + (long) firstEpoch * perEpoch);
      }
      LOG.info("resumed {} after epoch {} (step {})", spec.id(), firstEpoch, (long) firstEpoch * perEpoch);
    }

    RunRecord run(RunRecord record) throws IOException {
      for (int epoch = firstEpoch; epoch < spec.epochs(); epoch++) {
        long epochStart = System.nanoTime();
        Phase phase = spec.phaseAt(epoch);
        TrainStep.PhaseOps built = step.phaseForEpoch(epoch);
        boolean fed = phase.schedule() != null;
        double lossSum = 0;
        int lossCount = 0;
        double normSum = 0;
        int normCount = 0;
        double lastRate = Double.NaN;
        String task = String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, spec.epochs());
        // Host-fed input gathers each batch in Java by the graph's own permutation of the epoch.
        permutation = inputMode() == InputMode.HOST_FED ? model.permutation(session, epoch) : null;
        try (Progress progress = Progress.start(options.progress(), task, perEpoch, spec.batchSize())) {
          for (int s = 0; s < perEpoch; s++) {
            long global = (long) epoch * perEpoch + s;
            double lr = schedule.rate(global);
            // Calculated rates are recorded every iteration (thesis Figs. 4.18b, 4.22), so their phases fetch
            // every step; otherwise the loss comes back every loss_every steps and at the end of the epoch.
            boolean fetch = built.rateNorm().isPresent() || (s + 1) % spec.lossEvery() == 0 || s == perEpoch - 1;
            StepResult result = step(epoch, s, global, lr, built, fetch);
            lastRate = fed ? lr : Double.NaN;
            double norm = result.rateNorm();
            rates.add(lastRate, norm);
            if (!result.lossFinite()) {
              return diverged(record, global, fetch ? Double.toString(result.loss()) : "non-finite", epoch);
            }
            if (fetch) {
              double loss = result.loss();
              lossSum += loss;
              lossCount++;
              if (!Double.isNaN(norm)) {
                normSum += norm;
                normCount++;
              }
              progress.update(s + 1, lossSum / lossCount, lastRate);
            }
            if (options.hook() != null) {
              try {
                options.hook().afterStep(global);
              } catch (RuntimeException | IOException e) {
                throw e;
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            }
          }
        }
        TrainingGraph.Evaluation evaluation =
            permutation == null ? model.evaluate(session) : model.evaluate(session, data.test());
        double seconds = (System.nanoTime() - epochStart) / 1e9;
        EpochMetrics row = new EpochMetrics(epoch + 1, lossSum / lossCount, evaluation.loss(), evaluation.accuracy(),
            lastRate, seconds, (long) (epoch + 1) * perEpoch, normCount == 0 ? Double.NaN : normSum / normCount);
        record = endEpoch(record, row);
      }
      if (spec.epochs() > 0) {
        LOG.info("run {} finished: best val accuracy {} at epoch {}", spec.id(),
            String.format(Locale.ROOT, "%.2f%%", bestAccuracy * 100), bestEpoch);
      }
      // FINISHED is written by the caller once the SavedModel is in place.
      return record.withStatus(RunStatus.FINISHED, null, null);
    }

    /** What one step fetched: the loss and calculated-rate norm are NaN where not fetched. */
    private record StepResult(boolean lossFinite, double loss, double rateNorm) {}

    /** One training step; fetches the loss's finiteness always, the loss (and rate norm) when {@code fetch}. */
    private StepResult step(int epoch, int s, long global, double lr, TrainStep.PhaseOps built, boolean fetch) {
      try (TrainingGraph.StepFeed scalars = permutation == null ? model.feed(epoch, s) : null;
          TrainingGraph.HostFeed batch = permutation == null ? null : model.hostFeed(data.train(), permutation, epoch, s);
          TFloat32 rateTensor = TFloat32.scalarOf((float) lr);
          TFloat32 momentumTensor = momentum == null ? null
              : TFloat32.scalarOf((float) schedule.momentum(global).orElseThrow())) {
        Session.Runner runner =
            (batch == null ? scalars.apply(session.runner()) : batch.apply(session.runner())).feed(rate, rateTensor);
        if (momentum != null) {
          runner.feed(momentum, momentumTensor);
        }
        runner.addTarget(built.trainOp());
        for (Op update : model.batchNormUpdates()) {
          runner.addTarget(update);
        }
        runner.fetch(lossFinite);
        Optional<Operand<TFloat64>> norm = fetch ? built.rateNorm() : Optional.empty();
        if (fetch) {
          runner.fetch(model.loss());
          norm.ifPresent(runner::fetch);
        }
        try (Result result = runner.run()) {
          boolean finite = ((TBool) result.get(0)).getBoolean();
          double loss = fetch ? ((TFloat32) result.get(1)).getFloat() : Double.NaN;
          return new StepResult(finite, loss, norm.isPresent() ? ((TFloat64) result.get(2)).getDouble() : Double.NaN);
        }
      }
    }

    private RunRecord endEpoch(RunRecord record, EpochMetrics row) throws IOException {
      // Order matters for resume: metrics and rates may run ahead of the checkpoint (a resume truncates them to
      // it), never behind.
      folder.appendMetrics(row);
      // TensorBoard's step axis is the epoch, so runs with different batch sizes line up as in the thesis.
      events.scalar("train/loss", row.epoch(), row.trainLoss());
      events.scalar("val/loss", row.epoch(), row.valLoss());
      events.scalar("val/accuracy", row.epoch(), row.valAccuracy());
      if (!Double.isNaN(row.lrLast())) {
        events.scalar("lr", row.epoch(), row.lrLast());
      }
      if (!Double.isNaN(row.rateNorm())) {
        events.scalar("rate_norm", row.epoch(), row.rateNorm());
      }
      if (row.valAccuracy() > bestAccuracy) {
        bestAccuracy = row.valAccuracy();
        bestEpoch = row.epoch();
        weights.save(session, folder.dir().resolve(BEST), row.step());
      }
      rates.write(folder.rates());
      Path next = folder.startCheckpoint();
      full.save(session, next, row.step());
      ObjectNode state = RunFolder.json().createObjectNode();
      state.put("epochs_completed", row.epoch());
      state.put("steps", row.step());
      state.put("best_epoch", bestEpoch);
      state.put("best_val_accuracy", bestAccuracy);
      AtomicFiles.writeString(next.resolve(RunFolder.CHECKPOINT_STATE), state.toPrettyString());
      folder.commitCheckpoint();
      record = record.withProgress(row.epoch(), row.step(), bestEpoch, bestAccuracy);
      folder.writeRecord(record);
      LOG.info(String.format(Locale.ROOT,
          "%s epoch %d/%d: train loss %.4f, val loss %.4f, val acc %.2f%% (best %.2f%% @%d), lr %s, %.1fs, %.0f img/s",
          spec.id(), row.epoch(), spec.epochs(), row.trainLoss(), row.valLoss(), row.valAccuracy() * 100,
          bestAccuracy * 100, bestEpoch, Double.isNaN(row.lrLast()) ? "calculated" : String.format(Locale.ROOT,
              "%.4g", row.lrLast()), row.seconds(), perEpoch * (double) spec.batchSize() / row.seconds()));
      return record;
    }

    private RunRecord diverged(RunRecord record, long global, String loss, int epoch) throws IOException {
      LOG.warn("run {} diverged: loss {} at step {} (epoch {}); recorded, moving on", spec.id(), loss, global,
          epoch + 1);
      rates.write(folder.rates());
      RunRecord done = record.withDivergence(global).withStatus(RunStatus.DIVERGED, Instant.now().toString(),
          "loss became " + loss + " at step " + global);
      folder.writeRecord(done);
      return done;
    }
  }
}
