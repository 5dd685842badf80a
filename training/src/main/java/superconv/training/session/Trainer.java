package superconv.training.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import superconv.datasets.ImageSet;
import superconv.graph.ChannelStats;
import superconv.graph.Checkpoint;
import superconv.graph.DataFormat;
import superconv.graph.DataProtocol;
import superconv.graph.EventWriter;
import superconv.graph.ImageShape;
import superconv.graph.InputMode;
import superconv.graph.ModelSpec;
import superconv.graph.TrainingGraph;
import superconv.graph.TrainingGraphSpec;
import superconv.optimizers.NativeKernels;
import superconv.optimizers.OptimizerSpec;
import superconv.optimizers.RunLength;
import superconv.optimizers.ScheduledStep;
import superconv.optimizers.Schedule;
import superconv.training.listeners.BestWeights;
import superconv.training.listeners.Checkpoints;
import superconv.training.listeners.ConsoleLog;
import superconv.training.listeners.EventLog;
import superconv.training.listeners.MetricsFile;
import superconv.training.listeners.ProgressBar;
import superconv.training.listeners.RateHistoryFile;
import superconv.training.listeners.RunRecordFile;
import superconv.training.listeners.SavedModelOnFinish;
import superconv.training.listeners.TensorBoardScalars;
import superconv.training.loop.MidEpochCheckpoints;
import superconv.training.loop.StepEnd;
import superconv.training.loop.StopRequest;
import superconv.training.loop.TrainingListener;
import superconv.training.loop.TrainingLoop;
import superconv.training.manifest.RunSpec;
import superconv.training.run.EpochMetrics;
import superconv.training.run.ResumePoint;
import superconv.training.run.RunFolder;
import superconv.training.run.RunProgress;
import superconv.training.run.RunRecord;
import superconv.training.run.RunStatus;
import superconv.training.run.SchedulerContext;

/**
 * Sets one run up and hands it to the {@link TrainingLoop}: checks where an interrupted run stands, records the
 * start, builds the graph (model, input pipeline, the optimizer's {@link ScheduledStep}, savers), starts the
 * session, uploads the data once, restores a checkpoint, and gives the loop the listeners that write the run's
 * folder. A run with a checkpoint, at an epoch's end or inside one, resumes from it and ends exactly where an
 * uninterrupted run ends.
 */
public final class Trainer {

  private static final Logger LOG = LogManager.getLogger(Trainer.class);
  /** The folder (in the run folder) with the model's variables at the epoch of best validation accuracy. */
  public static final String BEST = BestWeights.FOLDER;

  /** Called after every training step with the global step just taken; tests inject failures here. */
  @FunctionalInterface
  public interface StepHook {
    void afterStep(long globalStep) throws Exception;
  }

  /**
   * @param progress draw a progress bar per epoch on the console
   * @param threads TensorFlow's intra- and inter-op threads ({@link SessionOptions#threads}); 0 lets TensorFlow
   *     pick (all cores)
   * @param hook called after each step (null for none)
   * @param checkpointEvery also checkpoint inside epochs every this many steps (0: at epochs' ends only); not part
   *     of the run's spec, since it does not change the result
   * @param stop asked from another thread (a signal) to stop the run after its current step, checkpointed there
   */
  public record Options(boolean progress, int threads, StepHook hook, int checkpointEvery, StopRequest stop) {
    public Options {
      if (threads < 0) {
        throw new IllegalArgumentException("threads must be 0 (TensorFlow's choice) or more, not " + threads);
      }
    }

    /** TensorFlow's choice of threads, checkpoints at epochs' ends only, never asked to stop. */
    public Options(boolean progress, StepHook hook) {
      this(progress, 0, hook, 0, new StopRequest());
    }

