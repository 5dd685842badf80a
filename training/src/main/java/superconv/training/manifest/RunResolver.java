package superconv.training.manifest;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import superconv.datasets.Dataset;
import superconv.graph.DataProtocol;
import superconv.graph.InputMode;
import superconv.graph.Network;
import superconv.graph.Precision;

/**
 * One run's settings (built-in defaults, {@code [defaults]}, the experiment's keys and its grid combination, merged)
 * checked and read into a {@link RunSpec}. Every setting is checked even after a problem with another, so that one
 * refusal lists them all; sizes that could not run are refused here, before any graph is built.
 */
final class RunResolver {

  /**
   * The most epochs a run may train. The thesis trains 100; 10000 epochs of CIFAR-10 at batch 128 are nearly four
   * million steps, weeks on one GPU: more is a typo, and would only be found once the run never ends.
   */
  static final int MAX_EPOCHS = 10_000;

  private static final Pattern DEVICE = Pattern.compile("auto|cpu|gpu|gpu:\\d+");

  private final List<String> problems;
  private final PhaseResolver phases;

  RunResolver(ComponentRules rules, List<String> problems) {
    this.problems = problems;
    this.phases = new PhaseResolver(rules, problems);
  }

  /** The run, or null after reporting its problems. */
  RunSpec resolve(GridExpansion.Combination combination, String experiment, String description) {
    String where = combination.where();
    Settings settings = new Settings(combination.tree(), where, problems);
    int before = problems.size();
    Dataset dataset = settings.choice(Schema.DATASET);
    Network network = settings.choice(Schema.NETWORK);
    int sizeProblems = problems.size();
    int width = settings.integer("width", 1, Integer.MAX_VALUE);
    // Batch norm needs at least two images per batch for a variance.
    int lengthProblems = problems.size();
    int batchSize = settings.integer("batch_size", 2, Integer.MAX_VALUE);
    boolean sizesValid = problems.size() == sizeProblems;
    int epochs = settings.integer("epochs", 1, MAX_EPOCHS, " (the thesis trains 100; " + MAX_EPOCHS
        + " epochs already take weeks on one GPU)");
    boolean lengthsValid = problems.size() == lengthProblems;
    long seed = settings.longInteger("seed");
    DataProtocol protocol = settings.choice(Schema.DATA_PROTOCOL);
    String device = settings.text("device");
    if (device != null && !DEVICE.matcher(device).matches()) {
      problems.add(where + ": device \"" + device + "\" is not one of auto, cpu, gpu, gpu:N (N = 0, 1, ...)");
    }
    Precision precision = settings.choice(Schema.PRECISION);
    boolean xla = settings.bool("xla");
    lengthProblems = problems.size();
    int trainLimit = settings.integer("train_limit", 0, Integer.MAX_VALUE);
    int testLimit = settings.integer("test_limit", 0, Integer.MAX_VALUE);
    lengthsValid &= problems.size() == lengthProblems;
    int lossEvery = settings.integer("loss_every", 1, Integer.MAX_VALUE);
    double labelSmoothing = settings.number("label_smoothing");
    if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
      problems.add(where + ": label_smoothing " + labelSmoothing + " must be in [0, 1)");
    }
    InputMode input = settings.choice(Schema.INPUT);
    if (dataset != null && network != null && precision != null && sizesValid) {
      checkFootprint(Footprint.of(network, width, dataset, batchSize, precision), network, width, batchSize,
          precision, where);
    }
    int iterationsPerEpoch = 0;
    // The run's length (so the schedules' checks) is known when the settings it comes from are valid.
    if (dataset != null && lengthsValid) {
      iterationsPerEpoch = iterationsPerEpoch(dataset, batchSize, trainLimit, testLimit, where);
    }
    List<Phase> runPhases = phases.phases(combination.tree(), epochs, iterationsPerEpoch, where);
    if (problems.size() > before) {
      return null;
    }
    return new RunSpec(experiment, combination.run(), description, dataset, network, width, batchSize, epochs, seed,
        protocol, device, precision, xla, trainLimit, testLimit, lossEvery, labelSmoothing, input, runPhases,
        combination.chosen());
  }

  /** Steps per epoch (drop-last), or 0 after reporting limits the data set cannot meet. */
  private int iterationsPerEpoch(Dataset dataset, int batchSize, int trainLimit, int testLimit, String where) {
    if (trainLimit > dataset.trainImages()) {
      problems.add(where + ": train_limit " + trainLimit + " exceeds the " + dataset.trainImages()
          + " training images of " + dataset.id() + " (0 means all)");
    }
    if (testLimit > dataset.testImages()) {
      problems.add(where + ": test_limit " + testLimit + " exceeds the " + dataset.testImages() + " test images of "
          + dataset.id() + " (0 means all)");
    }
    int trainImages = trainLimit == 0 ? dataset.trainImages() : Math.min(trainLimit, dataset.trainImages());
    if (batchSize > trainImages) {
      problems.add(where + ": batch_size " + batchSize + " is larger than the training set (" + trainImages
          + " images" + (trainLimit == 0 ? "" : " with train_limit = " + trainLimit) + ")");
      return 0;
    }
    return trainImages / batchSize;
  }

  private void checkFootprint(
      Footprint footprint, Network network, int width, int batchSize, Precision precision, String where) {
    if (footprint.bytes() > Footprint.MAX_BYTES) {
      problems.add(String.format(Locale.ROOT, "%s: %s of width %d would have about %.3g parameters and need about %s"
              + " for a batch of %d in %s, more than the %s a run may use; lower width or batch_size", where,
          network.id(), width, footprint.parameters(), Footprint.format(footprint.bytes()), batchSize,
          precision.id(), Footprint.format(Footprint.MAX_BYTES)));
    }
  }
}
