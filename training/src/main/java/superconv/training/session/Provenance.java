package superconv.training.session;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * superconv's version and the git commit it was built from, both recorded at build time in
 * {@code superconv/build.properties} by {@code training/src/build/build-properties.sh} (never the repository of the
 * directory the user runs from).
 */
public final class Provenance {

  static final String RESOURCE = "/superconv/build.properties";

  private static final Properties BUILD = load();

  private Provenance() {}

  /** The Maven project version superconv was built as (the jar's Implementation-Version agrees). */
  public static String version() {
    String version = recorded("version");
    return version == null ? "unknown" : version;
  }

  /** The commit superconv was built from, with {@code -dirty} for uncommitted changes; null when built outside git. */
  public static String gitCommit() {
    return recorded("commit");
  }

  /** A recorded value, or null where the build had none (no git, or run from classes no build wrote). */
  private static String recorded(String key) {
    String value = BUILD.getProperty(key);
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static Properties load() {
    Properties properties = new Properties();
    try (InputStream in = Provenance.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
    return properties;
  }
}
