package superconv.training.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.toml.TomlStreamReadException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A manifest file as a TOML tree: read as UTF-8 text, then parsed. Each failure is one line that names the file
 * and says what is wrong in words (no such file, not UTF-8 text, a syntax error with its line shown).
 */
final class ManifestReader {

  private ManifestReader() {}

  /** The file's text; refused when it cannot be read or is not UTF-8 text. */
  static String text(Path file) throws ManifestException {
    if (Files.isDirectory(file)) {
      throw new ManifestException(file + ": cannot read the manifest: it is a directory, not a file");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ManifestException(file + ": cannot read the manifest: " + unreadable(e));
    }
    return decode(bytes, file.toString());
  }

  /** What went wrong reading a file, in words rather than as the exception's class. */
  static String unreadable(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.getMessage() == null ? "an I/O error" : e.getMessage();
  }

  /**
   * UTF-8 text or a refusal naming the first offending byte. A NUL character is valid UTF-8 but never TOML: it
   * marks a binary file, which the TOML parser would otherwise report as a baffling syntax error.
   */
  static String decode(byte[] bytes, String source) throws ManifestException {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        throw new ManifestException(source + ": cannot read the manifest: not UTF-8 text (a binary file: it holds a"
            + " NUL byte at offset " + i + ")");
      }
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      throw new ManifestException(String.format("%s: cannot read the manifest: not UTF-8 text (byte 0x%02x at offset"
          + " %d; is it a binary file, or saved in another encoding?)", source, bytes[in.position()] & 0xff,
          in.position()));
    }
    decoder.flush(out);
    return out.flip().toString();
  }

  /** The text as a TOML tree (an empty table for an empty file). */
  static JsonNode tree(String text, String source) throws ManifestException {
    JsonNode root;
    try {
      root = new TomlMapper().readTree(text);
    } catch (TomlStreamReadException e) {
      throw new ManifestException(syntaxError(source, text, e));
    } catch (IOException e) {
      throw new ManifestException(source + ": cannot parse the manifest: " + e.getMessage());
    }
    return root == null ? JsonNodeFactory.instance.objectNode() : root;
  }

  /**
   * The parser reports the position after the offending token, which for a token that ends a line is column 1 of
   * the next one: then both lines are named, and shown.
   */
  private static String syntaxError(String source, String text, TomlStreamReadException e) {
    var where = e.getLocation();
    if (where == null || where.getLineNr() < 1) {
      return source + ": TOML syntax error: " + e.getOriginalMessage();
    }
    int last = where.getLineNr();
    int first = where.getColumnNr() <= 1 && last > 1 ? last - 1 : last;
    String[] lines = text.split("\\R", -1);
    StringBuilder message = new StringBuilder(source).append(':').append(first);
    if (first != last) {
      message.append('-').append(last);
    }
    message.append(": TOML syntax error: ").append(e.getOriginalMessage());
    for (int n = first; n <= last && n <= lines.length; n++) {
      message.append(String.format("%n    %4d | %s", n, lines[n - 1]));
    }
    return message.toString();
  }
}
