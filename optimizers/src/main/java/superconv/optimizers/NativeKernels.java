package superconv.optimizers;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import org.tensorflow.TensorFlow;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.OpList;

/**
 * superconv's own TensorFlow CPU kernels ({@code optimizers/src/main/c}): the fused updates of AdaSecant and Simple
 * AdaSecant. Maven
 * compiles them with the module wherever a C compiler exists (profile {@code native-kernels}) and packs the library
 * into the jar; the first optimizer that wants one loads it into TensorFlow. Where the library is missing (no
 * compiler at build time, another platform) or {@code SUPERCONV_NATIVE_KERNELS=off} is set, the optimizers build
 * the same update from TensorFlow ops: the same arithmetic (results agree to rounding, which the optimizers' ratios
 * amplify in float32), slower on a CPU. {@link #status()} says which, for logs.
 */
public final class NativeKernels {

  /** The op of {@code adasecant_update.c}. */
  static final String ADASECANT_UPDATE = "SuperconvAdaSecantUpdate";
  /** The op of {@code simple_adasecant_update.c}. */
  static final String SIMPLE_ADASECANT_UPDATE = "SuperconvSimpleAdaSecantUpdate";

  private static final List<String> OPS = List.of(ADASECANT_UPDATE, SIMPLE_ADASECANT_UPDATE);

  private static final String LIBRARY = "libsuperconv_kernels.so";

  private NativeKernels() {}

  /** Whether the kernels are registered with TensorFlow in this process (loads them on first call). */
  public static boolean loaded() {
    return Loaded.STATUS.loaded();
  }

  /** Where the kernels were loaded from, or why they were not. */
  public static String status() {
    return Loaded.STATUS.message();
  }

  /** For logs: how the AdaSecant variants update on {@code device} (the kernels serve CPU devices only). */
  public static String statusOn(String device) {
    return device.toUpperCase(Locale.ROOT).contains("CPU") ? status() : "TensorFlow ops on " + device;
  }

  private record Status(boolean loaded, String message) {}

  private static final class Loaded {
    static final Status STATUS = load();
  }

  private static Status load() {
    if ("off".equalsIgnoreCase(System.getenv("SUPERCONV_NATIVE_KERNELS"))) {
      return new Status(false, "native kernels off (SUPERCONV_NATIVE_KERNELS=off): TensorFlow ops instead");
    }
    String platform = platform();
    URL resource = NativeKernels.class.getResource("native/" + platform + "/" + LIBRARY);
    if (resource == null) {
      return new Status(false, "no native kernels for " + platform
          + " in this build (built without a C compiler?): TensorFlow ops instead");
    }
    try {
      Path library = localFile(resource);
      OpList registered = TensorFlow.loadLibrary(library.toString());
      List<String> ops = registered.getOpList().stream().map(OpDef::getName).toList();
      if (!ops.containsAll(OPS)) {
        return new Status(false, "native kernels from " + resource + " registered " + ops + ", not " + OPS
            + ": TensorFlow ops instead");
      }
      return new Status(true, "native kernels loaded from " + resource);
    } catch (IOException | URISyntaxException | RuntimeException e) {
      return new Status(false, "native kernels failed to load (" + e.getMessage() + "): TensorFlow ops instead");
    }
  }

  private static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    return (os.contains("linux") ? "linux" : os.replace(' ', '-'))
        + "-" + (arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch);
  }

  /** The library as a file: itself when the classes are a directory, else a copy out of the jar. */
  private static Path localFile(URL resource) throws IOException, URISyntaxException {
    if (resource.getProtocol().equals("file")) {
      return Path.of(resource.toURI());
    }
    Path directory = Files.createTempDirectory("superconv-kernels");
    Path copy = directory.resolve(LIBRARY);
    // Deleted at exit in the reverse order of registration: the file, then its directory.
    directory.toFile().deleteOnExit();
    copy.toFile().deleteOnExit();
    try (InputStream in = resource.openStream()) {
      Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
    }
    return copy;
  }
}
