package superconv.optimizers;

/**
 * A refused optimizer or schedule parameter. A {@link Table} names its place in the file itself ({@link #located()});
 * a spec record does not know where its values came from, so the table it was read from adds the place, and for a
 * refused parameter ({@link #parameter}) shows the value as the file wrote it (2, not 2.0).
 */
final class SpecException extends IllegalArgumentException {

  private final boolean located;
  /** For a failure inside the spec (e.g. {@code phases[0]}): its place relative to the spec's table, else null. */
  private final String inside;
  private final String detail;
  private final String key;
  private final String expected;

  private SpecException(String where, String inside, String detail, String key, String expected, Throwable cause) {
    super(join(where, inside == null ? detail : join(inside, detail)), cause);
    this.located = where != null;
    this.inside = inside;
    this.detail = detail;
    this.key = key;
    this.expected = expected;
  }

  private static String join(String place, String message) {
    return place == null ? message : place + ": " + message;
  }

  /** A failure whose message starts with its place {@code where}. */
  static SpecException at(String where, String message) {
    return new SpecException(where, null, message, null, null, null);
  }

  /** A spec's own failure, its place not known yet. */
  static SpecException unlocated(String message) {
    return new SpecException(null, null, message, null, null, null);
  }

  /** A spec's failure about its part {@code inside} (e.g. {@code phases[0]}), the spec's place not known yet. */
  static SpecException unlocatedInside(String inside, String message) {
    return new SpecException(null, inside, message, null, null, null);
  }

  /** Parameter {@code key} = {@code value} is outside what {@code expected} describes; place not known yet. */
  static SpecException parameter(String key, Object value, String expected) {
    return new SpecException(null, null, message(key, value, expected), key, expected, null);
  }

  static String message(String key, Object value, String expected) {
    return String.format("%s = %s is not allowed: expected %s", key, Table.show(value), expected);
  }

  /** Whether the message already names the place of the table it came from. */
  boolean located() {
    return located;
  }

  /** This failure as one of table {@code t}: located failures (of {@code t} or a table inside it) stay as they are. */
  SpecException locatedIn(Table t) {
    if (located) {
      return this;
    }
    String where = inside == null ? t.where() : t.where() + "." + inside;
    String message = key != null && t.has(key) ? message(key, t.raw(key), expected) : detail;
    return new SpecException(where, null, message, null, null, this);
  }
}
