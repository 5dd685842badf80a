package superconv.training.rangetest;

import java.util.Locale;
import superconv.datasets.ImageSet;

/**
 * What a range test evaluates, and how often: every {@code every} iterations, the evaluation tower over
 * {@code images}, a seeded stratified subset of the run's test set ({@link ImageSet#limit}: each class in its share,
 * the same images for the same seed on every machine). The subset is the graph's whole test set, so each evaluation
 * sees exactly these images.
 *
 * @param every iterations between evaluations, at least 1: after iterations {@code every - 1}, {@code 2 every - 1}, ...
 * @param images the subset
 * @param seed the seed it was drawn with (the run's)
 */
public record EvaluationPlan(int every, ImageSet images, long seed) {

  /** Test images per evaluation where none are asked for: accuracy in steps of 0.1%, at the cost of a few steps. */
  public static final int DEFAULT_IMAGES = 1000;

  public EvaluationPlan {
    if (every < 1) {
      throw new IllegalArgumentException("evaluations every " + every + " iterations: at least every 1");
    }
  }

  /** Every {@code every} iterations on {@code count} images of {@code test} drawn with {@code seed} (all, if fewer). */
  public static EvaluationPlan of(int every, int count, ImageSet test, long seed) {
    if (count < 1) {
      throw new IllegalArgumentException("an evaluation needs at least 1 test image, got " + count);
    }
    return new EvaluationPlan(every, test.limit(count, seed), seed);
  }

  /** The subset's content checksum ({@link ImageSet#sha256}): the same images give the same value. */
  public String sha256() {
    return images.sha256();
  }

  /** One line: how often, on how many images, which ones. */
  public String describe() {
    return String.format(Locale.ROOT, "test accuracy every %d iterations on %d test images (stratified, seed %d, "
        + "sha256 %s)", every, images.size(), seed, sha256().substring(0, 12));
  }
}
