package superconv.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulesTest {

  private static final RunLength THESIS = new RunLength(100, 390);

  private static Schedule of(Map<String, ?> table, RunLength run) {
    return Schedules.fromTable(table, run);
  }

  @Test
  void twentyFiveCycleIsPyTorchCyclicLrBitForBit() {
    Schedule s = of(Map.of("type", "triangular", "min", 0.001, "max", 1.0, "cycle_epochs", 25), THESIS);
    // Produced with Debian python3-torch 1.13 (/usr/bin/python3): SGD lr=0.001 over one parameter,
    // CyclicLR(base_lr=0.001, max_lr=1.0, step_size_up=4875, mode="triangular", cycle_momentum=False), reading
    // param_groups[0]["lr"] before each optimizer.step(); scheduler.step() after it; repr() of the floats.
    Map<Long, Double> torch = Map.ofEntries(
        Map.entry(0L, 0.001), Map.entry(1L, 0.001204923076922952), Map.entry(2L, 0.0014098461538463477),
        Map.entry(100L, 0.02149230769230762), Map.entry(4874L, 0.999795076923077), Map.entry(4875L, 1.0),
        Map.entry(4876L, 0.9997950769230766), Map.entry(9749L, 0.0012049230769233957), Map.entry(9750L, 0.001),
        Map.entry(9751L, 0.0012049230769225084), Map.entry(12345L, 0.5327753846153847), Map.entry(24375L, 1.0),
        Map.entry(29250L, 0.001), Map.entry(38999L, 0.0012049230769225084));
    torch.forEach((j, lr) -> assertThat(s.rate(j)).as("iteration %d", j).isEqualTo(lr));

    // Every iteration of the run against the closed form of issue 4 (PyTorch's formula), in double.
    double cycle = 25 * 390;
    for (long j = 0; j < THESIS.iterations(); j++) {
      double c = Math.floor(1 + j / cycle);
      double x = 1 + j / cycle - c;
      double scale = x <= 0.5 ? x / 0.5 : (x - 1) / (0.5 - 1);
      assertThat(s.rate(j)).isEqualTo(0.001 + (1.0 - 0.001) * scale);
    }
  }

  @Test
  void fractionalCycleMatchesPyTorch() {
    Schedule s = of(Map.of("type", "triangular", "min", 0.01, "max", 3.0, "cycle_epochs", 2.5), THESIS);
    // python3-torch 1.13: CyclicLR(base_lr=0.01, max_lr=3.0, step_size_up=487.5, mode="triangular"), as above.
    assertThat(s.rate(0)).isEqualTo(0.01);
    assertThat(s.rate(487)).isEqualTo(2.9969333333333337);
    assertThat(s.rate(488)).isEqualTo(2.9969333333333337);
    assertThat(s.rate(974)).isEqualTo(0.016133333333333576);
    assertThat(s.rate(975)).isEqualTo(0.01);
    assertThat(s.rate(976)).isEqualTo(0.01613333333333225);
    assertThat(s.rate(1462)).isEqualTo(2.9969333333333337);
    assertThat(s.rate(1999)).isEqualTo(0.3105333333333334);
  }

  @Test
  void oneCycleOverTheRunHasTheSpecialPointsOfEquations222To224() {
    long n = 1001; // odd, as eq. 2.23 asks; iterations counted from 0 here, from 1 in the thesis
    Schedule s = of(Map.of("type", "triangular", "min", 0.001, "max", 1.0, "cycle_iterations", n - 1),
        RunLength.ofIterations(n));
    assertThat(s.rate(0)).isEqualTo(0.001);
    assertThat(s.rate((n - 1) / 2)).isEqualTo(1.0);
    assertThat(s.rate(n - 1)).isEqualTo(0.001);
    // eq. 2.21: linear in between, e.g. a quarter of the way up.
    assertThat(s.rate(250)).isCloseTo(0.001 + 0.5 * 0.999, within(1e-15));
  }

  @Test
  void asymmetricCyclesAndDecayingPeaks() {
    Schedule s = of(Map.of("type", "triangular", "min", 0.0, "max", 1.0, "cycle_iterations", 100,
        "up_fraction", 0.1, "peak_decay", 0.5), RunLength.ofIterations(300));
    assertThat(s.rate(5)).isCloseTo(0.5, within(1e-15));
    assertThat(s.rate(10)).isCloseTo(1.0, within(1e-15));
    assertThat(s.rate(55)).isCloseTo(0.5, within(1e-15)); // 45 of 90 down
    assertThat(s.rate(110)).isCloseTo(0.5, within(1e-15));
    assertThat(s.rate(210)).isCloseTo(0.25, within(1e-15));
  }

  @Test
  void oneCycleRisesFallsAndAnnihilatesWithOppositeMomentum() {
    assertThat(of(Map.of("type", "one-cycle", "min", 0.1, "max", 1.0, "cycle_fraction", 0.8), RunLength.ofIterations(101))
        .toTable()).containsEntry("cycle_iterations", 0.8 * 101);
    Schedule s = of(Map.of("type", "one-cycle", "min", 0.1, "max", 1.0, "cycle_iterations", 80, "final_div", 10,
        "momentum_max", 0.95, "momentum_min", 0.85), RunLength.ofIterations(101));
    assertThat(s.rate(0)).isEqualTo(0.1);
    assertThat(s.rate(40)).isCloseTo(1.0, within(1e-15));
    assertThat(s.rate(80)).isCloseTo(0.1, within(1e-15));
    assertThat(s.rate(90)).isCloseTo(0.1 - 0.09 * 0.5, within(1e-15));
    assertThat(s.rate(100)).isCloseTo(0.01, within(1e-15));
    assertThat(s.hasMomentum()).isTrue();
    assertThat(s.momentum(0).getAsDouble()).isEqualTo(0.95);
    assertThat(s.momentum(40).getAsDouble()).isCloseTo(0.85, within(1e-15));
    assertThat(s.momentum(95).getAsDouble()).isEqualTo(0.95);
    assertThat(s.toTable()).containsEntry("cycle_iterations", 80.0).containsEntry("momentum_min", 0.85);
  }

  @Test
  void exponentialGammaFromEndOrGiven() {
    ExponentialSchedule s = (ExponentialSchedule) of(
        Map.of("type", "exponential", "start", 1.0, "end", 0.001), THESIS);
    assertThat(s.gamma()).isCloseTo(0.99982289, within(5e-9));
    assertThat(s.rate(0)).isEqualTo(1.0);
    assertThat(s.rate(THESIS.iterations())).isCloseTo(0.001, within(1e-15));
    // The thesis took n = 100 * 50000 / 128 = 39062.5 (eq. 4.1, 4.2): its gammas follow from that n.
    assertThat(Math.pow(0.001, 1 / 39062.5)).isCloseTo(0.9998231771, within(5e-11));
    assertThat(Math.pow(0.001 / 3.0, 1 / 39062.5)).isCloseTo(0.99979505799, within(5e-12));
    Schedule thesis = of(Map.of("type", "exponential", "start", 3, "gamma", 0.99979505799), THESIS);
    assertThat(thesis.rate(2)).isEqualTo(3 * 0.99979505799 * 0.99979505799);
  }

  @Test
  void randomIsUniformFreshAndReproducible() {
    Schedule s = of(Map.of("type", "random", "min", 0.001, "max", 1.0, "seed", 7), THESIS);
    Schedule same = of(Map.of("type", "random", "min", 0.001, "max", 1.0, "seed", 7L), THESIS);
    Schedule other = of(Map.of("type", "random", "min", 0.001, "max", 1.0, "seed", 8), THESIS);
    double sum = 0;
    int below = 0;
    int n = 20000;
    for (long j = 0; j < n; j++) {
      double r = s.rate(j);
      assertThat(r).isBetween(0.001, 1.0);
      assertThat(same.rate(j)).isEqualTo(r);
      sum += r;
      below += r < 0.001 + 0.999 / 4 ? 1 : 0;
    }
    assertThat(sum / n).isCloseTo(0.5005, within(0.01));
    assertThat(below / (double) n).isCloseTo(0.25, within(0.01));
    assertThat(s.rate(1)).isNotEqualTo(s.rate(2));
    assertThat(other.rate(1)).isNotEqualTo(s.rate(1));
  }

  @Test
  void cosineAnnealsAndRestarts() {
    Schedule plain = of(Map.of("type", "cosine", "max", 1.0), RunLength.ofIterations(100));
    assertThat(plain.rate(0)).isEqualTo(1.0);
    assertThat(plain.rate(50)).isCloseTo(0.5, within(1e-15));
    assertThat(plain.rate(99)).isCloseTo((1 + Math.cos(Math.PI * 0.99)) / 2, within(1e-15));
    Schedule restarts = of(Map.of("type", "cosine", "min", 0.1, "max", 1.0, "cycle_iterations", 10, "cycle_mult", 2,
        "peak_decay", 0.5), RunLength.ofIterations(100));
    assertThat(restarts.rate(5)).isCloseTo(0.55, within(1e-15));
    assertThat(restarts.rate(10)).isCloseTo(0.1 + 0.45, within(1e-15)); // restart with the peak halved
    assertThat(restarts.rate(20)).isCloseTo(0.1 + 0.45 / 2, within(1e-15)); // half of the 20-long second cycle
    assertThat(restarts.rate(30)).isCloseTo(0.1 + 0.225, within(1e-15)); // third cycle starts at 10 + 20
  }

  @Test
  void sequenceRunsEachPartFromItsOwnStart() {
    Schedule s = of(Map.of("type", "sequence", "parts", List.of(
        Map.of("epochs", 2, "schedule", Map.of("type", "constant", "lr", 0.5)),
        Map.of("schedule", Map.of("type", "triangular", "min", 0.0, "max", 1.0, "cycle_epochs", 2)))),
        new RunLength(5, 10));
    assertThat(s.rate(19)).isEqualTo(0.5);
    assertThat(s.rate(20)).isEqualTo(0.0);
    assertThat(s.rate(30)).isEqualTo(1.0);
    assertThat(s.rate(49)).isCloseTo(0.9, within(1e-15)); // 9 of the second 20-iteration cycle: 0.45 of the way
    assertThat(((SequenceSchedule) s).parts().get(1).iterations()).isEqualTo(30);
  }

  @Test
  void partsOfAnyLengthConvertEpochKeysWithTheRunsEpochLength() {
    Schedule s = of(Map.of("type", "sequence", "parts", List.of(
        Map.of("iterations", 15, "schedule", Map.of("type", "triangular", "min", 0.0, "max", 1.0, "cycle_epochs", 1)),
        Map.of("schedule", Map.of("type", "constant", "lr", 0.1)))), new RunLength(3, 10));
    assertThat(s.rate(5)).isEqualTo(1.0); // a 10-iteration cycle peaks at 5
    assertThat(s.rate(15)).isEqualTo(0.1);
  }

  @Test
  void toTableGivesBackAnEqualSchedule() {
    RunLength run = new RunLength(10, 39);
    List<Map<String, Object>> tables = List.of(
        Map.of("type", "constant", "lr", 0.1),
        Map.of("type", "triangular", "min", 0.001, "max", 1, "cycle_epochs", 2.5),
        Map.of("type", "one-cycle", "min", 0.01, "max", 1.0, "momentum_max", 0.95, "momentum_min", 0.85),
        Map.of("type", "exponential", "start", 1.0, "end", 0.001),
        Map.of("type", "random", "min", 0.001, "max", 1.0),
        Map.of("type", "cosine", "max", 0.1, "cycle_epochs", 3, "cycle_mult", 2),
        Map.of("type", "range-test", "start", 1e-5, "end", 10, "mode", "linear"),
        Map.of("type", "sequence", "parts", List.of(
            Map.of("epochs", 3, "schedule", Map.of("type", "constant", "lr", 0.5)),
            Map.of("schedule", Map.of("type", "cosine", "max", 1.0)))));
    for (Map<String, Object> table : tables) {
      Schedule s = of(table, run);
      assertThat(of(s.toTable(), run)).as(table.toString()).isEqualTo(s);
      assertThat(s.toTable()).containsEntry("type", table.get("type"));
    }
    assertThat(of(tables.get(2), run).toTable()).containsEntry("final_div", 100.0);
    assertThat(of(tables.get(1), run).toTable()).containsEntry("cycle_iterations", 97.5)
        .containsEntry("up_fraction", 0.5).containsEntry("peak_decay", 1.0);
  }

  @Test
  void rangeTestGrowsFromStartToEndAsItsClosedFormsThenStays() {
    // Exponential: start * (end / start)^(j / (N - 1)); the default N is the run.
    Schedule exp = of(Map.of("type", "range-test", "start", 1e-5, "end", 10), RunLength.ofIterations(101));
    assertThat(exp.toTable()).containsEntry("iterations", 101L).containsEntry("mode", "exponential");
    for (long j = 0; j <= 100; j++) {
      assertThat(exp.rate(j)).as("iteration %d", j).isCloseTo(1e-5 * Math.pow(1e6, j / 100.0), within(1e-12 * exp.rate(j)));
    }
    assertThat(exp.rate(0)).isEqualTo(1e-5);
    assertThat(exp.rate(50)).isCloseTo(1e-2, within(1e-15));
    assertThat(exp.rate(100)).isEqualTo(10.0);
    assertThat(exp.rate(500)).isEqualTo(10.0);

    // Linear over an explicit N shorter than the run, constant at end afterwards.
    Schedule lin = of(Map.of("type", "range-test", "start", 0.001, "end", 1.0, "iterations", 11, "mode", "linear"),
        new RunLength(10, 39));
    for (long j = 0; j <= 10; j++) {
      assertThat(lin.rate(j)).isCloseTo(0.001 + 0.999 * j / 10.0, within(1e-15));
    }
    assertThat(lin.rate(11)).isEqualTo(1.0);
    assertThat(lin.rate(389)).isEqualTo(1.0);

    assertThatThrownBy(() -> of(Map.of("type", "range-test", "start", 1.0, "end", 0.1), THESIS))
        .hasMessage("schedule: end = 0.1 is not allowed: expected a finite rate > start (1.0)");
    assertThatThrownBy(() -> of(Map.of("type", "range-test", "start", 1e-5, "end", 1, "mode", "log"), THESIS))
        .hasMessage("schedule: mode = \"log\" is not known; valid: exponential, linear");
    assertThatThrownBy(() -> of(Map.of("type", "range-test", "start", 1e-5, "end", 1, "iterations", 1), THESIS))
        .hasMessageContaining("iterations = 1 is not allowed: expected at least 2 iterations");
  }

  @Test
  void messagesNameTheKeyTheValueAndWhatIsAllowed() {
    assertThatThrownBy(() -> of(Map.of("type", "triangle"), THESIS))
        .hasMessage("schedule: type = \"triangle\" is not known; valid: constant, triangular, one-cycle, "
            + "exponential, random, cosine, range-test, sequence");
    assertThatThrownBy(() -> of(Map.of("type", "constant", "lr", 0.1, "rate", 2), THESIS))
        .hasMessage("schedule: unknown key 'rate'; valid keys: lr, type");
    assertThatThrownBy(() -> of(Map.of("type", "triangular", "min", 1.0, "max", 0.1, "cycle_epochs", 25), THESIS))
        .hasMessageContaining("schedule: max = 0.1 is not allowed: expected a finite rate > min (1.0)");
    assertThatThrownBy(() -> of(Map.of("type", "triangular", "min", 0.1, "max", 1, "cycle_iterations", 1), THESIS))
        .hasMessageContaining("schedule: cycle_iterations = 1 is not allowed: expected a cycle of at least 2 iterations");
    assertThatThrownBy(() -> of(Map.of("type", "triangular", "min", 0.1, "max", 1), THESIS))
        .hasMessageContaining("missing key 'cycle_epochs' or 'cycle_iterations'");
    assertThatThrownBy(() -> of(Map.of("type", "triangular", "min", 0.1, "max", 1, "cycle_epochs", 2,
        "cycle_iterations", 4), THESIS)).hasMessageContaining("not both");
    assertThatThrownBy(() -> of(Map.of("type", "triangular", "min", "low", "max", 1, "cycle_epochs", 2), THESIS))
        .hasMessage("schedule: min = \"low\" is not allowed: expected a number");
    assertThatThrownBy(() -> of(Map.of("type", "exponential", "start", 1.0, "end", 0.1, "gamma", 0.9), THESIS))
        .hasMessageContaining("exactly one of end");
    assertThatThrownBy(() -> of(Map.of("type", "exponential", "start", -1.0, "gamma", 0.9), THESIS))
        .hasMessage("schedule: start = -1.0 is not allowed: expected a finite number > 0");
    assertThatThrownBy(() -> of(Map.of("type", "sequence", "parts", List.of(
        Map.of("epochs", 30, "schedule", Map.of("type", "constant", "lr", 0.5)),
        Map.of("epochs", 30, "schedule", Map.of("type", "constant", "lr", 0.1)))), THESIS))
        .hasMessageContaining("schedule: the parts cover 23400 iterations but the run has 39000");
    assertThatThrownBy(() -> of(Map.of("type", "sequence", "parts", List.of(
        Map.of("epochs", 30, "schedule", Map.of("type", "constant", "lr", -0.5)))), THESIS))
        .hasMessageContaining("schedule.parts[0].schedule: lr = -0.5 is not allowed");
    assertThatThrownBy(() -> of(Map.of("type", "one-cycle", "min", 0.1, "max", 1, "momentum_max", 0.9), THESIS))
        .hasMessageContaining("both momentum_max and momentum_min");
  }
}
