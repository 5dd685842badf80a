package superconv.training.manifest;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An optimizer or schedule as the manifest names it: a {@code type} and its parameters, in the order written
 * (TOML inline table {@code { type = "triangular", min = 0.001, max = 1.0, cycle_epochs = 25 }}). Parameter
 * values are plain Java values: Long for integers, Double for floats (TOML's inf included), Boolean, String,
 * and List/Map for nested tables.
 */
public record Component(String type, Map<String, Object> params) {

  public Component {
    params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /** The table as written: {@code type} first, then the parameters. */
  @JsonValue
  public Map<String, Object> table() {
    Map<String, Object> table = new LinkedHashMap<>();
    table.put("type", type);
    table.putAll(params);
    return java.util.Collections.unmodifiableMap(table);
  }

  public boolean has(String key) {
    return params.containsKey(key);
  }

  /** A numeric parameter as a double, or {@code fallback} when absent. */
  public double number(String key, double fallback) {
    Object value = params.get(key);
    return value instanceof Number n ? n.doubleValue() : fallback;
  }
}
