package superconv.training.grid;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The devices {@code run --devices} gives the workers of {@code run --workers}, one worker per device: {@code cpu}
 * (the workers share the CPU and see no GPU), {@code all} (every GPU TensorFlow lists) or a list such as {@code
 * gpu:0,gpu:2} (those GPUs, numbered as TensorFlow and a run's {@code device = "gpu:N"} number them).
 *
 * @param kind which of the three forms
 * @param gpus the named GPUs, in the order given (empty unless {@code kind} is {@link Kind#GPUS})
 */
public record WorkerDevices(Kind kind, List<Integer> gpus) {

  public enum Kind { CPU, ALL_GPUS, GPUS }

  static final String FORMS = "cpu, all, or GPUs such as gpu:0,gpu:1";
  private static final Pattern GPU = Pattern.compile("gpu:(\\d{1,4})");

  public WorkerDevices {
    gpus = List.copyOf(gpus);
    if ((kind == Kind.GPUS) == gpus.isEmpty()) {
      throw new IllegalArgumentException("GPU indices go with kind GPUS, and only with it");
    }
  }

  /** {@code --devices}' value. */
  public static WorkerDevices parse(String text) {
    String value = text.strip();
    if (value.equals("cpu")) {
      return new WorkerDevices(Kind.CPU, List.of());
    }
    if (value.equals("all")) {
      return new WorkerDevices(Kind.ALL_GPUS, List.of());
    }
    List<Integer> gpus = new ArrayList<>();
    for (String part : value.split(",", -1)) {
      Matcher m = GPU.matcher(part.strip());
      if (!m.matches()) {
        throw new IllegalArgumentException("--devices \"" + text + "\": \"" + part.strip() + "\" is not a GPU (gpu:N);"
            + " give " + FORMS);
      }
      int index = Integer.parseInt(m.group(1));
      if (gpus.contains(index)) {
        throw new IllegalArgumentException("--devices \"" + text + "\" names gpu:" + index + " twice: a worker owns"
            + " its GPU");
      }
      gpus.add(index);
    }
    return new WorkerDevices(Kind.GPUS, gpus);
  }

  /** Whether these are GPUs (named or all), which must then be listed by TensorFlow. */
  public boolean wantsGpus() {
    return kind != Kind.CPU;
  }

  /**
   * The GPUs the workers take, in order: every listed one for {@code all}, the named ones (each checked against the
   * list) otherwise, none for {@code cpu}.
   *
   * @param listed the indices of the GPUs TensorFlow lists
   * @param whyNone why TensorFlow lists none, for the message when GPUs are wanted and there are none
   */
  public List<Integer> resolve(List<Integer> listed, String whyNone) {
    if (kind == Kind.CPU) {
      return List.of();
    }
    if (listed.isEmpty()) {
      throw new IllegalArgumentException("--devices " + (kind == Kind.ALL_GPUS ? "all" : text())
          + ": TensorFlow lists no GPU, because " + whyNone + "; use --devices cpu to share the CPU");
    }
    if (kind == Kind.ALL_GPUS) {
      return List.copyOf(listed);
    }
    for (int gpu : gpus) {
      if (!listed.contains(gpu)) {
        throw new IllegalArgumentException("--devices " + text() + ": TensorFlow lists no gpu:" + gpu
            + " (it lists " + listed.stream().map(i -> "gpu:" + i).toList() + ")");
      }
    }
    return gpus;
  }

  /** As {@code --devices} takes it. */
  public String text() {
    return switch (kind) {
      case CPU -> "cpu";
      case ALL_GPUS -> "all";
      case GPUS -> String.join(",", gpus.stream().map(i -> "gpu:" + i).toList());
    };
  }
}
