package superconv.training.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.List;

/**
 * Typed reads of one table's keys. Jackson's tree says each value's TOML type; a value of the wrong type or out of
 * range is a problem added to the manifest's list and reads as a harmless stand-in, so that the checks go on and
 * one refusal lists every problem.
 */
final class Settings {

  private final ObjectNode table;
  private final String where;
  private final List<String> problems;

  Settings(ObjectNode table, String where, List<String> problems) {
    this.table = table;
    this.where = where;
    this.problems = problems;
  }

  /** Reports keys outside {@code allowed}; true when there were any. */
  static boolean unknownKeys(JsonNode table, Collection<String> allowed, String where, List<String> problems) {
    boolean any = false;
    var fields = table.fieldNames();
    while (fields.hasNext()) {
      String key = fields.next();
      if (!allowed.contains(key)) {
        problems.add(where + ": unknown key \"" + key + "\"" + Suggestions.didYouMean(key, allowed)
            + "; valid keys: " + String.join(", ", allowed));
        any = true;
      }
    }
    return any;
  }

  /** One of the enum's values, by its id; null after a problem. */
  <E extends Enum<E>> E choice(Schema.Choice<E> choice) {
    String value = text(choice.key());
    if (value == null) {
      return null;
    }
    E found = choice.find(value).orElse(null);
    if (found == null) {
      problems.add(where + ": unknown " + choice.key() + " \"" + value + "\""
          + Suggestions.didYouMean(value, choice.ids()) + "; valid: " + String.join(", ", choice.ids()));
    }
    return found;
  }

  boolean bool(String key) {
    JsonNode node = table.get(key);
    if (node == null || !node.isBoolean()) {
      problems.add(where + ": " + key + " must be true or false, got " + TomlValues.describe(node));
      return false;
    }
    return node.asBoolean();
  }

  String text(String key) {
    JsonNode node = table.get(key);
    if (node == null || !node.isTextual()) {
      problems.add(where + ": " + key + " must be a string, got " + TomlValues.describe(node));
      return null;
    }
    return node.asText();
  }

  /** An integer in {@code [min, max]}; {@code min} after a problem. */
  int integer(String key, int min, int max) {
    return integer(key, min, max, "");
  }

  /** As {@link #integer(String, int, int)}; {@code whyMax} says why a larger value is refused. */
  int integer(String key, int min, int max, String whyMax) {
    JsonNode node = table.get(key);
    // 1e9 is a float in TOML: too large is the more useful thing to say about it than not an integer.
    if (node != null && node.isNumber() && max < Integer.MAX_VALUE && node.doubleValue() > max) {
      problems.add(where + ": " + key + " is " + GridExpansion.format(node) + " but may be at most " + max + whyMax);
      return min;
    }
    if (node == null || !node.isIntegralNumber() || !node.canConvertToInt()) {
      problems.add(where + ": " + key + " must be an integer, got " + TomlValues.describe(node));
      return min;
    }
    int value = node.intValue();
    if (value < min) {
      problems.add(where + ": " + key + " is " + value + " but must be at least " + min
          + (key.equals("epochs") ? " (a run trains at least one epoch)" : ""));
      return min;
    }
    if (value > max) {
      problems.add(where + ": " + key + " is " + value + " but may be at most " + max + whyMax);
      return min;
    }
    return value;
  }

  long longInteger(String key) {
    JsonNode node = table.get(key);
    if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()) {
      problems.add(where + ": " + key + " must be an integer, got " + TomlValues.describe(node));
      return 0;
    }
    return node.longValue();
  }

  double number(String key) {
    JsonNode node = table.get(key);
    Object value = node == null ? null : TomlValues.javaValue(node);
    if (!(value instanceof Number n)) {
      problems.add(where + ": " + key + " must be a number, got " + TomlValues.describe(node));
      return 0;
    }
    return n.doubleValue();
  }
}
