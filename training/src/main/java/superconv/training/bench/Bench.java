package superconv.training.bench;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import superconv.datasets.ImageSet;
import superconv.graph.ChannelStats;
import superconv.graph.DataFormat;
import superconv.graph.ImageShape;
import superconv.graph.ModelSpec;
import superconv.graph.Precision;
import superconv.graph.Network;
import superconv.graph.ResNet;
import superconv.graph.TrainingGraph;
import superconv.graph.TrainingGraphSpec;
import superconv.optimizers.NativeKernels;
import superconv.optimizers.OptimizerSpec;
import superconv.optimizers.Optimizers;
import superconv.optimizers.RunLength;
import superconv.optimizers.Schedule;
import superconv.optimizers.ScheduledStep;
import superconv.training.session.Devices;
import superconv.training.session.RunGraph;
import superconv.training.session.SessionOptions;

/**
 * Times the training step a run takes: the same {@link TrainingGraph} (resident data, in-graph pipeline), the same
 * optimizer step and the same per-step feeding ({@link ScheduledStep}: epoch, step, rate; train op plus batch-norm updates,
 * loss fetched), on seeded random images of CIFAR shape. The synthetic variant leaves the pipeline out: the network
 * trains on one fixed batch held in a variable, which shows what the pipeline costs.
 */
public final class Bench {

  private static final Logger LOG = LogManager.getLogger(Bench.class);
  /** CIFAR's shape and split sizes: the data a benchmarked step gathers from. */
  static final ImageShape CIFAR = new ImageShape(32, 32, 3);
  public static final int CIFAR_TRAIN = 50_000;
  static final int CIFAR_TEST = 10_000;
  /** The learning rate fed to optimizers that use one (its value does not change the step's cost). */
  static final double RATE = 0.01;
  /** Memory check: resident memory is read after this many steps and after ten times as many. */
  public static final int MEMORY_FIRST = 200;