    /** TensorFlow's choice of threads. */
    public Options(boolean progress, StepHook hook, int checkpointEvery, StopRequest stop) {
      this(progress, 0, hook, checkpointEvery, stop);
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

  public static int iterationsPerEpoch(RunSpec spec, int trainImages) {
    return trainImages / spec.batchSize();
  }

  public Outcome train() throws IOException {
    long started = System.nanoTime();
    Files.createDirectories(folder.dir());
    int perEpoch = iterationsPerEpoch(spec, data.train().size());
    RunLength length = new RunLength(spec.epochs(), perEpoch);
    OptimizerSpec optimizer = spec.optimizerSpec();
    Schedule schedule = spec.scheduleOver(length);
    String device = Devices.choose(spec.device(), Devices.list());
    Map<String, String> checksums = checksums();
    // Checked before anything is written: a folder that cannot be resumed exactly is left as it is.
    Optional<ResumePoint> resume = ResumePoint.of(folder, perEpoch, checksums);

    RunRecordFile record = new RunRecordFile(folder, startRecord(device, checksums, perEpoch, resume));
    folder.writeRecord(record.record());
    LOG.info("run {}: {} on {} ({}, width {}), {} epochs of {} steps, batch {}, device {}, {}{}{}{}", spec.id(),
        spec.network(), spec.dataset(), spec.dataProtocol(), spec.width(), spec.epochs(), perEpoch,
        spec.batchSize(), device, spec.precision(), spec.xla() ? ", XLA" : "",
        options.threads() == 0 ? ""
            : ", " + options.threads() + " TensorFlow thread" + (options.threads() == 1 ? "" : "s"),
        resume.isPresent() ? ", resuming" : "");
    if (optimizer.usesNativeKernels()) {
      LOG.info("optimizer update: {}", NativeKernels.statusOn(device));
    }

    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph).withDevice(Devices.spec(device));
      RunGraph run = RunGraph.build(tf, graphSpec(spec, data, optimizer.needsNextBatch()), optimizer, schedule);
      TrainingGraph model = run.model();
      ScheduledStep step = run.step();
      Checkpoint full = run.full();
      Checkpoint weights = run.weights();

      SessionOptions sessionOptions = SessionOptions.threads(options.threads()).withXla(spec.xla());
      try (Session session = new Session(graph, sessionOptions.config());
          EventWriter events = EventWriter.create(folder.dir())) {
        events.graph(graph);
        session.initialize();
        session.run(model.initializer());
        if (spec.input() == InputMode.RESIDENT) {
          model.uploadData(session, data.train(), data.test());
        }
        if (resume.isPresent()) {
          Checkpoints.restore(folder, session, full);
        }
        TrainingLoop loop = new TrainingLoop(session, model, step,
            new TrainingLoop.Length(spec.epochs(), perEpoch, spec.batchSize(), spec.lossEvery()), data.train(),
            data.test(), listeners(perEpoch, session, model, events, full, weights, record),
            new MidEpochCheckpoints(options.checkpointEvery(), options.stop()));
        loop.run(resume.map(ResumePoint::progress).orElse(RunProgress.NONE));
      }
    } catch (RuntimeException | IOException e) {
      folder.writeRecord(folder.readRecord().orElse(record.record())
          .withStatus(RunStatus.INTERRUPTED, Instant.now().toString(), e.toString()));
      throw e;
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    List<EpochMetrics> rows = folder.readMetrics();
    double last = rows.isEmpty() ? Double.NaN : rows.get(rows.size() - 1).valAccuracy();
    RunRecord end = record.record();
    return new Outcome(end.status(), end.epochsCompleted(), end.bestEpoch() == null ? 0 : end.bestEpoch(),
        end.bestValAccuracy() == null ? Double.NaN : end.bestValAccuracy(), last, end.divergedAtStep(), seconds);
  }

