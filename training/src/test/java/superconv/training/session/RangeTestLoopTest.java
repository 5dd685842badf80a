package superconv.training.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import superconv.datasets.ImageSet;
import superconv.optimizers.RangeTestSchedule;
import superconv.training.manifest.RunSpec;
import superconv.training.rangetest.EvaluationPlan;
import superconv.training.rangetest.RangeCurve;
import superconv.training.rangetest.RangeTest;

/**
 * The range test through the run's own loop on TrainerTest's tiny network and data: its StopCondition ends the
 * loop after the schedule's N iterations (inside an epoch, across an epoch boundary) or when the loss explodes; an
 * evaluation plan evaluates its test subset every k iterations and nowhere else, and without one nothing is evaluated.
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

  /** 6 steps per epoch: 14 iterations end two steps into the third epoch; epochs end after global steps 5 and 11. */
  private static final RangeTestSchedule FOURTEEN =
      new RangeTestSchedule(1e-3, 1e-1, 14, RangeTestSchedule.Mode.EXPONENTIAL);

  @Test
  void aPlanEvaluatesItsSubsetExactlyEveryKIterationsAndLeavesTheLossesAsTheyAre() throws Exception {
    RunSpec spec = TrainerTest.spec(TrainerTest.CYCLE);
    // 21 of the 40 test images, whose classes hold 14, 13 and 13: shares 7.35, 6.825, 6.825, so 7 each.
    EvaluationPlan plan = EvaluationPlan.of(4, 21, TrainerTest.TEST, spec.seed());
    assertThat(plan.images().labelCounts()).containsExactly(7, 7, 7);
    RangeCurve evaluated = RangeTest.run(spec, DATA, FOURTEEN, Optional.of(plan));
    RangeCurve plain = RangeTest.run(spec, DATA, FOURTEEN);

    assertThat(evaluated.size()).isEqualTo(14);
    // After 4, 8 and 12 steps; not at the epoch end after step 5, and once (not twice) at the one after step 11.
    assertThat(evaluated.accuracies()).extracting(RangeCurve.Accuracy::iteration).containsExactly(3, 7, 11);
    for (RangeCurve.Accuracy a : evaluated.accuracies()) {
      assertThat(a.rate()).isEqualTo(FOURTEEN.rate(a.iteration()));
      assertThat(a.images()).isEqualTo(21);
      assertThat(a.accuracy() * 21).as("a whole number of the 21 images").isCloseTo(Math.rint(a.accuracy() * 21),
          within(1e-9));
      assertThat(a.loss()).isPositive().isFinite();
    }
    assertThat(plain.accuracies()).isEmpty();
    assertThat(evaluated.losses()).as("evaluating changes no step").containsExactly(plain.losses());
  }

  @Test
  void everyEvaluationSeesTheSameSubsetWhetherResidentOrFedFromTheHost() throws Exception {
    RunSpec resident = TrainerTest.spec(TrainerTest.CYCLE);
    RunSpec host = TrainerTest.spec("input = \"host\"\n" + TrainerTest.CYCLE);
    EvaluationPlan plan = EvaluationPlan.of(3, 21, TrainerTest.TEST, resident.seed());
    // Resident data evaluates the copy uploaded once; host-fed input feeds plan.images() slice by slice each time.
    List<RangeCurve.Accuracy> uploaded = RangeTest.run(resident, DATA, FOURTEEN, Optional.of(plan)).accuracies();
    List<RangeCurve.Accuracy> fed = RangeTest.run(host, DATA, FOURTEEN, Optional.of(plan)).accuracies();
    assertThat(uploaded).hasSize(4).hasSameSizeAs(fed);
    for (int i = 0; i < uploaded.size(); i++) {
      assertThat(uploaded.get(i).accuracy()).isEqualTo(fed.get(i).accuracy());
      assertThat(uploaded.get(i).loss()).isCloseTo(fed.get(i).loss(), within(1e-5));
    }
    assertThat(plan.sha256()).isEqualTo(EvaluationPlan.of(3, 21, TrainerTest.TEST, resident.seed()).sha256())
        .isNotEqualTo(EvaluationPlan.of(3, 21, TrainerTest.TEST, resident.seed() + 1).sha256());
  }

  @Test
  void withoutAPlanNothingIsEvaluatedNotEvenAtAnEpochsEnd() throws Exception {
    RunSpec host = TrainerTest.spec("input = \"host\"\n" + TrainerTest.CYCLE);
    // Host-fed evaluation checks the test images against the graph's input: evaluating these 2x2 images at all,
    // at an epoch's end or between, throws.
    ImageSet unusable = new ImageSet("unusable", 2, 2, 1, new byte[5 * 4], new int[5], List.of("a", "b", "c"));
    Trainer.RunData data = new Trainer.RunData(TrainerTest.TRAIN, unusable);
    RangeCurve curve = RangeTest.run(host, data, FOURTEEN);
    assertThat(curve.size()).as("two epoch ends passed").isEqualTo(14);
    assertThat(curve.accuracies()).isEmpty();
    assertThatThrownBy(() -> RangeTest.run(host, data, FOURTEEN, Optional.of(EvaluationPlan.of(7, 5, unusable, 1))))
        .as("the same set, evaluated, does throw").hasMessageContaining("unusable has 2x2x1 images");
  }

  @Test
  void optimizersThatIgnoreTheFedRateAreRefused() throws Exception {
    RunSpec ada = TrainerTest.spec("optimizer = { type = \"adasecant\" }\n");
    assertThatThrownBy(() -> RangeTest.optimizer(ada)).hasMessage("tiny/tiny trains with adasecant, which "
        + "calculates its own rates: a range test needs an optimizer that follows the fed rate (sgd, adam or cus-adam)");
  }
}
