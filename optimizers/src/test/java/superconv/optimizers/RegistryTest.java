package superconv.optimizers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The registries are the only lists of types: what they hold is what the tables accept, in the documented order. */
class RegistryTest {

  /** A minimal valid table of every schedule type, in the documented order. */
  private static final Map<String, Map<String, Object>> SCHEDULES = orderedOf(
      "constant", Map.of("lr", 0.1),
      "triangular", Map.of("min", 0.001, "max", 1.0, "cycle_iterations", 10),
      "one-cycle", Map.of("min", 0.001, "max", 1.0),
      "exponential", Map.of("start", 1.0, "gamma", 0.99),
      "random", Map.of("min", 0.001, "max", 1.0),
      "cosine", Map.of("max", 1.0),
      "range-test", Map.of("start", 1e-5, "end", 10.0),
      "sequence", Map.of("parts", List.of(Map.of("schedule", Map.of("type", "constant", "lr", 0.1)))));

  /** A minimal valid table of every optimizer type, in the documented order. */
  private static final Map<String, Map<String, Object>> OPTIMIZERS = orderedOf(
      "sgd", Map.of(),
      "adam", Map.of(),
      "cus-adam", Map.of(),
      "simple-adasecant", Map.of(),
      "adasecant", Map.of(),
      "switching", Map.of("phases", List.of(
          Map.of("epochs", 1, "optimizer", Map.of("type", "adasecant")),
          Map.of("optimizer", Map.of("type", "sgd"), "schedule", Map.of("type", "constant", "lr", 0.1)))));

  @Test
  void typesAreTheScheduleRegistryInTheDocumentedOrder() {
    assertThat(Schedules.TYPES).containsExactlyElementsOf(Schedules.PARSERS.keySet());
    assertThat(Schedules.TYPES).containsExactlyElementsOf(SCHEDULES.keySet());
  }

  @Test
  void typesAreTheOptimizerRegistryInTheDocumentedOrder() {
    assertThat(Optimizers.TYPES).containsExactlyElementsOf(Optimizers.PARSERS.keySet());
    assertThat(Optimizers.TYPES).containsExactlyElementsOf(OPTIMIZERS.keySet());
  }

  @Test
  void everyRegisteredScheduleReadsItsOwnType() {
    RunLength run = new RunLength(10, 10);
    for (String type : Schedules.TYPES) {
      Schedule schedule = Schedules.fromTable(withType(type, SCHEDULES.get(type)), run);
      assertThat(schedule.type()).as(type).isEqualTo(type);
      assertThat(Schedules.fromTable(schedule.toTable(), run)).as(type).isEqualTo(schedule);
    }
  }

  @Test
  void everyRegisteredOptimizerReadsItsOwnType() {
    for (String type : Optimizers.TYPES) {
      OptimizerSpec spec = Optimizers.fromTable(withType(type, OPTIMIZERS.get(type)));
      assertThat(spec.type()).as(type).isEqualTo(type);
      assertThat(Optimizers.fromTable(spec.toTable())).as(type).isEqualTo(spec);
    }
  }

  private static Map<String, Object> withType(String type, Map<String, Object> rest) {
    Map<String, Object> table = new LinkedHashMap<>(rest);
    table.put("type", type);
    return table;
  }

  private static Map<String, Map<String, Object>> orderedOf(Object... typesAndTables) {
    Map<String, Map<String, Object>> m = new LinkedHashMap<>();
    for (int i = 0; i < typesAndTables.length; i += 2) {
      @SuppressWarnings("unchecked")
      Map<String, Object> table = (Map<String, Object>) typesAndTables[i + 1];
      m.put((String) typesAndTables[i], table);
    }
    return m;
  }
}