  /**
   * A run's listeners, in the order each event reaches them. At a checkpoint (an epoch's end, a mid-epoch one, an
   * interruption) that order is what keeps a resume exact: the metrics row and the rate history may run ahead of
   * the checkpoint (a resume truncates them to it), never behind; the best weights are saved before the checkpoint
   * that names their epoch best; run.json follows the checkpoint, so it never claims a step the checkpoint lacks.
   * At the run's end the SavedModel is written before run.json says finished.
   */
  private List<TrainingListener> listeners(int perEpoch, Session session, TrainingGraph model, EventWriter events,
      Checkpoint full, Checkpoint weights, RunRecordFile record) {
    List<TrainingListener> listeners = new ArrayList<>();
    if (options.progress()) {
      listeners.add(new ProgressBar(spec.epochs(), perEpoch, spec.batchSize()));
    }
    listeners.add(new MetricsFile(folder));
    listeners.add(new TensorBoardScalars(events));
    listeners.add(new BestWeights(folder, session, weights));
    listeners.add(new RateHistoryFile(folder));
    listeners.add(new Checkpoints(folder, session, full));
    listeners.add(new SavedModelOnFinish(folder, session, model, classNames(data.train())));
    listeners.add(record);
    listeners.add(new EventLog(folder.dir()));
    listeners.add(new ConsoleLog(spec.id(), spec.epochs(), perEpoch, spec.batchSize()));
    if (options.hook() != null) {
      listeners.add(afterEachStep(options.hook()));
    }
    return listeners;
  }

  /** The test hook as a listener: after every step whose loss is finite. */
  private static TrainingListener afterEachStep(StepHook hook) {
    return new TrainingListener() {
      @Override
      public void onStep(StepEnd step) throws IOException {
        if (!step.values().lossFinite()) {
          return;
        }
        try {
          hook.afterStep(step.globalStep());
        } catch (RuntimeException | IOException e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    };
  }

  private Map<String, String> checksums() {
    Map<String, String> checksums = new LinkedHashMap<>();
    checksums.put("train", "sha256:" + data.train().sha256());
    checksums.put("test", "sha256:" + data.test().sha256());
    return checksums;
  }

  /** The record as the run starts: a resumed run keeps its start time and stands where its checkpoint is. */
  private RunRecord startRecord(String device, Map<String, String> checksums, int perEpoch,
      Optional<ResumePoint> resume) throws IOException {
    Optional<RunRecord> previous = resume.isPresent() ? folder.readRecord() : Optional.empty();
    JsonNode specTree = RunFolder.json().valueToTree(spec);
    RunRecord record = new RunRecord(RunStatus.RUNNING, specTree, Provenance.version(), Provenance.gitCommit(),
        TensorFlow.version(), device, checksums, dataDescription(),
        previous.map(RunRecord::started).orElse(Instant.now().toString()),
        null, 0, 0L, null, null, null, null, SchedulerContext.current(), perEpoch);
    return record.withProgress(resume.map(ResumePoint::progress).orElse(RunProgress.NONE));
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

  /** The graph of {@code spec} over {@code data}: the run's, and the range test's from the same initial weights. */
  public static TrainingGraphSpec graphSpec(RunSpec spec, RunData data, boolean nextBatch) {
    ChannelStats stats = spec.dataProtocol() == DataProtocol.STANDARD ? ChannelStats.of(data.train()) : null;
    return graphSpec(spec, ImageShape.of(data.train()), data.train().classes(), stats, data.train().size(),
        data.test().size(), nextBatch);
  }

  /**
   * The graph of {@code spec} over a data set described by its image shape, classes, channel statistics (standard
   * protocol only, else null) and sizes: what the placement audit builds without reading the data.
   */
  public static TrainingGraphSpec graphSpec(RunSpec spec, ImageShape shape, int classes, ChannelStats stats,
      int trainSize, int testSize, boolean nextBatch) {
    ModelSpec model = new ModelSpec(spec.network(), classes, spec.width(), shape, DataFormat.NHWC, spec.seed())
        .withPrecision(spec.precision());
    return new TrainingGraphSpec(model, spec.batchSize(), TrainingGraphSpec.DEFAULT_EVAL_BATCH, spec.dataProtocol(),
        stats, spec.labelSmoothing(), nextBatch, trainSize, testSize, spec.input());
  }
}
