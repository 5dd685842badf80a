package superconv.training.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Conversions between the TOML tree Jackson reads and the plain values a run keeps and messages show. */
final class TomlValues {

  private TomlValues() {}

  /**
   * A TOML value as a plain Java value: Long for integers, Double for floats (TOML's inf and nan included, which
   * Jackson's TOML reader hands over as the strings "Infinity", "-Infinity" and "NaN"), Boolean, String, and
   * List/Map for arrays and tables.
   */
  static Object javaValue(JsonNode node) {
    if (node.isIntegralNumber()) {
      return node.longValue();
    } else if (node.isNumber()) {
      return node.doubleValue();
    } else if (node.isBoolean()) {
      return node.booleanValue();
    } else if (node.isTextual()) {
      return switch (node.asText()) {
        case "Infinity" -> Double.POSITIVE_INFINITY;
        case "-Infinity" -> Double.NEGATIVE_INFINITY;
        case "NaN" -> Double.NaN;
        default -> node.asText();
      };
    } else if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(item -> list.add(javaValue(item)));
      return List.copyOf(list);
    } else if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.fields().forEachRemaining(e -> map.put(e.getKey(), javaValue(e.getValue())));
      return Collections.unmodifiableMap(map);
    }
    return null;
  }

  /** A built-in default as a tree value. */
  static JsonNode node(Object value) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (value == null) {
      return f.nullNode();
    } else if (value instanceof Integer i) {
      return f.numberNode(i);
    } else if (value instanceof Double d) {
      return f.numberNode(d);
    } else if (value instanceof Boolean b) {
      return f.booleanNode(b);
    }
    return f.textNode(value.toString());
  }

  /** A value as a message quotes it. */
  static String describe(JsonNode node) {
    if (node == null || node.isNull()) {
      return "nothing";
    }
    return node.isTextual() ? "\"" + node.asText() + "\"" : node.toString();
  }

  static boolean isSet(JsonNode table, String key) {
    return table.has(key) && !table.get(key).isNull();
  }
}
