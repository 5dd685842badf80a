package superconv.graph;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;
import superconv.datasets.ImageSet;

/**
 * What a training loop needs from the graph: the network's train and eval towers over one set of float32 variables,
 * the input pipeline, loss, accuracy, the explicit variable lists and the batch-norm update ops.
 *
 * <p>A step feeds only the two scalars {@link #epoch()} and {@link #step()} (step within the epoch, in
 * {@code [0, stepsPerEpoch())}) plus whatever the optimizer owns (its rate placeholders); see {@link #feed}. The
 * train op must run together with {@link #batchNormUpdates()} (for example as control dependencies), which update the
 * moving statistics from batch j.
 *
 * <p>The caller owns the {@link org.tensorflow.Graph} and {@link Session}.
 */
public final class TrainingGraph {

  private static final Logger LOG = LogManager.getLogger(TrainingGraph.class);

  /** Mean loss and accuracy of an evaluation pass over every test image. */
  public record Evaluation(double loss, double accuracy, long count) {}

  private final Ops tf;
  private final TrainingGraphSpec spec;
  private final ResNet<TFloat32> network;
  private final InputPipeline pipeline;
  private final Operand<TFloat32> logits;
  private final Operand<TFloat32> loss;
  private final Operand<TFloat32> accuracy;
  private final Operand<TFloat32> nextLoss;
  private final List<Op> batchNormUpdates;
  private final Operand<TFloat32> evalLogits;
  private final Operand<TFloat32> evalLossSum;
  private final Operand<TInt32> evalCorrect;

  private TrainingGraph(Ops tf, TrainingGraphSpec spec) {
    this.tf = tf;
    this.spec = spec;
    this.network = ResNet.create(tf, spec.model());
    this.pipeline = new InputPipeline(tf, spec);
    Scopes metrics = new Scopes(tf.withSubScope("metrics"));

    ResNet.Tower<TFloat32> train = network.forward(pipeline.batch().images(), ResNet.Mode.TRAIN, "train");
    logits = train.logits();
    batchNormUpdates = train.batchNormUpdates();
    loss = meanLoss(metrics.at("loss"), logits, pipeline.batch().labels(), spec.labelSmoothing());
    accuracy = accuracy(metrics.at("accuracy"), logits, pipeline.batch().labels());
    if (spec.nextBatch()) {
      // Same weights, batch j + 1; its moving-statistics updates are deliberately not exposed (never run).
      ResNet.Tower<TFloat32> next = network.forward(pipeline.nextBatch().images(), ResNet.Mode.TRAIN, "train_next");
      nextLoss = meanLoss(metrics.at("next_loss"), next.logits(), pipeline.nextBatch().labels(), spec.labelSmoothing());
    } else {
      nextLoss = null;
    }

    ResNet.Tower<TFloat32> eval = network.forward(pipeline.evalBatch().images(), ResNet.Mode.EVAL, "eval");
    evalLogits = eval.logits();
    Ops evalScope = metrics.at("eval");
    Operand<TFloat32> perImage = crossEntropy(evalScope, evalLogits, pipeline.evalBatch().labels(), 0.0);
    evalLossSum = evalScope.withName("loss_sum").reduceSum(perImage, evalScope.constant(0));
    // Counted in int64 and narrowed once: TensorFlow's int32 Sum on a GPU runs on host memory.
    Operand<TInt64> correct = evalScope.reduceSum(
        evalScope.dtypes.cast(hits(evalScope, evalLogits, pipeline.evalBatch().labels()), TInt64.class), evalScope.constant(0));
    evalCorrect = evalScope.withName("correct").dtypes.cast(correct, TInt32.class);
  }

  /** Builds network, pipeline, loss and metrics into the graph of {@code tf}. */
  public static TrainingGraph build(Ops tf, TrainingGraphSpec spec) {
    Objects.requireNonNull(spec, "spec");
    return new TrainingGraph(tf, spec);
  }

