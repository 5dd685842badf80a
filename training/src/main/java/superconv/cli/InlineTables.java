package superconv.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Options whose value is a TOML inline table ({@code --schedule '{ type = "constant", lr = 0.01 }'}). */
final class InlineTables {

  private static final TomlMapper TOML = new TomlMapper();

  private InlineTables() {}

  /**
   * Parses the value of {@code option}; a value that is not an inline table is a bad command line (exit 2) whose
   * one-line error names the option and the column where the text goes wrong.
   */
  static Map<String, Object> parse(CommandSpec spec, String option, String text) {
    String trimmed = text.trim();
    if (!trimmed.startsWith("{")) {
      throw new ParameterException(spec.commandLine(),
          option + ": expected an inline TOML table such as '{ type = \"constant\", lr = 0.01 }', got: " + text);
    }
    try {
      // A document of one key: TOML has no syntax for a bare inline table.
      @SuppressWarnings("unchecked")
      Map<String, Object> document = TOML.readValue("t = " + trimmed, Map.class);
      Object table = document.get("t");
      if (!(table instanceof Map<?, ?>)) {
        throw new ParameterException(spec.commandLine(), option + ": expected an inline table, got: " + text);
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) table;
      return map;
    } catch (JacksonException e) {
      // Columns count from the table's start: "t = " is ours.
      String where = e.getLocation() == null ? "" : " at column " + Math.max(1, e.getLocation().getColumnNr() - 4);
      throw new ParameterException(spec.commandLine(),
          option + ": not a valid inline TOML table" + where + ": " + Failures.oneLine(e.getOriginalMessage())
              + ": " + text, e);
    }
  }
}