  /**
   * What to time.
   *
   * @param optimizer the optimizer as a table (as in a manifest)
   * @param device {@code cpu}, {@code gpu} or {@code gpu:N}
   * @param synthetic leave the input pipeline out (a fixed resident batch)
   * @param memoryCheck also read resident memory after {@link #MEMORY_FIRST} and 10x that many steps
   * @param trainImages size of the resident training set (CIFAR's 50,000 unless a test asks for fewer)
   */
  public record Spec(Network network, int width, int batch, int steps, int warmup, SessionOptions session,
      Map<String, Object> optimizer, String device, boolean synthetic, DataFormat dataFormat, Precision precision,
      boolean memoryCheck, boolean profile, int trainImages) {
    public Spec {
      Objects.requireNonNull(network, "network");
      Objects.requireNonNull(session, "session");
      Objects.requireNonNull(optimizer, "optimizer");
      Objects.requireNonNull(dataFormat, "dataFormat");
      Objects.requireNonNull(precision, "precision");
      check(width >= 1, "--width must be >= 1, got " + width);
      check(batch >= 2, "--batch must be >= 2 (batch norm needs a variance), got " + batch);
      check(steps >= 1, "--steps must be >= 1, got " + steps);
      check(warmup >= 0, "--warmup must be >= 0, got " + warmup);
      check(trainImages >= batch, "the training set (" + trainImages + " images) is smaller than a batch (" + batch
          + ")");
    }

    private static void check(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }

  /**
   * What was measured. Times in milliseconds; memory in MiB from {@code /proc/self/status} (-1 where it cannot be read).
   *
   * @param pipelineMs median time of the input pipeline alone (batch gather, augmentation, normalization), 0 when
   *     synthetic
   * @param pipelineShare {@code pipelineMs / msPerStepMedian}
   * @param graphBuildMs network, pipeline, loss and optimizer ops added to the graph
   * @param sessionStartMs session created, variables initialized, data uploaded
   * @param firstStepMs the first step (grappler rewrites and kernel setup happen here)
   * @param rssAfterFirstMiB resident memory after {@link #MEMORY_FIRST} steps (memory check only, else -1)
   * @param rssAfterLastMiB resident memory after 10x that many steps (memory check only, else -1)
   */
  public record Measurement(String network, int width, int batch, String device, int threads, int steps,
      String optimizer, boolean synthetic, double msPerStepMedian, double msPerStepMin, double imagesPerS,
      double pipelineMs, double pipelineShare, double graphBuildMs, double sessionStartMs, double firstStepMs,
      double peakRssMiB, double rssAfterFirstMiB, double rssAfterLastMiB, String tensorflow, List<OpTime> profile, String precision) {

    /** Growth of resident memory from the first to the second reading, as a fraction (NaN without a check). */
    public double rssGrowth() {
      return rssAfterFirstMiB > 0 ? rssAfterLastMiB / rssAfterFirstMiB - 1 : Double.NaN;
    }
  }

  /** Time spent in one kind of op during a traced step (summed over its nodes, which may run side by side). */
  public record OpTime(String op, int nodes, double ms) {}

  private Bench() {}

  public static Measurement run(Spec spec) {
    OptimizerSpec optimizer = Optimizers.fromTable(spec.optimizer());
    String device = deviceName(spec.device());
    ModelSpec model =
        new ModelSpec(spec.network(), 10, spec.width(), CIFAR, spec.dataFormat(), 1L).withPrecision(spec.precision());
    // The synthetic step has no data set: its one batch is made in the graph.
    ImageSet train = spec.synthetic() ? null : randomImages("bench-train", spec.trainImages(), 1);
    ImageSet test = spec.synthetic() ? null : randomImages("bench-test", Math.min(CIFAR_TEST, spec.trainImages()), 2);
    TrainingGraphSpec graphSpec = spec.synthetic() ? null : TrainingGraphSpec.of(model, train, test, spec.batch())
        .withStandardProtocol(ChannelStats.of(train))
        .withNextBatch(optimizer.needsNextBatch());
    RunLength length = new RunLength(1_000_000, spec.trainImages() / spec.batch());
    Schedule schedule = Optimizers.schedule(optimizer, optimizer.usesRate() && optimizer.schedule(length).isEmpty()
        ? Map.of("type", "constant", "lr", RATE) : null, length);

    long t0 = System.nanoTime();
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph).withDevice(Devices.spec(device));
      Step step = spec.synthetic() ? Step.synthetic(tf, model, spec.batch(), optimizer, schedule)
          : Step.pipeline(tf, graphSpec, optimizer, schedule);
      long t1 = System.nanoTime();
      try (Session session = new Session(graph, spec.session().config())) {
        session.initialize();
        session.run(step.initializer);
        if (step.model != null) {
          step.model.uploadData(session, train, test);
        }
        long t2 = System.nanoTime();
        step.run(session, 0);
        long t3 = System.nanoTime();
        LOG.info("bench: graph built in {} ms, session started in {} ms, first step {} ms", ms(t1 - t0),
            ms(t2 - t1), ms(t3 - t2));
        if (optimizer.usesNativeKernels()) {
          LOG.info("optimizer update: {}", NativeKernels.statusOn(device));
        }
        for (int i = 1; i < spec.warmup(); i++) {
          step.run(session, i);
        }
        double[] times = new double[spec.steps()];
        for (int i = 0; i < spec.steps(); i++) {
          long s = System.nanoTime();
          step.run(session, spec.warmup() + i);
          times[i] = ms(System.nanoTime() - s);
        }
        double median = median(times);
        double pipelineMs = 0;
        if (!spec.synthetic()) {
          double[] pipeline = new double[Math.max(3, Math.min(spec.steps(), 20))];
          for (int i = 0; i < pipeline.length; i++) {
            long s = System.nanoTime();
            step.runPipeline(session, i);
            pipeline[i] = ms(System.nanoTime() - s);
          }
          pipelineMs = median(pipeline);
        }
        double rssFirst = -1;
        double rssLast = -1;
        if (spec.memoryCheck()) {
          long done = spec.warmup() + spec.steps();
          for (long i = done; i < MEMORY_FIRST; i++) {
            step.run(session, i);
          }
          rssFirst = memoryMiB("VmRSS");
          for (long i = Math.max(done, MEMORY_FIRST); i < 10L * MEMORY_FIRST; i++) {
            step.run(session, i);
          }
          rssLast = memoryMiB("VmRSS");
        }
        return new Measurement(spec.network().id(), spec.width(), spec.batch(), device,
            spec.session().intraOpThreads(), spec.steps(), optimizer.type(), spec.synthetic(), median,
            Arrays.stream(times).min().orElseThrow(), spec.batch() * 1000.0 / median, pipelineMs,
            pipelineMs / median, ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), memoryMiB("VmHWM"), rssFirst, rssLast,
            TensorFlow.version(), spec.profile() ? step.profile(session, spec.warmup() + spec.steps()) : List.of(),
            spec.precision().id());
      }
    }
  }

  /** One training step as a run takes it ({@link ScheduledStep}), and its input pipeline alone. */
  private static final class Step {
    /** A run fetches the loss's finiteness every step and calculated rates' norm where there are any. */
    private static final Set<ScheduledStep.Fetch> FETCH = EnumSet.of(ScheduledStep.Fetch.LOSS,
        ScheduledStep.Fetch.LOSS_FINITE, ScheduledStep.Fetch.RATE_NORM);

    private final TrainingGraph model;
    private final Op initializer;
    private final ScheduledStep scheduled;
    private final int stepsPerEpoch;

    private Step(TrainingGraph model, Op initializer, ScheduledStep scheduled, int stepsPerEpoch) {
      this.model = model;
      this.initializer = initializer;
      this.scheduled = scheduled;
      this.stepsPerEpoch = stepsPerEpoch;
    }

    static Step pipeline(Ops tf, TrainingGraphSpec spec, OptimizerSpec optimizer, Schedule schedule) {
      TrainingGraph model = TrainingGraph.build(tf, spec);
      ScheduledStep scheduled = RunGraph.trainStep(tf, model, optimizer, schedule);
      return new Step(model, model.initializer(), scheduled, model.stepsPerEpoch());
    }

    /** The network on fixed batches held in variables: what the step costs without any input pipeline. */
    static Step synthetic(Ops tf, ModelSpec spec, int batch, OptimizerSpec optimizer, Schedule schedule) {
      ResNet<TFloat32> network = ResNet.create(tf, spec);
      Ops data = tf.withSubScope("fixed_batch");
      ImageShape shape = spec.input();
      Shape images = Shape.of(batch, shape.height(), shape.width(), shape.channels());
      List<Op> init = new ArrayList<>(List.of(network.initializer()));
      Variable<TFloat32> x = data.withName("images").variable(images, TFloat32.class);
      init.add(data.assign(x, data.random.statelessRandomNormal(data.constant(images.asArray()),
          data.constant(new long[] {1, 2}), TFloat32.class)));
      // int64: TensorFlow has no int32 variable on a GPU, where one would stay in host memory and cross every step.
      Variable<TInt64> labels = data.withName("labels").variable(Shape.of(batch), TInt64.class);
      init.add(data.assign(labels, data.dtypes.cast(data.random.statelessRandomUniformInt(data.constant(new int[] {batch}),
          data.constant(new long[] {3, 4}), data.constant(0), data.constant(spec.classes())), TInt64.class)));
      Operand<TInt32> y = data.withName("labels_int32").dtypes.cast(labels, TInt32.class);
      ResNet.Tower<TFloat32> tower = network.forward(x, ResNet.Mode.TRAIN, "train");
      Operand<TFloat32> loss = meanLoss(tf.withSubScope("loss"), tower.logits(), y, spec.classes());
      Operand<TFloat32> nextLoss = null;
      if (optimizer.needsNextBatch()) {
        nextLoss = meanLoss(tf.withSubScope("next_loss"),
            network.forward(data.math.neg(x), ResNet.Mode.TRAIN, "train_next").logits(), y, spec.classes());
      }
      ScheduledStep scheduled = ScheduledStep.build(tf, optimizer, schedule, network.trainableVariables(), loss,
          nextLoss, TFloat32.class, RunGraph.lossScale(spec.precision()), tower.batchNormUpdates());
      Op initializer = tf.withControlDependencies(init).noOp();
      return new Step(null, initializer, scheduled, Integer.MAX_VALUE);
    }

    private static Operand<TFloat32> meanLoss(Ops s, Operand<TFloat32> logits, Operand<TInt32> labels, int classes) {
      Operand<TFloat32> targets = s.oneHot(labels, s.constant(classes), s.constant(1f), s.constant(0f));
      return s.math.mean(s.nn.softmaxCrossEntropyWithLogits(logits, targets).loss(), s.constant(0));
    }

    /** Global step {@code i} exactly as the training loop takes it. */
    void run(Session session, long i) {
      long epoch = i / stepsPerEpoch;
      try (TrainingGraph.StepFeed feed = model == null ? null : model.feed(epoch, i % stepsPerEpoch)) {
        Session.Runner runner = feed == null ? session.runner() : feed.apply(session.runner());
        if (!scheduled.run(runner, i, epoch, FETCH).lossFinite()) {
          throw new IllegalStateException("the loss is not finite at step " + i);
        }
      }
    }

    /** Traces step {@code i} and sums the time of its ops by op type, largest first. */
    List<OpTime> profile(Session session, long i) {
      Map<String, double[]> byOp = new HashMap<>();
      long epoch = i / stepsPerEpoch;
      try (TrainingGraph.StepFeed feed = model == null ? null : model.feed(epoch, i % stepsPerEpoch)) {
        RunMetadata metadata =
            scheduled.trace(feed == null ? session.runner() : feed.apply(session.runner()), i, epoch);
        for (DeviceStepStats device : metadata.getStepStats().getDevStatsList()) {
          for (NodeExecStats node : device.getNodeStatsList()) {
            String label = node.getTimelineLabel();
            int eq = label.indexOf(" = ");
            int paren = label.indexOf('(', eq + 3);
            String op = eq < 0 || paren < 0 ? node.getNodeName() : label.substring(eq + 3, paren);
            double[] sum = byOp.computeIfAbsent(op, k -> new double[2]);
            sum[0]++;
            sum[1] += node.getAllEndRelMicros() / 1000.0;
          }
        }
      }
      List<OpTime> times = new ArrayList<>();
      byOp.forEach((op, sum) -> times.add(new OpTime(op, (int) sum[0], sum[1])));
      times.sort(Comparator.comparingDouble(OpTime::ms).reversed());
      return times;
    }

  /** Only the ops that produce step {@code i}'s batch (and next batch), nothing copied back. */
    void runPipeline(Session session, long i) {
      try (TrainingGraph.StepFeed feed = model.feed(i / stepsPerEpoch, i % stepsPerEpoch)) {
        Session.Runner runner = feed.apply(session.runner()).addTarget(model.pipeline().batch().images())
            .addTarget(model.pipeline().batch().labels());
        if (model.pipeline().nextBatch() != null) {
          runner.addTarget(model.pipeline().nextBatch().images());
        }
        runner.run().close();
      }
    }
  }

  /** Seeded uniform random pixels and labels of CIFAR-10's shape. */
  static ImageSet randomImages(String name, int count, long seed) {
    Random random = new Random(seed);
    byte[] pixels = new byte[count * CIFAR.pixels()];
    random.nextBytes(pixels);
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      labels[i] = i % 10;
    }
    List<String> classes = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    return new ImageSet(name, CIFAR.height(), CIFAR.width(), CIFAR.channels(), pixels, labels, classes);
  }

  /**
   * The device a run with this {@code device} setting uses ({@link Devices#choose}: auto, cpu, gpu, gpu:N); a GPU
   * TensorFlow does not list is an error that names what it lists.
   */
  public static String deviceName(String setting) {
    return Devices.choose(setting, setting.equals("cpu") ? List.of() : Devices.list());
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  /** A {@code /proc/self/status} field (VmHWM: peak resident, VmRSS: resident now) in MiB; -1 off Linux. */
  static double memoryMiB(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      LOG.debug("cannot read {} from /proc/self/status: {}", field, e.toString());
    }
    return -1;
  }
}