  /**
   * Per-image softmax cross-entropy on one-hot targets {@code (1 - eps) * onehot + eps / classes}. (The sparse op
   * has no gradient in TensorFlow's C++ registry.)
   */
  static Operand<TFloat32> crossEntropy(Ops s, Operand<TFloat32> logits, Operand<TInt32> labels, double smoothing) {
    int classes = (int) logits.shape().get(1);
    float off = (float) (smoothing / classes);
    float on = (float) (1 - smoothing) + off;
    Operand<TFloat32> targets =
        s.withName("targets").oneHot(labels, s.constant(classes), s.constant(on), s.constant(off));
    return s.withName("cross_entropy").nn.softmaxCrossEntropyWithLogits(logits, targets).loss();
  }

  private static Operand<TFloat32> meanLoss(Ops s, Operand<TFloat32> logits, Operand<TInt32> labels, double smoothing) {
    return s.withName("mean").math.mean(crossEntropy(s, logits, labels, smoothing), s.constant(0));
  }

  /**
   * Whether each image's arg-max class is its label, compared as int64: TensorFlow's int32 Equal on a GPU runs on
   * host memory, its int64 one on the card.
   */
  private static Operand<org.tensorflow.types.TBool> hits(Ops s, Operand<TFloat32> logits, Operand<TInt32> labels) {
    return s.withName("hits").math.equal(s.withName("predictions").math.argMax(logits, s.constant(1), TInt64.class),
        s.dtypes.cast(labels, TInt64.class));
  }

  private static Operand<TFloat32> accuracy(Ops s, Operand<TFloat32> logits, Operand<TInt32> labels) {
    return s.withName("mean").math.mean(s.dtypes.cast(hits(s, logits, labels), TFloat32.class), s.constant(0));
  }

  public Ops tf() {
    return tf;
  }

  public TrainingGraphSpec spec() {
    return spec;
  }

  public ResNet<TFloat32> network() {
    return network;
  }

  public InputPipeline pipeline() {
    return pipeline;
  }

  /** Fed every step: the epoch, from 0 (int64 scalar). */
  public Placeholder<TInt64> epoch() {
    return pipeline.epoch();
  }

  /** Fed every step: the step within the epoch, in {@code [0, stepsPerEpoch())} (int64 scalar). */
  public Placeholder<TInt64> step() {
    return pipeline.step();
  }

  /** {@code epoch * stepsPerEpoch + step}, the iteration count that seeds augmentation. */
  public Operand<TInt64> globalStep() {
    return pipeline.globalStep();
  }

  /** {@code floor(trainSize / batchSize)}: drop-last batching. */
  public int stepsPerEpoch() {
    return spec.stepsPerEpoch();
  }

  /** Logits of the training tower on batch j. */
  public Operand<TFloat32> logits() {
    return logits;
  }

  /** Mean (optionally label-smoothed) cross-entropy of batch j, the loss to minimize. */
  public Operand<TFloat32> loss() {
    return loss;
  }

  /** Mean loss on batch j + 1 with the same weights, when the spec asked for it (AdaSecant). */
  public Optional<Operand<TFloat32>> nextLoss() {
    return Optional.ofNullable(nextLoss);
  }

  /** Fraction of batch j classified correctly by the training tower. */
  public Operand<TFloat32> accuracy() {
    return accuracy;
  }

  /** The float32 variables to differentiate and update: weights, biases, batch-norm gamma and beta. */
  public List<Variable<TFloat32>> trainableVariables() {
    return network.trainableVariables();
  }

  /** Batch-norm moving means and variances: checkpoint them with the weights; never train them. */
  public List<Variable<TFloat32>> stateVariables() {
    return network.stateVariables();
  }

  /** Trainable then state variables: what a checkpoint of the model holds (add optimizer slots yourself). */
  public List<Variable<?>> modelVariables() {
    List<Variable<?>> all = new ArrayList<>(trainableVariables());
    all.addAll(stateVariables());
    return List.copyOf(all);
  }

