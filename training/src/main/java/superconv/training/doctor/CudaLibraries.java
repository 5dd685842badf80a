package superconv.training.doctor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CUDA and cuDNN libraries TensorFlow 2.18's GPU build opens at run time (by soname, through the dynamic
 * loader: none of them is bundled with the natives), and where each is on a host.
 */
final class CudaLibraries {

  /**
   * One library.
   *
   * @param soname the name TensorFlow opens
   * @param what what it is
   * @param install how to get it (NVIDIA's apt repository names; the runfile and tarballs hold the same files)
   * @param required whether TensorFlow registers no GPU without it (NCCL is opened only by multi-GPU collectives)
   */
  record Library(String soname, String what, String install, boolean required) {}

  /** Where a library was found. */
  enum Found { LOADED, LOADER_PATH, OFF_LOADER_PATH, MISSING }

  /**
   * The outcome for one library.
   *
   * @param path where it is, or null when missing
   */
  record Location(Library library, Found found, Path path) {}

  private static final String CUDA = "CUDA 12.5 from NVIDIA's repository (https://developer.nvidia.com/cuda-downloads): ";

  static final List<Library> LIBRARIES = List.of(
      new Library("libcudart.so.12", "CUDA runtime", CUDA + "apt-get install cuda-cudart-12-5", true),
      new Library("libcublas.so.12", "cuBLAS", CUDA + "apt-get install libcublas-12-5", true),
      new Library("libcublasLt.so.12", "cuBLASLt", CUDA + "apt-get install libcublas-12-5", true),
      new Library("libcufft.so.11", "cuFFT", CUDA + "apt-get install libcufft-12-5", true),
      new Library("libcusparse.so.12", "cuSPARSE", CUDA + "apt-get install libcusparse-12-5", true),
      new Library("libcusolver.so.11", "cuSOLVER", CUDA + "apt-get install libcusolver-12-5", true),
      new Library("libcudnn.so.9", "cuDNN 9", "cuDNN 9.3 for CUDA 12 from NVIDIA's repository"
          + " (https://developer.nvidia.com/cudnn-downloads): apt-get install libcudnn9-cuda-12", true),
      new Library("libnccl.so.2", "NCCL (multi-GPU collectives only)", CUDA + "apt-get install libnccl2", false));

  /** The folders the dynamic loader searches after LD_LIBRARY_PATH and its cache (Debian's multiarch ones first). */
  static final List<Path> LOADER_DIRS = List.of(Path.of("/lib/x86_64-linux-gnu"), Path.of("/usr/lib/x86_64-linux-gnu"),
      Path.of("/lib64"), Path.of("/usr/lib64"), Path.of("/lib"), Path.of("/usr/lib"));

  /** Where CUDA installs put libraries that the loader finds only when told (LD_LIBRARY_PATH or ld.so.conf). */
  static final List<Path> CUDA_DIRS = List.of(Path.of("/usr/local/cuda/lib64"), Path.of("/usr/local/cuda-12.5/lib64"),
      Path.of("/usr/local/cuda/targets/x86_64-linux/lib"), Path.of("/usr/local/cuda-12/lib64"));

  private static final Pattern CACHE_LINE = Pattern.compile("^\\s*(\\S+)\\s+\\(([^)]*)\\)\\s+=>\\s+(\\S+)\\s*$");

  private CudaLibraries() {}

  /** Each library and where it is: loaded in this process, on the loader's path, only off it, or nowhere. */
  static List<Location> locate(Host host) {
    List<Location> locations = new ArrayList<>();
    for (Library library : LIBRARIES) {
      locations.add(locate(library, host));
    }
    return locations;
  }

  private static Location locate(Library library, Host host) {
    Optional<Path> loaded = host.mapped().stream()
        .map(line -> line.substring(Math.max(0, line.indexOf('/'))))
        .filter(path -> path.startsWith("/") && path.endsWith("/" + library.soname()))
        .map(Path::of)
        .findFirst();
    if (loaded.isPresent()) {
      return new Location(library, Found.LOADED, loaded.get());
    }
    Optional<Path> onPath = inDirs(library, ldLibraryPath(host), host)
        .or(() -> inCache(library, host.ldconfigCache()))
        .or(() -> inDirs(library, LOADER_DIRS, host));
    if (onPath.isPresent()) {
      return new Location(library, Found.LOADER_PATH, onPath.get());
    }
    return inDirs(library, CUDA_DIRS, host)
        .map(path -> new Location(library, Found.OFF_LOADER_PATH, path))
        .orElse(new Location(library, Found.MISSING, null));
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
