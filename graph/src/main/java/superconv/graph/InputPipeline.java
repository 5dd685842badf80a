package superconv.graph;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gather;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;

/**
 * The input pipeline as graph ops: resident data (uint8 pixels stored packed in int64 words), or host-fed batches;
 * the per-epoch permutation, drop-last batching, augmentation and normalization. Every random choice is a stateless op seeded by the run seed and the fed
 * scalars (epoch, step), so the batches of a step are a pure function of (seed, epoch, step): a resumed run sees the
 * same batches as an uninterrupted one.
 *
 * <ul>
 *   <li>Permutation of epoch e: the indices of the training images sorted by float64 keys from
 *       {@code StatelessRandomUniform(seed = [run seed, e])} (TopK, k = n).
 *   <li>Batch j of an epoch: positions {@code [j * B, (j + 1) * B)} of the permutation, {@code floor(n / B)} batches.
 *   <li>Next batch (AdaSecant): batch j + 1 of the same permutation; at the last step of an epoch it wraps to batch 0
 *       of the same epoch's permutation. Its augmentation is seeded by global step + 1, so apart from that wrap it
 *       is exactly the batch the next step trains on.
 *   <li>Standard protocol: zero padding by 4 (in 0-255 pixel scale, as torchvision's RandomCrop pads before
 *       normalizing), a crop offset uniform in [0, 8] per axis and a left-right flip with probability 1/2 per image,
 *       seeded by (run seed with a salt, global step = epoch * steps per epoch + j); then (x - mean) / std per channel.
 * </ul>
 *
 * <p>On a GPU (see the placement audit, {@code graph summary --placement}): the resident sets, the cached permutation
 * and every per-image index live in int64 tensors, whose TensorFlow GPU kernels (VariableV2, Assign, GatherV2, Slice,
 * arithmetic) keep them in device memory; TensorFlow has no int32 GPU variable and runs its int32 kernels on host
 * memory. The scalars that GPU kernels read from host memory anyway (the global step, the random ops' seeds, slice
 * bounds) are computed on the CPU ({@link HostScalars}). So a resident step moves only the fed scalars to the card.
 */
public final class InputPipeline {

  /** A batch as network input: normalized float images NHWC, labels, and (training only) the image indices. */
  public record Batch(Operand<TFloat32> images, Operand<TInt32> labels, Operand<TInt32> indices) {}

  /** Bytes per int64 word of the packed resident images. */
  private static final int WORD = 8;
  private static final long CROP_SALT = 0x6a09e667f3bcc908L;
  private static final long FLIP_SALT = 0xbb67ae8584caa73bL;

  private final TrainingGraphSpec spec;
  private final Scopes scopes;
  private final Placeholder<TInt64> epoch;
  private final Placeholder<TInt64> step;
  private final Placeholder<TInt32> evalStart;
  private final Operand<TInt64> globalStep;
  private final Operand<TInt32> permutation;
  /** The permutation as the batches read it: int64, so that slicing it and gathering by it stay on a GPU. */
  private final Operand<TInt64> order;

  // Resident mode: images packed eight bytes to an int64 word (see words()), labels int64.
  private Variable<TInt64> trainImages;
  private Variable<TInt64> trainLabels;
  private Variable<TInt64> testImages;
  private Variable<TInt64> testLabels;
  private Placeholder<TUint8> trainImagesFeed;
  private Placeholder<TInt32> trainLabelsFeed;
  private Placeholder<TUint8> testImagesFeed;
  private Placeholder<TInt32> testLabelsFeed;
  private Op uploadTrain;
  private Op uploadTest;

  // Host-fed mode.
  private Placeholder<TUint8> hostImages;
  private Placeholder<TInt32> hostLabels;
  private Placeholder<TUint8> hostNextImages;
  private Placeholder<TInt32> hostNextLabels;
  private Placeholder<TUint8> hostEvalImages;
  private Placeholder<TInt32> hostEvalLabels;

  private final Batch batch;
  private final Batch nextBatch;
  private final Batch evalBatch;
  private final Operand<TInt32> evalCount;

