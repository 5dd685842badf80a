package superconv.training.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import superconv.training.session.Devices;
import superconv.training.session.TensorFlowNatives;

/**
 * The GPUs TensorFlow lists, for {@code run --devices}, asked of a separate JVM ({@code superconv doctor --json}):
 * TensorFlow keeps a GPU it has listed for the life of the process, with a CUDA context and, by default, nearly all
 * of its memory, which the workers need. With TensorFlow's CPU natives on the class path the answer is known
 * without asking: none.
 *
 * @param gpus the indices of the listed GPUs (TensorFlow's {@code GPU:N})
 * @param whyNone why there are none (null when there are some)
 */
public record GpuListing(List<Integer> gpus, String whyNone) {

  private static final long TIMEOUT_SECONDS = 120;

  public GpuListing {
    gpus = List.copyOf(gpus);
  }

  /**
   * The GPUs a JVM started with {@code java} in this environment sees (the parent's {@code CUDA_VISIBLE_DEVICES}
   * applies).
   *
   * @throws IllegalStateException when the listing JVM fails; the message says why in one line
   */
  public static GpuListing of(JavaCommand java) {
    Optional<TensorFlowNatives> natives = TensorFlowNatives.detect(List.of(), java.classPath());
    if (natives.isPresent() && !natives.get().gpu()) {
      return new GpuListing(List.of(), Devices.noGpuReason(natives.get()));
    }
    String output;
    int status;
    Path file = null;
    try {
      file = Files.createTempFile("superconv-gpus", ".json");
      Process process = java.processBuilder(List.of("doctor", "--device", "cpu", "--json"))
          .redirectOutput(file.toFile())
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("listing the GPUs (superconv doctor --json) took over " + TIMEOUT_SECONDS
            + " s");
      }
      status = process.exitValue();
      output = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot list the GPUs in a separate JVM: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while listing the GPUs");
    } finally {
      deleteQuietly(file);
    }
    return parse(output, status);
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // A temporary file left behind is harmless.
      }
    }
  }

  /** The listing from {@code doctor --json}'s output and exit status. */
  static GpuListing parse(String doctorJson, int status) {
    JsonNode report;
    try {
      report = new ObjectMapper().readTree(doctorJson);
    } catch (IOException e) {
      report = null;
    }
    if (report == null || !report.path("devices").isArray()) {
      throw new IllegalStateException("cannot list the GPUs: superconv doctor --json exited with status " + status
          + " and printed no device list (superconv doctor says why)");
    }
    if (!report.path("runnable").asBoolean(false)) {
      throw new IllegalStateException("cannot list the GPUs: " + report.path("reason").asText("doctor failed"));
    }
    List<String> names = new ArrayList<>();
    report.get("devices").forEach(name -> names.add(name.asText()));
    List<Integer> gpus = Devices.gpus(names);
    return new GpuListing(gpus, gpus.isEmpty() ? "TensorFlow's GPU natives find no usable GPU here"
        + " (superconv doctor --device gpu says why)" : null);
  }
}
