package superconv.training.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import superconv.optimizers.RangeTestSchedule;
import superconv.training.manifest.RunSpec;
import superconv.training.rangetest.RangeCurve;
import superconv.training.rangetest.RangeTest;

/**
 * The range test through the run's own loop on TrainerTest's tiny network and data: its StopCondition ends the
 * loop after the schedule's N iterations (inside an epoch, across an epoch boundary) or when the loss explodes.
 */
class RangeTestLoopTest {

  private static final Trainer.RunData DATA = new Trainer.RunData(TrainerTest.TRAIN, TrainerTest.TEST);

  @Test
  void theLoopStopsAfterTheSchedulesIterationsAcrossAnEpochBoundary() throws Exception {
    RunSpec spec = TrainerTest.spec(TrainerTest.CYCLE);
    // 6 steps per epoch: 8 iterations end two steps into the second epoch.
    RangeTestSchedule schedule = new RangeTestSchedule(1e-4, 1e-2, 8, RangeTestSchedule.Mode.LINEAR);
    RangeCurve curve = RangeTest.run(spec, DATA, schedule);
    assertThat(curve.size()).isEqualTo(8);
    assertThat(curve.stop()).isEmpty();
    for (int j = 0; j < 8; j++) {
      assertThat(curve.rates()[j]).isEqualTo(schedule.rate(j));
    }
    assertThat(java.util.Arrays.stream(curve.losses()).allMatch(l -> Double.isFinite(l) && l > 0)).isTrue();
  }

  @Test
  void theLoopStopsEarlyOnceTheLossExplodes() throws Exception {
    RunSpec spec = TrainerTest.spec("optimizer = { type = \"sgd\" }\nschedule = { type = \"constant\", lr = 0.1 }\n");
    RangeCurve curve = RangeTest.run(spec, DATA,
        new RangeTestSchedule(1e-3, 1e6, 60, RangeTestSchedule.Mode.EXPONENTIAL));
    assertThat(curve.size()).isLessThan(60);
    assertThat(curve.stop()).containsAnyOf("exceeded 4x", "not finite");
  }

  @Test
  void optimizersThatIgnoreTheFedRateAreRefused() throws Exception {
    RunSpec ada = TrainerTest.spec("optimizer = { type = \"adasecant\" }\n");
    assertThatThrownBy(() -> RangeTest.optimizer(ada)).hasMessage("tiny/tiny trains with adasecant, which "
        + "calculates its own rates: a range test needs an optimizer that follows the fed rate (sgd, adam or cus-adam)");
  }
}