  InputPipeline(Ops tf, TrainingGraphSpec spec) {
    this.spec = spec;
    this.scopes = new Scopes(tf.withSubScope("input"));
    ImageShape shape = spec.model().input();
    Ops feeds = scopes.at("feed");
    epoch = feeds.withName("epoch").placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
    step = feeds.withName("step").placeholder(TInt64.class, Placeholder.shape(Shape.scalar()));
    evalStart = feeds.withName("eval_start").placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
    Ops hostFeeds = HostScalars.of(feeds);
    globalStep = hostFeeds.withName("global_step")
        .math.add(hostFeeds.math.mul(epoch, hostFeeds.constant((long) spec.stepsPerEpoch())), step);

    if (spec.inputMode() == InputMode.RESIDENT) {
      Ops data = scopes.at("data");
      Shape train = Shape.of(spec.trainSize(), shape.height(), shape.width(), shape.channels());
      Shape test = Shape.of(spec.testSize(), shape.height(), shape.width(), shape.channels());
      trainImages = data.withName("train_images").variable(Shape.of(spec.trainSize(), words()), TInt64.class);
      trainLabels = data.withName("train_labels").variable(Shape.of(spec.trainSize()), TInt64.class);
      testImages = data.withName("test_images").variable(Shape.of(spec.testSize(), words()), TInt64.class);
      testLabels = data.withName("test_labels").variable(Shape.of(spec.testSize()), TInt64.class);
      trainImagesFeed = data.withName("train_images_feed").placeholder(TUint8.class, Placeholder.shape(train));
      trainLabelsFeed = data.withName("train_labels_feed").placeholder(TInt32.class, Placeholder.shape(Shape.of(spec.trainSize())));
      testImagesFeed = data.withName("test_images_feed").placeholder(TUint8.class, Placeholder.shape(test));
      testLabelsFeed = data.withName("test_labels_feed").placeholder(TInt32.class, Placeholder.shape(Shape.of(spec.testSize())));
      uploadTrain =
          data.withName("upload_train")
              .withControlDependencies(List.of(data.assign(trainImages, pack(scopes.at("data/pack_train"), trainImagesFeed)),
                  data.assign(trainLabels, data.dtypes.cast(trainLabelsFeed, TInt64.class))))
              .noOp();
      uploadTest =
          data.withName("upload_test")
              .withControlDependencies(List.of(data.assign(testImages, pack(scopes.at("data/pack_test"), testImagesFeed)),
                  data.assign(testLabels, data.dtypes.cast(testLabelsFeed, TInt64.class))))
              .noOp();
    } else {
      Shape batchShape = Shape.of(spec.batchSize(), shape.height(), shape.width(), shape.channels());
      hostImages = feeds.withName("images").placeholder(TUint8.class, Placeholder.shape(batchShape));
      hostLabels = feeds.withName("labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(spec.batchSize())));
      if (spec.nextBatch()) {
        hostNextImages = feeds.withName("next_images").placeholder(TUint8.class, Placeholder.shape(batchShape));
        hostNextLabels = feeds.withName("next_labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(spec.batchSize())));
      }
      Shape evalShape = Shape.of(-1, shape.height(), shape.width(), shape.channels());
      hostEvalImages = feeds.withName("eval_images").placeholder(TUint8.class, Placeholder.shape(evalShape));
      hostEvalLabels = feeds.withName("eval_labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    }

    Ops perm = scopes.at("permutation");
    if (spec.inputMode() == InputMode.RESIDENT) {
      order = cachedPermutation(perm);
      permutation = perm.withName("as_int32").dtypes.cast(order, TInt32.class);
    } else {
      permutation = permutationOf(perm, epoch);
      order = perm.withName("as_int64").dtypes.cast(permutation, TInt64.class);
    }

    batch = trainBatch("batch", step, globalStep, hostImages, hostLabels);
    if (spec.nextBatch()) {
      Ops next = HostScalars.of(scopes.at("next_batch"));
      Operand<TInt64> nextStep =
          next.withName("step").math.floorMod(next.math.add(step, next.constant(1L)), next.constant((long) spec.stepsPerEpoch()));
      Operand<TInt64> nextGlobal = next.withName("global_step").math.add(globalStep, next.constant(1L));
      nextBatch = trainBatch("next_batch", nextStep, nextGlobal, hostNextImages, hostNextLabels);
    } else {
      nextBatch = null;
    }

    Ops eval = scopes.at("eval_batch");
    Operand<TUint8> images;
    Operand<TInt32> labels;
    if (spec.inputMode() == InputMode.RESIDENT) {
      Ops bounds = HostScalars.of(eval);
      evalCount = bounds.withName("count")
          .math.minimum(bounds.constant(spec.evalBatchSize()), bounds.math.sub(bounds.constant(spec.testSize()), evalStart));
      Operand<TInt64> packed = eval.withName("packed_images").slice(testImages,
          bounds.stack(List.of(evalStart, bounds.constant(0))), bounds.stack(List.of(evalCount, bounds.constant(-1))));
      images = unpack(scopes.at("eval_batch/unpack"), packed);
      labels = eval.withName("labels").dtypes.cast(eval.slice(testLabels, bounds.stack(List.of(evalStart)),
          bounds.stack(List.of(evalCount))), TInt32.class);
    } else {
      images = hostEvalImages;
      labels = hostEvalLabels;
      evalCount = eval.withName("count").size(hostEvalLabels);
    }
    evalBatch = new Batch(normalize(eval, eval.dtypes.cast(images, TFloat32.class), spec.protocol(), spec.normalization()), labels, null);
  }

  /** The permutation of {@code epochValue}: training-image indices sorted by seeded float64 keys. */
  private Operand<TInt32> permutationOf(Ops perm, Operand<TInt64> epochValue) {
    Ops host = HostScalars.of(perm);
    Operand<TInt64> seed = host.withName("seed").stack(List.of(host.constant(spec.model().seed()), epochValue));
    Operand<TFloat64> keys =
        perm.withName("keys").random.statelessRandomUniform(host.constant(new long[] {spec.trainSize()}), seed, TFloat64.class);
    return perm.withName("indices").nn.topK(keys, perm.constant(spec.trainSize()), TInt32.class).indices();
  }

  /**
   * The permutation computed once per epoch: sorting 50,000 keys took about 4 ms, a tenth of a small network's step.
   * A step whose epoch differs from the cached one (the first step of an epoch, of a session, of a resumed run)
   * computes it with {@link #permutationOf} and stores it with its epoch in two variables; the other steps of the epoch
   * read the variable. Switch/Merge make the sort run only on the branch taken. The result stays a pure function of
   * (seed, epoch). The cache is no checkpoint state and needs no initializer: until the first store its variables are
   * uninitialized and the graph takes the compute branch (RefSwitch passes the reference on without reading it).
   * The indices are kept as int64, which TensorFlow can hold and read on a GPU (it has no int32 GPU variable); the
   * cached epoch and the hit-or-miss decision are host scalars, next to the fed epoch and the switches' predicates
   * (which TensorFlow reads from host memory).
   */
  private Operand<TInt64> cachedPermutation(Ops perm) {
    Ops cache = scopes.at("permutation/cache");
    Ops host = HostScalars.of(cache);
    Variable<TInt64> indices = cache.withName("indices").variable(Shape.of(spec.trainSize()), TInt64.class);
    Variable<TInt64> cachedEpoch = host.withName("epoch").variable(Shape.scalar(), TInt64.class);
    Operand<TBool> initialized = host.withName("initialized").isVariableInitialized(cachedEpoch);
    Operand<TBool> sameEpoch = host.withName("same_epoch").math.equal(
        host.refSwitch(cachedEpoch, initialized).outputTrue(), host.switchCond(epoch, initialized).outputTrue());
    Operand<TBool> empty = host.switchCond(host.constant(false), initialized).outputFalse();
    Operand<TBool> hit = host.withName("hit").merge(List.of(sameEpoch, empty)).output();

    Operand<TInt64> kept = cache.withName("kept").identity(cache.refSwitch(indices, hit).outputTrue());
    Operand<TInt64> missedEpoch = host.withName("missed_epoch").switchCond(epoch, hit).outputFalse();
    Operand<TInt64> fresh = cache.withName("fresh").dtypes.cast(permutationOf(perm, missedEpoch), TInt64.class);
    Ops stored = cache.withControlDependencies(List.of(
        cache.withName("store_indices").assign(indices, fresh),
        host.withName("store_epoch").assign(cachedEpoch, missedEpoch)));
    Operand<TInt64> computed = stored.withName("computed").identity(fresh);
    return cache.withName("permutation").merge(List.of(kept, computed)).output();
  }

  private Batch trainBatch(
      String name, Operand<TInt64> stepInEpoch, Operand<TInt64> global, Placeholder<TUint8> fedImages, Placeholder<TInt32> fedLabels) {
    Ops s = scopes.at(name);
    Ops host = HostScalars.of(s);
    int b = spec.batchSize();
    Operand<TInt32> start = host.withName("start").math.mul(host.dtypes.cast(stepInEpoch, TInt32.class), host.constant(b));
    Operand<TInt64> positions =
        s.withName("indices").slice(order, host.stack(List.of(start)), host.constant(new int[] {b}));
    Operand<TInt32> indices = s.withName("indices_int32").dtypes.cast(positions, TInt32.class);
    Operand<TUint8> images;
    Operand<TInt32> labels;
    if (spec.inputMode() == InputMode.RESIDENT) {
      images = unpack(scopes.at(name + "/unpack"), s.withName("gather_images").gather(trainImages, positions, s.constant(0)));
      labels = s.withName("labels").dtypes.cast(s.gather(trainLabels, positions, s.constant(0)), TInt32.class);
    } else {
      images = fedImages;
      labels = fedLabels;
    }
    Operand<TFloat32> x = s.withName("to_float").dtypes.cast(images, TFloat32.class);
    if (spec.protocol() == DataProtocol.STANDARD) {
      x = cropAndFlip(scopes.at(name + "/augment"), x, global);
    }
    return new Batch(normalize(s, x, spec.protocol(), spec.normalization()), labels, indices);
  }

  /**
   * Resident images are stored packed: the bytes of each image, zero-padded to a multiple of 8, as int64 words.
   * TensorFlow's GPU kernels cover neither a uint8 GatherV2 nor an int32 VariableV2 or Assign (an int32 variable
   * would stay in host memory and be copied to the GPU whole for every gather), but all three for int64, so the packed
   * sets stay on the GPU and are gathered there; Bitcast (a reinterpretation, no copy) turns the words back into bytes.
   */
  private int words() {
    return (spec.model().input().pixels() + WORD - 1) / WORD;
  }

  private Operand<TInt64> pack(Ops s, Operand<TUint8> images) {
    int pixels = spec.model().input().pixels();
    int padding = WORD * words() - pixels;
    Operand<TUint8> flat = s.reshape(images, s.constant(new int[] {-1, pixels}));
    if (padding > 0) {
      flat = s.pad(flat, s.constant(new int[][] {{0, 0}, {0, padding}}), s.constant((byte) 0));
    }
    return s.withName("to_words").bitcast(s.reshape(flat, s.constant(new int[] {-1, words(), WORD})), TInt64.class);
  }

  private Operand<TUint8> unpack(Ops s, Operand<TInt64> words) {
    ImageShape shape = spec.model().input();
    Operand<TUint8> bytes =
        s.reshape(s.withName("to_bytes").bitcast(words, TUint8.class), s.constant(new int[] {-1, WORD * words()}));
    if (WORD * words() != shape.pixels()) {
      bytes = s.slice(bytes, s.constant(new int[] {0, 0}), s.constant(new int[] {-1, shape.pixels()}));
    }
    return s.withName("images").reshape(bytes, s.constant(new int[] {-1, shape.height(), shape.width(), shape.channels()}));
  }

  /**
   * Zero-pads by {@link DataProtocol#CROP_PADDING}, crops back at a random offset and flips half the images. The
   * random integers are drawn as int32 (their values depend on the type) and widened to int64 at once, so that the
   * crop's index arithmetic and gathers run on a GPU rather than in int32 host-memory kernels.
   */
  private Operand<TFloat32> cropAndFlip(Ops s, Operand<TFloat32> images, Operand<TInt64> global) {
    ImageShape shape = spec.model().input();
    int b = spec.batchSize();
    int p = DataProtocol.CROP_PADDING;
    Ops host = HostScalars.of(s);
    Operand<TFloat32> padded =
        s.withName("pad").pad(images, s.constant(new int[][] {{0, 0}, {p, p}, {p, p}, {0, 0}}), host.constant(0f));
    Operand<TInt64> cropSeed = host.withName("crop_seed").stack(List.of(host.constant(spec.model().seed() ^ CROP_SALT), global));
    Operand<TInt64> flipSeed = host.withName("flip_seed").stack(List.of(host.constant(spec.model().seed() ^ FLIP_SALT), global));
    Operand<TInt32> offsets =
        s.withName("offsets").random.statelessRandomUniformInt(s.constant(new int[] {b, 2}), cropSeed, s.constant(0), s.constant(2 * p + 1));
    Operand<TInt32> flips =
        s.withName("flips").random.statelessRandomUniformInt(s.constant(new int[] {b, 1}), flipSeed, s.constant(0), s.constant(2));
    Operand<TInt64> wideOffsets = s.withName("offsets_int64").dtypes.cast(offsets, TInt64.class);
    Operand<TInt64> wideFlips = s.withName("flips_int64").dtypes.cast(flips, TInt64.class);
    Operand<TInt64> top = s.slice(wideOffsets, s.constant(new int[] {0, 0}), s.constant(new int[] {b, 1}));
    Operand<TInt64> left = s.slice(wideOffsets, s.constant(new int[] {0, 1}), s.constant(new int[] {b, 1}));
    // rows[i, r] = top[i] + r; cols[i, c] = left[i] + (flip[i] ? W - 1 - c : c) = left[i] + c + flip[i] (W - 1 - 2c)
    long[][] rowRange = new long[1][shape.height()];
    long[][] colRange = new long[1][shape.width()];
    long[][] mirrored = new long[1][shape.width()];
    for (int r = 0; r < shape.height(); r++) {
      rowRange[0][r] = r;
    }
    for (int c = 0; c < shape.width(); c++) {
      colRange[0][c] = c;
      mirrored[0][c] = shape.width() - 1 - 2L * c;
    }
    Operand<TInt64> rows = s.withName("rows").math.add(top, s.constant(rowRange));
    Operand<TInt64> cols =
        s.withName("cols").math.add(left, s.math.add(s.constant(colRange), s.math.mul(wideFlips, s.constant(mirrored))));
    Operand<TFloat32> cropRows = s.withName("crop_rows").gather(padded, rows, s.constant(1), Gather.batchDims(1L));
    return s.withName("crop_cols").gather(cropRows, cols, s.constant(2), Gather.batchDims(1L));
  }

  /**
   * Network input from float images in 0-255 scale: unchanged for the thesis protocol, {@code (x - mean) / std} per
   * channel for the standard protocol. Shared by the training graph and the exported inference graph.
   */
  public static Operand<TFloat32> normalize(Ops s, Operand<TFloat32> images, DataProtocol protocol, ChannelStats stats) {
    if (protocol == DataProtocol.THESIS) {
      return images;
    }
    double[] mean = stats.mean();
    double[] std = stats.std();
    float[] scale = new float[mean.length];
    float[] shift = new float[mean.length];
    for (int c = 0; c < mean.length; c++) {
      scale[c] = (float) (1 / std[c]);
      shift[c] = (float) (-mean[c] / std[c]);
    }
    return s.withName("normalize").math.add(s.math.mul(images, s.constant(scale)), s.constant(shift));
  }

  public Placeholder<TInt64> epoch() {
    return epoch;
  }

  public Placeholder<TInt64> step() {
    return step;
  }

  public Placeholder<TInt32> evalStart() {
    return evalStart;
  }

  public Operand<TInt64> globalStep() {
    return globalStep;
  }

  /** The permutation of the training set for the fed epoch. */
  public Operand<TInt32> permutation() {
    return permutation;
  }

  public Batch batch() {
    return batch;
  }

  /** Batch j + 1, or null when the spec does not ask for it. */
  public Batch nextBatch() {
    return nextBatch;
  }

  public Batch evalBatch() {
    return evalBatch;
  }

  /** Images in the evaluation slice: {@code min(evalBatchSize, testSize - evalStart)} (resident mode). */
  public Operand<TInt32> evalCount() {
    return evalCount;
  }

  Op uploadTrain() {
    return uploadTrain;
  }

  Op uploadTest() {
    return uploadTest;
  }

  Placeholder<TUint8> trainImagesFeed() {
    return trainImagesFeed;
  }

  Placeholder<TInt32> trainLabelsFeed() {
    return trainLabelsFeed;
  }

  Placeholder<TUint8> testImagesFeed() {
    return testImagesFeed;
  }

  Placeholder<TInt32> testLabelsFeed() {
    return testLabelsFeed;
  }

  Placeholder<TUint8> hostImages() {
    return hostImages;
  }

  Placeholder<TInt32> hostLabels() {
    return hostLabels;
  }

  Placeholder<TUint8> hostNextImages() {
    return hostNextImages;
  }

  Placeholder<TInt32> hostNextLabels() {
    return hostNextLabels;
  }

  Placeholder<TUint8> hostEvalImages() {
    return hostEvalImages;
  }

  Placeholder<TInt32> hostEvalLabels() {
    return hostEvalLabels;
  }

  /** The resident data variables, int64 (empty in host-fed mode): never part of checkpoints or exports. */
  public List<Variable<?>> dataVariables() {
    return spec.inputMode() == InputMode.RESIDENT ? List.of(trainImages, trainLabels, testImages, testLabels) : List.of();
  }
}
