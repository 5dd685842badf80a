package superconv.graph;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Objects;
import superconv.datasets.ImageSet;

/**
 * Everything that shapes a {@link TrainingGraph}: the model, batch sizes, data protocol and set sizes.
 *
 * @param model network, classes, width, input shape, layout and run seed (which also seeds shuffling and
 *     augmentation)
 * @param batchSize training batch; an epoch has {@code floor(trainSize / batchSize)} steps (drop-last)
 * @param evalBatchSize images per evaluation slice; the last slice may be smaller
 * @param protocol {@link DataProtocol#THESIS} or {@link DataProtocol#STANDARD}
 * @param normalization per-channel statistics for {@link DataProtocol#STANDARD}; ignored (may be null) for thesis
 * @param labelSmoothing epsilon in [0, 1): targets become {@code (1 - eps) * onehot + eps / classes}
 * @param nextBatch whether to build the loss on batch j+1 as well (AdaSecant)
 * @param trainSize images in the training set
 * @param testSize images in the test set
 * @param inputMode resident data variables or host-fed batches
 */
public record TrainingGraphSpec(
    ModelSpec model,
    int batchSize,
    int evalBatchSize,
    DataProtocol protocol,
    ChannelStats normalization,
    double labelSmoothing,
    boolean nextBatch,
    int trainSize,
    int testSize,
    InputMode inputMode) {

  /** Default evaluation slice. */
  public static final int DEFAULT_EVAL_BATCH = 500;

  public TrainingGraphSpec {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(inputMode, "inputMode");
    checkArgument(batchSize >= 2, "batch size must be at least 2 (batch norm needs a variance), got %s", batchSize);
    checkArgument(evalBatchSize >= 1, "eval batch size must be positive, got %s", evalBatchSize);
    checkArgument(
        trainSize >= batchSize, "the training set (%s images) is smaller than one batch (%s)", trainSize, batchSize);
    checkArgument(testSize >= 1, "the test set is empty");
    checkArgument(
        labelSmoothing >= 0 && labelSmoothing < 1, "label smoothing must be in [0, 1), got %s", labelSmoothing);
    if (protocol == DataProtocol.STANDARD) {
      Objects.requireNonNull(normalization, "the standard protocol needs channel statistics");
      checkArgument(
          normalization.channels() == model.input().channels(),
          "normalization has %s channels, images have %s", normalization.channels(), model.input().channels());
    }
  }

  /**
   * A spec for training on {@code train} and evaluating on {@code test}: thesis protocol, no label smoothing, no
   * next batch, resident data, evaluation slices of {@link #DEFAULT_EVAL_BATCH}. The model's input shape must match
   * the images.
   */
  public static TrainingGraphSpec of(ModelSpec model, ImageSet train, ImageSet test, int batchSize) {
    checkArgument(
        ImageShape.of(train).equals(model.input()) && ImageShape.of(test).equals(model.input()),
        "images are %s (train) and %s (test) but the model takes %s",
        ImageShape.of(train), ImageShape.of(test), model.input());
    return new TrainingGraphSpec(
        model, batchSize, DEFAULT_EVAL_BATCH, DataProtocol.THESIS, null, 0.0, false,
        train.size(), test.size(), InputMode.RESIDENT);
  }

  /** Steps per epoch: {@code floor(trainSize / batchSize)}. */
  public int stepsPerEpoch() {
    return trainSize / batchSize;
  }

  /** Slices of the evaluation pass: {@code ceil(testSize / evalBatchSize)}. */
  public int evalSteps() {
    return (testSize + evalBatchSize - 1) / evalBatchSize;
  }

  /** The standard protocol with the given statistics (compute them with {@link ChannelStats#of} on the training set). */
  public TrainingGraphSpec withStandardProtocol(ChannelStats stats) {
    return new TrainingGraphSpec(
        model, batchSize, evalBatchSize, DataProtocol.STANDARD, stats, labelSmoothing, nextBatch, trainSize, testSize, inputMode);
  }

  public TrainingGraphSpec withProtocol(DataProtocol newProtocol, ChannelStats stats) {
    return new TrainingGraphSpec(
        model, batchSize, evalBatchSize, newProtocol, stats, labelSmoothing, nextBatch, trainSize, testSize, inputMode);
  }

  public TrainingGraphSpec withEvalBatchSize(int size) {
    return new TrainingGraphSpec(
        model, batchSize, size, protocol, normalization, labelSmoothing, nextBatch, trainSize, testSize, inputMode);
  }

  public TrainingGraphSpec withLabelSmoothing(double epsilon) {
    return new TrainingGraphSpec(
        model, batchSize, evalBatchSize, protocol, normalization, epsilon, nextBatch, trainSize, testSize, inputMode);
  }

  public TrainingGraphSpec withNextBatch(boolean build) {
    return new TrainingGraphSpec(
        model, batchSize, evalBatchSize, protocol, normalization, labelSmoothing, build, trainSize, testSize, inputMode);
  }

  public TrainingGraphSpec withInputMode(InputMode mode) {
    return new TrainingGraphSpec(
        model, batchSize, evalBatchSize, protocol, normalization, labelSmoothing, nextBatch, trainSize, testSize, mode);
  }
}
