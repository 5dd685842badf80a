package superconv.training.doctor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CUDA and cuDNN libraries TensorFlow 2.18's GPU build opens at run time (by soname, through the dynamic
 * loader: none of them is bundled with the natives), and where each is on a host: the system's, or the set the
 * launcher extracted from Maven ({@code -Pgpu,cuda}), which it tells by the {@value #SOURCE_FILE} file beside them.
 */
final class CudaLibraries {

  /**
   * One library.
   *
   * @param soname the name TensorFlow opens
   * @param what what it is
   * @param install how to get it (NVIDIA's apt repository names; the runfile and tarballs hold the same files)
   * @param required whether TensorFlow registers no GPU without it
   * @param driver whether only NVIDIA's driver provides it (no CUDA toolkit or Maven package does)
   */
  record Library(String soname, String what, String install, boolean required, boolean driver) {}

  /** Where a library was found. */
  enum Found { LOADED, LOADER_PATH, OFF_LOADER_PATH, MISSING }

  /**
   * The outcome for one library.
   *
   * @param path where it is, or null when missing
   * @param maven the Maven coordinates of the set it was extracted from, or null for a library of the system's
   */
  record Location(Library library, Found found, Path path, String maven) {

    /** "from Maven org.bytedeco:cuda:...", or "system". */
    String source() {
      return maven == null ? "system" : "from Maven " + maven;
    }
  }

  /** In a folder of libraries the launcher extracted from Maven: the coordinates of the jar they came from. */
  static final String SOURCE_FILE = "superconv-cuda.source";

  private static final String MAVEN = "SUPERCONV_MAVEN_ARGS=-Pgpu,cuda (CUDA 12.6 and cuDNN 9.5 from Maven), or ";
  private static final String CUDA = MAVEN + "CUDA 12 from NVIDIA's repository"
      + " (https://developer.nvidia.com/cuda-downloads): apt-get install ";
  private static final String DRIVER = "install NVIDIA's driver (https://www.nvidia.com/drivers): it alone provides"
      + " libcuda.so.1, which no CUDA or Maven package can";

  /**
   * TensorFlow's own list (its DsoLoader, read from the binaries by .ci/cuda-redist-check), plus nvJitLink, which
   * cuSPARSE and cuSOLVER need. NCCL is not here: it is linked into libtensorflow_framework (2.21.5).
   */
  static final List<Library> LIBRARIES = List.of(
      new Library("libcuda.so.1", "NVIDIA driver's CUDA library", DRIVER, true, true),
      new Library("libcudart.so.12", "CUDA runtime", CUDA + "cuda-cudart-12-5", true, false),
      new Library("libcublas.so.12", "cuBLAS", CUDA + "libcublas-12-5", true, false),
      new Library("libcublasLt.so.12", "cuBLASLt", CUDA + "libcublas-12-5", true, false),
      new Library("libcufft.so.11", "cuFFT", CUDA + "libcufft-12-5", true, false),
      new Library("libcusparse.so.12", "cuSPARSE", CUDA + "libcusparse-12-5", true, false),
      new Library("libcusolver.so.11", "cuSOLVER", CUDA + "libcusolver-12-5", true, false),
      new Library("libnvJitLink.so.12", "nvJitLink (cuSPARSE and cuSOLVER need it)", CUDA + "libnvjitlink-12-5",
          true, false),
      new Library("libcudnn.so.9", "cuDNN 9", MAVEN + "cuDNN 9.3 or newer for CUDA 12 from NVIDIA's repository"
          + " (https://developer.nvidia.com/cudnn-downloads): apt-get install libcudnn9-cuda-12", true, false),
      new Library("libcupti.so.12", "CUPTI (profiler traces only)", CUDA + "cuda-cupti-12-5", false, false));

  /** The folders the dynamic loader searches after LD_LIBRARY_PATH and its cache (Debian's multiarch ones first). */
  static final List<Path> LOADER_DIRS = List.of(Path.of("/lib/x86_64-linux-gnu"), Path.of("/usr/lib/x86_64-linux-gnu"),
      Path.of("/lib64"), Path.of("/usr/lib64"), Path.of("/lib"), Path.of("/usr/lib"));

  /** Where CUDA installs put libraries that the loader finds only when told (LD_LIBRARY_PATH or ld.so.conf). */
  static final List<Path> CUDA_DIRS = List.of(Path.of("/usr/local/cuda/lib64"), Path.of("/usr/local/cuda-12.5/lib64"),
      Path.of("/usr/local/cuda/targets/x86_64-linux/lib"), Path.of("/usr/local/cuda-12/lib64"),
      Path.of("/usr/local/cuda-12.6/lib64"));

  private static final Pattern CACHE_LINE = Pattern.compile("^\\s*(\\S+)\\s+\\(([^)]*)\\)\\s+=>\\s+(\\S+)\\s*$");

  private CudaLibraries() {}

  /** Each library and where it is: loaded in this process, on the loader's path, only off it, or nowhere. */
  static List<Location> locate(Host host) {
    // Most libraries share a folder: its source file is read once, by folder.
    Map<Path, String> sources = new HashMap<>();
    List<Location> locations = new ArrayList<>();
    for (Library library : LIBRARIES) {
      locations.add(locate(library, host, sources));
    }
    return locations;
  }

  private static Location locate(Library library, Host host, Map<Path, String> sources) {
    Optional<Path> loaded = host.mapped().stream()
        .map(line -> line.substring(Math.max(0, line.indexOf('/'))))
        .filter(path -> path.startsWith("/") && path.endsWith("/" + library.soname()))
        .map(Path::of)
        .findFirst();
    if (loaded.isPresent()) {
      return found(library, Found.LOADED, loaded.get(), host, sources);
    }
    Optional<Path> onPath = inDirs(library, ldLibraryPath(host), host)
        .or(() -> inCache(library, host.ldconfigCache()))
        .or(() -> inDirs(library, LOADER_DIRS, host));
    if (onPath.isPresent()) {
      return found(library, Found.LOADER_PATH, onPath.get(), host, sources);
    }
    return inDirs(library, CUDA_DIRS, host)
        .map(path -> found(library, Found.OFF_LOADER_PATH, path, host, sources))
        .orElse(new Location(library, Found.MISSING, null, null));
  }

  private static Location found(Library library, Found found, Path path, Host host, Map<Path, String> sources) {
    Path dir = path.getParent();
    String maven = dir == null ? ""
        : sources.computeIfAbsent(dir, d -> host.readText().apply(d.resolve(SOURCE_FILE)).strip());
    return new Location(library, found, path, maven.isEmpty() ? null : maven);
  }

  private static List<Path> ldLibraryPath(Host host) {
    Set<Path> dirs = new LinkedHashSet<>();
    for (String dir : host.env().getOrDefault("LD_LIBRARY_PATH", "").split(":")) {
      if (!dir.isBlank()) {
        dirs.add(Path.of(dir));
      }
    }
    return List.copyOf(dirs);
  }

  private static Optional<Path> inDirs(Library library, List<Path> dirs, Host host) {
    return dirs.stream().map(dir -> dir.resolve(library.soname())).filter(host.isFile()).findFirst();
  }

  /** The 64-bit entry of {@code ldconfig -p} (a 32-bit copy of a library cannot serve a 64-bit process). */
  private static Optional<Path> inCache(Library library, String cache) {
    for (String line : cache.split("\n")) {
      Matcher m = CACHE_LINE.matcher(line);
      if (m.matches() && m.group(1).equals(library.soname()) && m.group(2).contains("64")) {
        return Optional.of(Path.of(m.group(3)));
      }
    }
    return Optional.empty();
  }
}
