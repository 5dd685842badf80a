package superconv.optimizers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Reads one TOML (inline) table as parsed into a {@code Map<String, Object>} and says precisely what is wrong with
 * it: every message names the table's place ({@code where}, e.g. {@code schedule} or {@code optimizer.phases[1]}),
 * the key, the bad value and what is allowed. Numbers may arrive as Integer, Long, Float, Double or BigInteger /
 * BigDecimal (parsers differ); booleans as Boolean.
 */
public final class Table {

  private final String where;
  private final Map<String, Object> values;

  public Table(String where, Map<String, ?> values) {
    if (values == null) {
      throw SpecException.at(where, "missing table");
    }
    this.where = where;
    this.values = new LinkedHashMap<>(values);
  }

  /** The place of this table in its file, used as the prefix of every message. */
  public String where() {
    return where;
  }

  public boolean has(String key) {
    return values.containsKey(key);
  }

  /** A qualified name for a key, e.g. {@code schedule.cycle_epochs}. */
  public String name(String key) {
    return where + "." + key;
  }

  /** Rejects keys outside {@code allowed}, listing the valid ones. */
  public void allowOnly(Set<String> allowed) {
    for (String key : values.keySet()) {
      if (!allowed.contains(key)) {
        throw SpecException.at(where,
            String.format("unknown key '%s'; valid keys: %s", key, String.join(", ", new TreeSet<>(allowed))));
      }
    }
  }

  public String string(String key) {
    Object value = require(key);
    if (!(value instanceof String s)) {
      throw bad(key, value, "a string");
    }
    return s;
  }

  /** The value of {@code type}: one of {@code valid}, else a message listing them. */
  public String choice(String key, List<String> valid) {
    String value = string(key);
    if (!valid.contains(value)) {
      throw SpecException.at(where,
          String.format("%s = \"%s\" is not known; valid: %s", key, value, String.join(", ", valid)));
    }
    return value;
  }

  public double number(String key) {
    Object value = require(key);
    if (!(value instanceof Number n) || value instanceof Byte) {
      throw bad(key, value, "a number");
    }
    double d = n.doubleValue();
    if (Double.isNaN(d)) {
      throw bad(key, value, "a number (not nan)");
    }
    return d;
  }

  public double number(String key, double fallback) {
    return has(key) ? number(key) : fallback;
  }

  /** A number strictly greater than zero (and finite). */
  public double positive(String key) {
    double d = number(key);
    if (!(d > 0) || Double.isInfinite(d)) {
      throw bad(key, values.get(key), "a finite number > 0");
    }
    return d;
  }

  public long integer(String key) {
    Object value = require(key);
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      return ((Number) value).longValue();
    }
    if (value instanceof java.math.BigInteger b && b.bitLength() < 64) {
      return b.longValue();
    }
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
        && Math.abs(n.doubleValue()) < 0x1p53) {
      return (long) n.doubleValue();
    }
    throw bad(key, value, "a whole number");
  }

  public long positiveInteger(String key) {
    long n = integer(key);
    if (n <= 0) {
      throw bad(key, values.get(key), "a whole number > 0");
    }
    return n;
  }

  public boolean bool(String key, boolean fallback) {
    if (!has(key)) {
      return fallback;
    }
    Object value = values.get(key);
    if (!(value instanceof Boolean b)) {
      throw bad(key, value, "true or false");
    }
    return b;
  }

  /** A nested table. */
  public Table table(String key) {
    Object value = require(key);
    if (!(value instanceof Map<?, ?> map)) {
      throw bad(key, value, "an inline table { ... }");
    }
    return new Table(name(key), stringKeys(map, name(key)));
  }

  /** A list of tables, e.g. {@code parts = [ { ... }, { ... } ]}; named {@code where.key[i]}. */
  public List<Table> tables(String key) {
    Object value = require(key);
    if (!(value instanceof List<?> list) || list.isEmpty()) {
      throw bad(key, value, "a non-empty list of inline tables [ { ... }, ... ]");
    }
    List<Table> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String at = name(key) + "[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> map)) {
        throw SpecException.at(at, show(list.get(i)) + " is not allowed: expected an inline table { ... }");
      }
      out.add(new Table(at, stringKeys(map, at)));
    }
    return out;
  }

  /** The raw map (a copy), for tables passed on unread. */
  public Map<String, Object> map() {
    return new LinkedHashMap<>(values);
  }

  /** The value of {@code key} as the file wrote it, or null. */
  Object raw(String key) {
    return values.get(key);
  }

  /**
   * The spec {@code read} makes of this table's values: a failure the spec's record raises is reported as one of
   * this table, and a parameter it refuses with the value as written here.
   */
  <T> T locate(Supplier<T> read) {
    try {
      return read.get();
    } catch (SpecException e) {
      throw e.locatedIn(this);
    }
  }

  /** A failure for {@code key}: value and what is allowed. */
  public IllegalArgumentException bad(String key, Object value, String allowed) {
    return SpecException.at(where, SpecException.message(key, value, allowed));
  }

  /** A failure about the table as a whole (e.g. two keys that exclude each other). */
  public IllegalArgumentException fail(String message) {
    return SpecException.at(where, message);
  }

  private Object require(String key) {
    Object value = values.get(key);
    if (value == null) {
      throw SpecException.at(where, String.format("missing key '%s'", key));
    }
    return value;
  }

  private static Map<String, Object> stringKeys(Map<?, ?> map, String where) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getKey() instanceof String k)) {
        throw SpecException.at(where, "key " + e.getKey() + " is not a string");
      }
      out.put(k, e.getValue());
    }
    return out;
  }

  static String show(Object value) {
    if (value instanceof String s) {
      return "\"" + s + "\"";
    }
    return String.valueOf(value);
  }

  static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }
}
