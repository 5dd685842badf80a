package superconv.training.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.TensorFlow;

/**
 * Which build of TensorFlow's natives this process runs: the CPU build or the CUDA one (the Maven profile
 * {@code gpu}). TensorFlow Java exposes no build flag for it, so it is read from where the library came from: the
 * platform folder JavaCPP extracted {@code libtensorflow_cc} from ({@code .../c_api/linux-x86_64-gpu/...} for the
 * GPU build, as mapped in {@code /proc/self/maps}), else the classifier of the natives jar on the class path.
 *
 * @param gpu whether the natives are the CUDA build
 * @param platform the natives' platform, e.g. {@code linux-x86_64} or {@code linux-x86_64-gpu}
 * @param source the loaded library or the jar it was told from
 */
public record TensorFlowNatives(boolean gpu, String platform, String source) {

  private static final Pattern LOADED = Pattern.compile("(\\S*/c_api/([^/]+)/libtensorflow_(?:cc|framework)\\.so\\S*)");
  private static final Pattern JAR = Pattern.compile("(\\S*tensorflow-core-native-[^/]*?-(linux-[a-z0-9_]+(?:-gpu)?)\\.jar)");

  private static volatile TensorFlowNatives current;

  /** The natives of this process (loads TensorFlow). */
  public static TensorFlowNatives current() {
    TensorFlowNatives natives = current;
    if (natives == null) {
      TensorFlow.version();
      natives = detect(mappedFiles(), List.of(System.getProperty("java.class.path", "").split(":")))
          .orElse(new TensorFlowNatives(false, "unknown", "neither a loaded libtensorflow_cc nor a natives jar found"));
      current = natives;
    }
    return natives;
  }

  /**
   * The natives told from the files mapped into the process (lines of {@code /proc/self/maps} or bare paths), which
   * show what was really loaded, else from the class path's natives jar.
   */
  public static Optional<TensorFlowNatives> detect(List<String> mapped, List<String> classPath) {
    for (String line : mapped) {
      Matcher m = LOADED.matcher(line);
      if (m.find()) {
        return Optional.of(new TensorFlowNatives(m.group(2).endsWith("-gpu"), m.group(2), m.group(1)));
      }
    }
    for (String entry : classPath) {
      Matcher m = JAR.matcher(entry);
      if (m.matches()) {
        return Optional.of(new TensorFlowNatives(m.group(2).endsWith("-gpu"), m.group(2), m.group(1)));
      }
    }
    return Optional.empty();
  }

  /** The lines of {@code /proc/self/maps}; empty where there is none (not Linux). */
  public static List<String> mappedFiles() {
    try {
      return Files.readAllLines(Path.of("/proc/self/maps"));
    } catch (IOException e) {
      return List.of();
    }
  }

  /** "CPU natives (linux-x86_64)" or "GPU natives (linux-x86_64-gpu)". */
  public String describe() {
    return (gpu ? "GPU" : "CPU") + " natives (" + platform + ")";
  }
}
