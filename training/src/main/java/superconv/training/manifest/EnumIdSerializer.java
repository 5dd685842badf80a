package superconv.training.manifest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import superconv.datasets.Dataset;
import superconv.graph.DataProtocol;
import superconv.graph.InputMode;
import superconv.graph.Network;
import superconv.graph.Precision;

/**
 * Writes a run's enum settings as the manifest spells them ({@code fashion-mnist}, {@code host}), so that
 * {@code list --json} and {@code run.json} hold what the user wrote. Here rather than as {@code @JsonValue} on the
 * enums: the modules that own them do not depend on Jackson.
 */
final class EnumIdSerializer extends StdSerializer<Enum<?>> {

  @SuppressWarnings({"unchecked", "rawtypes"})
  EnumIdSerializer() {
    super((Class) Enum.class);
  }

  @Override
  public void serialize(Enum<?> value, JsonGenerator json, SerializerProvider provider) throws IOException {
    json.writeString(id(value));
  }

  static String id(Enum<?> value) {
    if (value instanceof Dataset d) {
      return d.id();
    } else if (value instanceof Network n) {
      return n.id();
    } else if (value instanceof DataProtocol p) {
      return p.id();
    } else if (value instanceof Precision p) {
      return p.id();
    } else if (value instanceof InputMode m) {
      return m.id();
    }
    throw new IllegalArgumentException("no manifest id for " + value.getDeclaringClass().getSimpleName());
  }
}
