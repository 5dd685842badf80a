package superconv.training.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import superconv.training.run.EpochMetrics;

/** Epochs, steps and seconds to a target accuracy, the normalized area and the seed statistics, by hand. */
class LearningSpeedTest {

  /** Rows of a run with {@code k} steps and the given seconds per epoch. */
  private static List<EpochMetrics> run(long k, double[] seconds, double... accuracies) {
    List<EpochMetrics> rows = new ArrayList<>();
    for (int e = 0; e < accuracies.length; e++) {
      rows.add(new EpochMetrics(e + 1, 1.0, 1.0, accuracies[e], 0.1, seconds[e], (e + 1) * k, Double.NaN));
    }
    return rows;
  }

  @Test
  void theFirstEpochAtOrAboveTheTargetGivesItsStepAndTheSecondsSoFar() {
    List<EpochMetrics> rows = run(390, new double[] {10, 10, 10, 10}, 0.5, 0.8, 0.92, 0.95);
    LearningSpeed.Reached reached = LearningSpeed.reached(rows, 0.9).orElseThrow();
    assertThat(reached.epoch()).isEqualTo(3);
    assertThat(reached.step()).isEqualTo(3 * 390);
    assertThat(reached.seconds()).isEqualTo(30.0);
    // Uneven epochs: the wall clock is the sum of the epochs' own seconds, 12 + 8 = 20.
    assertThat(LearningSpeed.reached(run(100, new double[] {12, 8, 9}, 0.5, 0.9, 0.99), 0.9).orElseThrow().seconds())
        .isEqualTo(20.0);
    // Exactly the target counts as reaching it.
    assertThat(LearningSpeed.reached(rows, 0.95).orElseThrow().epoch()).isEqualTo(4);
  }

  @Test
  void aRunThatNeverReachesTheTargetHasNoEpochForIt() {
    List<EpochMetrics> rows = run(100, new double[] {10, 10, 10, 10}, 0.5, 0.6, Double.NaN, 0.8);
    assertThat(LearningSpeed.reached(rows, 0.9)).isEmpty();
    assertThat(LearningSpeed.reached(List.of(), 0.9)).isEmpty();
  }

  @Test
  void theAreaIsTheMeanAccuracyOverThePlannedEpochsWithMissingEpochsAsZero() {
    List<EpochMetrics> full = run(100, new double[] {10, 10, 10, 10}, 0.5, 0.8, 0.92, 0.95);
    assertThat(LearningSpeed.area(full, 4)).isCloseTo((0.5 + 0.8 + 0.92 + 0.95) / 4, offset(1e-12));
    // Diverged after 2 of 4 planned epochs: epochs 3 and 4 count as 0.
    List<EpochMetrics> diverged = run(100, new double[] {10, 10}, 0.6, 0.91);
    assertThat(LearningSpeed.area(diverged, 4)).isCloseTo((0.6 + 0.91) / 4, offset(1e-12));
    // A NaN accuracy (a diverged evaluation) counts as 0 too.
    assertThat(LearningSpeed.area(run(100, new double[] {1, 1}, 0.5, Double.NaN), 2)).isCloseTo(0.25, offset(1e-12));
    assertThat(LearningSpeed.area(List.of(), 4)).isEqualTo(0.0);
    assertThat(LearningSpeed.area(full, 0)).as("no plan: the epochs recorded").isCloseTo(0.7925, offset(1e-12));
  }

  @Test
  void targetsAreFractionsAndPercentagesAreRefused() {
    assertThat(LearningSpeed.checkTarget(0.9)).isEqualTo(0.9);
    assertThat(LearningSpeed.checkTarget(1.0)).isEqualTo(1.0);
    assertThatThrownBy(() -> LearningSpeed.checkTarget(90)).hasMessage(
        "target 90 is not a fraction: give accuracies as fractions in (0, 1], e.g. 0.9 for 90%");
    assertThatThrownBy(() -> LearningSpeed.checkTarget(0)).hasMessageContaining("(0, 1]");
    assertThatThrownBy(() -> LearningSpeed.checkTarget(Double.NaN)).hasMessageContaining("(0, 1]");
  }

  @Test
  void statisticsAreTheMeanTheSampleStandardDeviationAndTheRange() {
    Stats stats = Stats.of(List.of(0.90, 0.92, 0.94));
    assertThat(stats.n()).isEqualTo(3);
    assertThat(stats.mean()).isCloseTo(0.92, offset(1e-12));
    assertThat(stats.sd()).isCloseTo(0.02, offset(1e-12));
    assertThat(stats.min()).isEqualTo(0.90);
    assertThat(stats.max()).isEqualTo(0.94);
    Stats one = Stats.of(List.of(3.0));
    assertThat(one.mean()).isEqualTo(3.0);
    assertThat(one.sd()).as("undefined for one value").isNaN();
    Stats none = Stats.of(List.of());
    assertThat(none.n()).isZero();
    assertThat(none.mean()).isNaN();
  }
}