  /**
   * Save/restore ops for the model's variables plus {@code extra} ones (optimizer slots, counters): never the
   * resident data. Build it once, after the optimizer has created its variables.
   */
  public Checkpoint checkpoint(List<? extends Variable<?>> extra) {
    List<Variable<?>> all = new ArrayList<>(modelVariables());
    all.addAll(extra);
    return Checkpoint.build(tf, all);
  }

  /** Ops that update the moving statistics from batch j; run them with every train op. */
  public List<Op> batchNormUpdates() {
    return batchNormUpdates;
  }

  /** Initializes every model variable with its seeded initial value. */
  public Op initializer() {
    return network.initializer();
  }

  /** Fed for each evaluation slice: index of its first test image (int32 scalar). */
  public Placeholder<TInt32> evalStart() {
    return pipeline.evalStart();
  }

  /** Logits of the evaluation tower on the slice at {@link #evalStart()}. */
  public Operand<TFloat32> evalLogits() {
    return evalLogits;
  }

  /** Sum over the slice of the (unsmoothed) cross-entropy. */
  public Operand<TFloat32> evalLossSum() {
    return evalLossSum;
  }

  /** Correctly classified images in the slice. */
  public Operand<TInt32> evalCorrect() {
    return evalCorrect;
  }

  /** Images in the slice. */
  public Operand<TInt32> evalCount() {
    return pipeline.evalCount();
  }

  /** Slice starts that cover the test set: 0, E, 2E, ... ({@code ceil(testSize / E)} of them). */
  public int[] evalStarts() {
    int[] starts = new int[spec.evalSteps()];
    for (int i = 0; i < starts.length; i++) {
      starts[i] = i * spec.evalBatchSize();
    }
    return starts;
  }

  /**
   * Feeds the training and test sets into their resident variables, once per session. The pixels go over as one bulk
   * copy of the {@code byte[]} into a uint8 tensor.
   */
  public void uploadData(Session session, ImageSet train, ImageSet test) {
    checkArgument(spec.inputMode() == InputMode.RESIDENT, "uploadData needs the resident input mode");
    check(train, spec.trainSize(), "training");
    check(test, spec.testSize(), "test");
    upload(session, pipeline.uploadTrain(), pipeline.trainImagesFeed(), pipeline.trainLabelsFeed(), train);
    upload(session, pipeline.uploadTest(), pipeline.testImagesFeed(), pipeline.testLabelsFeed(), test);
    LOG.info("uploaded {} training and {} test images ({} MB)", train.size(), test.size(),
        (train.pixels().length + test.pixels().length) / 1_000_000);
  }

