package superconv.optimizers;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the optimizer and schedule specs share: the checks of their records and their tables. */
final class Specs {

  private Specs() {}

  /** A spec's table as it runs: {@code type}, then the given keys and values in order. */
  static Map<String, Object> table(String type, Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  /** Refuses a spec's values: an IllegalArgumentException with the formatted message unless {@code ok}. */
  static void require(boolean ok, String format, Object... args) {
    if (!ok) {
      throw SpecException.unlocated(String.format(format, args));
    }
  }

  /** As {@link #require}, about the spec's part {@code inside} (e.g. {@code phases[0]}), which the message names. */
  static void requireInside(boolean ok, String inside, String format, Object... args) {
    if (!ok) {
      throw SpecException.unlocatedInside(inside, String.format(format, args));
    }
  }

  /** A schedule's rates: {@code 0 <= min < max}, both finite. */
  static void requireRates(double min, double max) {
    require(Double.isFinite(min) && min >= 0, "min = %s is not allowed: expected a finite rate >= 0", min);
    require(Double.isFinite(max) && max > min, "max = %s is not allowed: expected a finite rate > min (%s)", max, min);
  }

  /**
   * Refuses parameter {@code key} = {@code value} unless {@code ok}: "key = value is not allowed: expected ...",
   * where a table read shows the value as it was written.
   */
  static void requireParameter(boolean ok, String key, Object value, String expected) {
    if (!ok) {
      throw SpecException.parameter(key, value, expected);
    }
  }
}
