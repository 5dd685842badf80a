package superconv.optimizers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptimizersTableTest {

  @Test
  void defaultsAreFilledInAndTablesRoundTrip() {
    assertThat(Optimizers.fromTable(Map.of("type", "sgd")).toTable())
        .isEqualTo(Map.of("type", "sgd", "momentum", 0.0, "nesterov", false, "weight_decay", 0.0));
    assertThat(Optimizers.fromTable(Map.of("type", "adam")).toTable())
        .isEqualTo(Map.of("type", "adam", "beta1", 0.9, "beta2", 0.999, "epsilon", 1e-8));
    assertThat(Optimizers.fromTable(Map.of("type", "cus-adam")))
        .isEqualTo(new AdamOptimizer.Spec(0.9, 0.999, 1e-8, false));
    assertThat(Optimizers.fromTable(Map.of("type", "simple-adasecant")).toTable())
        .containsEntry("threshold", Double.POSITIVE_INFINITY);
    for (Map<String, Object> table : List.<Map<String, Object>>of(
        Map.of("type", "sgd", "momentum", 0.9, "nesterov", true, "weight_decay", 5e-4),
        Map.of("type", "cus-adam", "beta1", 0.8),
        Map.of("type", "simple-adasecant", "threshold", 10),
        Map.of("type", "adasecant"),
        switching())) {
      OptimizerSpec spec = Optimizers.fromTable(table);
      assertThat(Optimizers.fromTable(spec.toTable())).as(table.toString()).isEqualTo(spec);
    }
  }

  @Test
  void theAdaSecantVariantsAndSwitchesToThemUseTheNativeKernels() {
    assertThat(Optimizers.fromTable(Map.of("type", "adasecant")).usesNativeKernels()).isTrue();
    assertThat(Optimizers.fromTable(Map.of("type", "simple-adasecant")).usesNativeKernels()).isTrue();
    assertThat(Optimizers.fromTable(switching()).usesNativeKernels()).isTrue();
    assertThat(Optimizers.fromTable(Map.of("type", "sgd")).usesNativeKernels()).isFalse();
    assertThat(Optimizers.fromTable(Map.of("type", "adam")).usesNativeKernels()).isFalse();
  }

  private static Map<String, Object> switching() {
    return Map.of("type", "switching", "phases", List.of(
        Map.of("epochs", 13, "optimizer", Map.of("type", "sgd"),
            "schedule", Map.of("type", "triangular", "min", 0.001, "max", 1.0, "cycle_epochs", 25)),
        Map.of("optimizer", Map.of("type", "simple-adasecant", "threshold", 10))));
  }

  @Test
  void switchingAsInTheThesisFigure421() {
    OptimizerSpec spec = Optimizers.fromTable(switching());
    assertThat(spec.needsNextBatch()).isFalse();
    assertThat(spec.usesRate()).isTrue();
    RunLength run = new RunLength(100, 390);
    Schedule schedule = Optimizers.schedule(spec, null, run);
    assertThat(schedule.rate(0)).isEqualTo(0.001);
    assertThat(schedule.rate(13 * 390 - 1)).isGreaterThan(0.9);
    assertThat(schedule.rate(13 * 390)).isEqualTo(0.0);
    assertThatThrownBy(() -> Optimizers.schedule(spec, Map.of("type", "constant", "lr", 0.1), run))
        .hasMessageContaining("its phases carry their own schedules");
  }

  @Test
  void aSwitchingSpecBuiltFromPhasesIsTheOneItsTableGives() {
    Map<String, Object> triangular = Map.of("type", "triangular", "min", 0.001, "max", 1.0, "cycle_epochs", 25);
    SwitchingSpec typed = new SwitchingSpec(List.of(
        new OptimizerPhase(13L, new SgdOptimizer.Spec(0, false, 0), triangular),
        new OptimizerPhase(null, new SimpleAdaSecantOptimizer.Spec(10), null)));
    assertThat(typed).isEqualTo(Optimizers.fromTable(switching()));
    assertThat(typed.startEpoch(1)).isEqualTo(13);
    RunLength run = new RunLength(100, 390);
    assertThat(Optimizers.schedule(typed, null, run))
        .isEqualTo(Optimizers.schedule(Optimizers.fromTable(switching()), null, run));

    assertThatThrownBy(() -> new OptimizerPhase(13L, new SgdOptimizer.Spec(0, false, 0), null))
        .hasMessage("missing key 'schedule': sgd uses the fed learning rate");
    assertThatThrownBy(() -> new OptimizerPhase(1L, typed, null))
        .hasMessage("a phase cannot itself be a switching optimizer");
    assertThatThrownBy(() -> new SwitchingSpec(List.of(
        new OptimizerPhase(null, new AdaSecantOptimizer.Spec(), null),
        new OptimizerPhase(null, new AdaSecantOptimizer.Spec(), null))))
        .hasMessage("phases[0]: missing key 'epochs' (only the last phase may omit it: it runs to the end)");
    assertThatThrownBy(() -> new SwitchingSpec(
        List.of(new OptimizerPhase(null, new AdaSecantOptimizer.Spec(), null))))
        .hasMessage("phases lists 1 phase; switching needs at least 2");
  }

  @Test
  void scheduleResolution() {
    RunLength run = new RunLength(10, 10);
    OptimizerSpec sgd = Optimizers.fromTable(Map.of("type", "sgd"));
    assertThatThrownBy(() -> Optimizers.schedule(sgd, null, run)).hasMessageContaining("needs a learning-rate schedule");
    assertThat(Optimizers.schedule(Optimizers.fromTable(Map.of("type", "adasecant")), null, run).rate(5)).isEqualTo(0.0);
    Map<String, Object> oneCycle = Map.of("type", "one-cycle", "min", 0.01, "max", 1.0, "momentum_max", 0.95,
        "momentum_min", 0.85);
    assertThat(Optimizers.schedule(sgd, oneCycle, run).hasMomentum()).isTrue();
    assertThatThrownBy(() -> Optimizers.schedule(Optimizers.fromTable(Map.of("type", "simple-adasecant")), oneCycle, run))
        .hasMessageContaining("cycles the momentum, but optimizer simple-adasecant has none to cycle");
  }

  @Test
  void messagesNameTheKeyTheValueAndWhatIsAllowed() {
    assertThatThrownBy(() -> Optimizers.fromTable(Map.of("type", "rmsprop")))
        .hasMessage("optimizer: type = \"rmsprop\" is not known; valid: sgd, adam, cus-adam, simple-adasecant, "
            + "adasecant, switching");
    assertThatThrownBy(() -> Optimizers.fromTable(Map.of("type", "sgd", "lr", 0.1)))
        .hasMessage("optimizer: unknown key 'lr'; valid keys: momentum, nesterov, type, weight_decay");
    assertThatThrownBy(() -> Optimizers.fromTable(Map.of("type", "sgd", "momentum", 1.5)))
        .hasMessage("optimizer: momentum = 1.5 is not allowed: expected a number in [0, 1)");
    assertThatThrownBy(() -> Optimizers.fromTable(Map.of("type", "sgd", "nesterov", "yes")))
        .hasMessage("optimizer: nesterov = \"yes\" is not allowed: expected true or false");
    assertThatThrownBy(() -> Optimizers.fromTable(Map.of("type", "sgd", "nesterov", true)))
        .hasMessageContaining("nesterov = true is not allowed with momentum = 0");
    assertThatThrownBy(() -> Optimizers.fromTable(Map.of("type", "adam", "epsilon", 0)))
        .hasMessage("optimizer: epsilon = 0 is not allowed: expected a finite number > 0");
    assertThatThrownBy(() -> Optimizers.fromTable(Map.of("type", "simple-adasecant", "threshold", -1)))
        .hasMessage("optimizer: threshold = -1.0 is not allowed: expected a number > 0 (inf for none)");
    assertThatThrownBy(() -> Optimizers.fromTable(Map.of("type", "switching", "phases", List.of(
        Map.of("optimizer", Map.of("type", "sgd"), "schedule", Map.of("type", "constant", "lr", 0.1)),
        Map.of("optimizer", Map.of("type", "adasecant"))))))
        .hasMessage("optimizer.phases[0]: missing key 'epochs' (only the last phase may omit it: it runs to the end)");
    assertThatThrownBy(() -> Optimizers.fromTable(Map.of("type", "switching", "phases", List.of(
        Map.of("epochs", 3, "optimizer", Map.of("type", "sgd")),
        Map.of("optimizer", Map.of("type", "adasecant"))))))
        .hasMessage("optimizer.phases[0]: missing key 'schedule': sgd uses the fed learning rate");
    assertThatThrownBy(() -> Optimizers.fromTable(Map.of("type", "switching", "phases", List.of(
        Map.of("epochs", 3, "optimizer", Map.of("type", "sgd", "momentum", 2)))))).hasMessageContaining("at least 2");
  }
}
