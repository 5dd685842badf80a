package superconv.training.manifest;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import superconv.datasets.Dataset;
import superconv.graph.DataProtocol;
import superconv.graph.InputMode;
import superconv.graph.Network;
import superconv.graph.Precision;

/**
 * The keys a manifest may write and their built-in values. The names a key may take (data sets, networks, data
 * protocols, precisions, input modes) are the ids of their enums, so a value added to an enum is a value the
 * manifest accepts.
 */
final class Schema {

  /** Keys both {@code [defaults]} and an experiment may set, with their built-in values. */
  static final Map<String, Object> BUILT_IN_DEFAULTS = builtInDefaults();

  /** Keys only an experiment has. */
  static final List<String> EXPERIMENT_ONLY_KEYS = List.of("name", "description", "grid");

  static final List<String> PHASE_KEYS = List.of("epochs", "optimizer", "schedule");

  /** The keys that say how an experiment trains: an experiment that sets one takes none of them from defaults. */
  static final List<String> TRAINING_FORM_KEYS = List.of("optimizer", "schedule", "phases");

  /** A key whose value is one of an enum's ids. */
  record Choice<E extends Enum<E>>(String key, List<E> values, Function<E, String> id) {

    List<String> ids() {
      return values.stream().map(id).toList();
    }

    Optional<E> find(String given) {
      return values.stream().filter(v -> id.apply(v).equals(given)).findFirst();
    }
  }

  static final Choice<Dataset> DATASET = choice("dataset", Dataset.values(), Dataset::id);
  static final Choice<Network> NETWORK = choice("network", Network.values(), Network::id);
  static final Choice<DataProtocol> DATA_PROTOCOL =
      choice("data_protocol", DataProtocol.values(), DataProtocol::id);
  static final Choice<Precision> PRECISION = choice("precision", Precision.values(), Precision::id);
  /** resident: the data sets live in graph variables (one upload); host: every batch is fed from Java. */
  static final Choice<InputMode> INPUT = choice("input", InputMode.values(), InputMode::id);

  private Schema() {}

  private static <E extends Enum<E>> Choice<E> choice(String key, E[] values, Function<E, String> id) {
    return new Choice<>(key, Arrays.asList(values), id);
  }

  private static Map<String, Object> builtInDefaults() {
    Map<String, Object> defaults = new LinkedHashMap<>();
    defaults.put("dataset", Dataset.CIFAR10.id());
    defaults.put("network", Network.RESNET18.id());
    defaults.put("width", 64);
    defaults.put("batch_size", 128);
    defaults.put("epochs", 100);
    defaults.put("seed", 1);
    defaults.put("data_protocol", DataProtocol.THESIS.id());
    defaults.put("device", "auto");
    defaults.put("precision", Precision.FLOAT32.id());
    defaults.put("xla", false);
    defaults.put("train_limit", 0);
    defaults.put("test_limit", 0);
    defaults.put("loss_every", 10);
    defaults.put("label_smoothing", 0.0);
    defaults.put("input", InputMode.RESIDENT.id());
    defaults.put("optimizer", null);
    defaults.put("schedule", null);
    defaults.put("phases", null);
    return Collections.unmodifiableMap(defaults);
  }
}
