package superconv.training.report;

import java.util.List;
import java.util.Optional;
import superconv.training.run.EpochMetrics;

/**
 * How fast a run learned, from its {@code metrics.csv}: when validation accuracy first reached a target, and the
 * normalized area under its accuracy-per-epoch curve. Targets are fractions in (0, 1], as {@code val_accuracy} is
 * recorded: a value above 1 is almost surely a percentage, and is refused rather than silently never reached.
 */
public final class LearningSpeed {

  /** The first epoch whose validation accuracy reached the target, its global step and the seconds trained by then. */
  public record Reached(int epoch, long step, double seconds) {}

  private LearningSpeed() {}

  /** The target itself, or an {@link IllegalArgumentException} whose message is one line for the command line. */
  public static double checkTarget(double target) {
    if (!(target > 0 && target <= 1)) {
      String shown = target == Math.rint(target) && !Double.isInfinite(target)
          ? Long.toString((long) target) : Double.toString(target);
      throw new IllegalArgumentException("target " + shown
          + " is not a fraction: give accuracies as fractions in (0, 1], e.g. 0.9 for 90%");
    }
    return target;
  }

  /**
   * The first epoch with {@code val_accuracy >= target}; the seconds are the sum of the {@code seconds} column up to
   * and including it (each row holds its own epoch's time, so a resumed run's sum leaves out the time between its
   * processes). Empty when no epoch reached it; a NaN accuracy never does.
   */
  public static Optional<Reached> reached(List<EpochMetrics> metrics, double target) {
    double seconds = 0;
    for (EpochMetrics row : metrics) {
      seconds += Double.isFinite(row.seconds()) ? row.seconds() : 0;
      if (row.valAccuracy() >= target) {
        return Optional.of(new Reached(row.epoch(), row.step(), seconds));
      }
    }
    return Optional.empty();
  }

  /**
   * The area under the validation accuracy per epoch, normalized to [0, 1]: the mean of the per-epoch accuracies
   * over the run's planned epochs, i.e. the area under the step function that holds each epoch's accuracy for one
   * epoch, divided by the planned epochs. A step rather than a trapezoid because no accuracy is recorded before the
   * first epoch to start a trapezoid from. Epochs the run never reached (it diverged or stopped) and NaN accuracies
   * count as 0, so that a run that diverged early cannot score above one that trained throughout. Without a plan
   * ({@code plannedEpochs <= 0}) the epochs recorded are the plan.
   */
  public static double area(List<EpochMetrics> metrics, int plannedEpochs) {
    double sum = 0;
    int last = 0;
    for (EpochMetrics row : metrics) {
      sum += Double.isFinite(row.valAccuracy()) ? row.valAccuracy() : 0;
      last = Math.max(last, row.epoch());
    }
    int epochs = Math.max(plannedEpochs, last);
    return epochs == 0 ? 0 : sum / epochs;
  }
}