  private void check(ImageSet set, int expected, String role) {
    checkArgument(set.size() == expected, "the %s set %s has %s images, the graph was built for %s", role, set.name(), set.size(), expected);
    checkArgument(ImageShape.of(set).equals(spec.model().input()), "the %s set %s has %s images, the graph takes %s",
        role, set.name(), ImageShape.of(set), spec.model().input());
    int classes = spec.model().classes();
    int[] labels = set.labels();
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException(
            role + " set " + set.name() + ": label " + labels[i] + " of image " + i + " is outside [0, " + classes + ")");
      }
    }
  }

  private static void upload(Session session, Op assign, Placeholder<TUint8> imagesFeed, Placeholder<TInt32> labelsFeed, ImageSet set) {
    try (TUint8 images = uint8Images(set.pixels(), set.size(), ImageShape.of(set));
        TInt32 labels = TInt32.tensorOf(Shape.of(set.size()), DataBuffers.of(set.labels(), true, false))) {
      session.runner().feed(imagesFeed, images).feed(labelsFeed, labels).addTarget(assign).run().close();
    }
  }

  /** A uint8 NHWC tensor over {@code count} images of {@code pixels}, filled by one bulk copy. */
  static TUint8 uint8Images(byte[] pixels, int count, ImageShape shape) {
    return TUint8.tensorOf(
        Shape.of(count, shape.height(), shape.width(), shape.channels()),
        DataBuffers.of(pixels, true, false).narrow((long) count * shape.pixels()));
  }

  /** The scalars of one training step; close after the run. */
  public StepFeed feed(long epoch, long step) {
    checkArgument(epoch >= 0, "epoch must be non-negative, got %s", epoch);
    checkArgument(step >= 0 && step < stepsPerEpoch(), "step %s is outside [0, %s)", step, stepsPerEpoch());
    return new StepFeed(epoch, step);
  }

  /** Tensors for {@link #epoch()} and {@link #step()}; {@link #apply} adds them to a runner. */
  public final class StepFeed implements AutoCloseable {
    private final TInt64 epochTensor;
    private final TInt64 stepTensor;

    private StepFeed(long epoch, long step) {
      this.epochTensor = TInt64.scalarOf(epoch);
      this.stepTensor = TInt64.scalarOf(step);
    }

    public Session.Runner apply(Session.Runner runner) {
      return runner.feed(pipeline.epoch(), epochTensor).feed(pipeline.step(), stepTensor);
    }

    @Override
    public void close() {
      epochTensor.close();
      stepTensor.close();
    }
  }

  /**
   * The placeholders a training step feeds: {@link #epoch()} and {@link #step()}, and in host-fed mode the batch's
   * images and labels (and the next batch's, when built), as {@link StepFeed} and {@link HostFeed} feed them.
   */
  public List<Placeholder<?>> stepFeeds() {
    List<Placeholder<?>> feeds = new ArrayList<>(List.of(pipeline.epoch(), pipeline.step()));
    if (spec.inputMode() == InputMode.HOST_FED) {
      feeds.addAll(List.of(pipeline.hostImages(), pipeline.hostLabels()));
      if (spec.nextBatch()) {
        feeds.addAll(List.of(pipeline.hostNextImages(), pipeline.hostNextLabels()));
      }
    }
    return feeds;
  }

  /** The placeholders an evaluation slice feeds: its start (resident), or its images and labels (host-fed). */
  public List<Placeholder<?>> evaluationFeeds() {
    return spec.inputMode() == InputMode.RESIDENT ? List.of(pipeline.evalStart())
        : List.of(pipeline.hostEvalImages(), pipeline.hostEvalLabels());
  }

  /** What an evaluation slice fetches, in order: loss sum, correct count and (resident) the slice's image count. */
  public List<Operand<?>> evaluationFetches() {
    return spec.inputMode() == InputMode.RESIDENT ? List.of(evalLossSum, evalCorrect, pipeline.evalCount())
        : List.of(evalLossSum, evalCorrect);
  }

  /** Runs the evaluation tower over every resident test image (the last slice may be smaller). */
  public Evaluation evaluate(Session session) {
    checkArgument(spec.inputMode() == InputMode.RESIDENT, "evaluate(session) needs the resident input mode");
    double lossSum = 0;
    long correct = 0;
    long count = 0;
    for (int start : evalStarts()) {
      try (TInt32 startTensor = TInt32.scalarOf(start);
          Result r = fetchAll(session.runner().feed(pipeline.evalStart(), startTensor)).run()) {
        lossSum += ((TFloat32) r.get(0)).getFloat();
        correct += ((TInt32) r.get(1)).getInt();
        count += ((TInt32) r.get(2)).getInt();
      }
    }
    return new Evaluation(lossSum / count, (double) correct / count, count);
  }

  private Session.Runner fetchAll(Session.Runner runner) {
    evaluationFetches().forEach(runner::fetch);
    return runner;
  }

  /** Host-fed mode: evaluates every image of {@code test}, feeding slices of {@code evalBatchSize}. */
  public Evaluation evaluate(Session session, ImageSet test) {
    checkArgument(spec.inputMode() == InputMode.HOST_FED, "evaluate(session, set) needs the host-fed input mode");
    check(test, test.size(), "test");
    double lossSum = 0;
    long correct = 0;
    int e = spec.evalBatchSize();
    ImageShape shape = spec.model().input();
    for (int start = 0; start < test.size(); start += e) {
      int count = Math.min(e, test.size() - start);
      byte[] pixels = new byte[count * shape.pixels()];
      System.arraycopy(test.pixels(), start * shape.pixels(), pixels, 0, pixels.length);
      int[] labels = java.util.Arrays.copyOfRange(test.labels(), start, start + count);
      try (TUint8 images = uint8Images(pixels, count, shape);
          TInt32 labelTensor = TInt32.tensorOf(Shape.of(count), DataBuffers.of(labels, true, false));
          Result r = fetchAll(session.runner().feed(pipeline.hostEvalImages(), images)
              .feed(pipeline.hostEvalLabels(), labelTensor)).run()) {
        lossSum += ((TFloat32) r.get(0)).getFloat();
        correct += ((TInt32) r.get(1)).getInt();
      }
    }
    return new Evaluation(lossSum / test.size(), (double) correct / test.size(), test.size());
  }

  /** The training-set permutation of {@code epoch} as computed by the graph (host-fed mode gathers batches by it). */
  public int[] permutation(Session session, long epoch) {
    try (TInt64 e = TInt64.scalarOf(epoch);
        Result r = session.runner().feed(pipeline.epoch(), e).fetch(pipeline.permutation()).run()) {
      TInt32 p = (TInt32) r.get(0);
      int[] out = new int[(int) p.size()];
      p.asRawTensor().data().asInts().read(out);
      return out;
    }
  }

  /**
   * Host-fed mode: the scalars of step {@code step} plus its batch (and next batch, if built) gathered on the host
   * from {@code train} by {@code permutation} (from {@link #permutation(Session, long)} for this epoch).
   */
  public HostFeed hostFeed(ImageSet train, int[] permutation, long epoch, long step) {
    checkArgument(spec.inputMode() == InputMode.HOST_FED, "hostFeed needs the host-fed input mode");
    checkArgument(permutation.length == spec.trainSize(), "the permutation has %s entries, the training set %s", permutation.length, spec.trainSize());
    return new HostFeed(train, permutation, epoch, step);
  }

  /** One host-fed step: scalars and uint8 batches; close after the run. */
  public final class HostFeed implements AutoCloseable {
    private final StepFeed scalars;
    private final List<Tensor> tensors = new ArrayList<>();
    private final List<Placeholder<?>> targets = new ArrayList<>();

    private HostFeed(ImageSet train, int[] permutation, long epoch, long step) {
      scalars = feed(epoch, step);
      add(train, permutation, (int) step, pipeline.hostImages(), pipeline.hostLabels());
      if (spec.nextBatch()) {
        add(train, permutation, (int) ((step + 1) % stepsPerEpoch()), pipeline.hostNextImages(), pipeline.hostNextLabels());
      }
    }

    private void add(ImageSet train, int[] permutation, int step, Placeholder<TUint8> imagesFeed, Placeholder<TInt32> labelsFeed) {
      int b = spec.batchSize();
      int size = spec.model().input().pixels();
      byte[] pixels = new byte[b * size];
      int[] labels = new int[b];
      for (int i = 0; i < b; i++) {
        int index = permutation[step * b + i];
        System.arraycopy(train.pixels(), index * size, pixels, i * size, size);
        labels[i] = train.labels()[index];
      }
      tensors.add(uint8Images(pixels, b, spec.model().input()));
      targets.add(imagesFeed);
      tensors.add(TInt32.tensorOf(Shape.of(b), DataBuffers.of(labels, true, false)));
      targets.add(labelsFeed);
    }

    public Session.Runner apply(Session.Runner runner) {
      scalars.apply(runner);
      for (int i = 0; i < tensors.size(); i++) {
        runner.feed(targets.get(i), tensors.get(i));
      }
      return runner;
    }

    @Override
    public void close() {
      scalars.close();
      tensors.forEach(Tensor::close);
    }
  }
}
