package superconv.training.doctor;

import java.io.IOException;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.ToLongFunction;
import org.tensorflow.TensorFlow;
import superconv.optimizers.NativeKernels;
import superconv.training.session.Devices;
import superconv.training.session.Provenance;
import superconv.training.session.TensorFlowNatives;

/**
 * Everything {@link Doctor} reads from the machine, gathered in one place so that tests can describe another
 * machine: a GPU host, a CPU without AMX, a missing cuDNN.
 *
 * @param javaVersion the running Java's version
 * @param javaVendor its vendor
 * @param superconvVersion superconv's version ({@link Provenance#version()})
 * @param superconvCommit the commit superconv was built from, or null
 * @param tensorflowVersion TensorFlow's version
 * @param natives which build of TensorFlow's natives runs
 * @param devices the devices TensorFlow lists; empty when it could not list them
 * @param devicesError why TensorFlow could not list its devices, or null
 * @param kernelsLoaded whether superconv's fused AdaSecant kernels are registered with TensorFlow
 * @param kernelsStatus where they were loaded from, or why not
 * @param cpuinfo the text of {@code /proc/cpuinfo} ("" where there is none)
 * @param processors the processors this JVM may use
 * @param env the environment
 * @param mapped the lines of {@code /proc/self/maps}: the shared libraries this process has loaded
 * @param ldconfigCache the output of {@code ldconfig -p} ("" when it did not run)
 * @param isFile whether a path is a file (to find libraries in folders)
 * @param readText the text of a small file, "" when there is none (the source file beside CUDA libraries)
 * @param nvidiaDriver the NVIDIA driver's version, or null when there is no driver
 * @param usableSpace the bytes free for a path (its nearest existing folder), or -1 when that cannot be told
 */
public record Host(
    String javaVersion,
    String javaVendor,
    String superconvVersion,
    String superconvCommit,
    String tensorflowVersion,
    TensorFlowNatives natives,
    List<String> devices,
    String devicesError,
    boolean kernelsLoaded,
    String kernelsStatus,
    String cpuinfo,
    int processors,
    Map<String, String> env,
    List<String> mapped,
    String ldconfigCache,
    Predicate<Path> isFile,
    Function<Path, String> readText,
    String nvidiaDriver,
    ToLongFunction<Path> usableSpace) {

  public Host {
    devices = List.copyOf(devices);
    env = Map.copyOf(env);
    mapped = List.copyOf(mapped);
  }

  /** This machine, as this process sees it (loads TensorFlow, its GPU libraries if any, and the kernels). */
  public static Host real() {
    String tensorflow = TensorFlow.version();
    List<String> devices = List.of();
    String devicesError = null;
    try {
      devices = Devices.list();
    } catch (RuntimeException e) {
      devicesError = e.getMessage();
    }
    boolean kernels = NativeKernels.loaded();
    return new Host(System.getProperty("java.version"), System.getProperty("java.vendor"), Provenance.version(),
        Provenance.gitCommit(), tensorflow, TensorFlowNatives.current(), devices, devicesError, kernels,
        NativeKernels.status(), read(Path.of("/proc/cpuinfo")), Runtime.getRuntime().availableProcessors(),
        System.getenv(), TensorFlowNatives.mappedFiles(), readLdconfigCache(), Files::isRegularFile, Host::read,
        driver(), Host::freeBytes);
  }

  /** {@code ldconfig -p}: it lives in /sbin, which a user's PATH may lack. */
  private static String readLdconfigCache() {
    String cache = output("ldconfig", "-p");
    return cache.isEmpty() ? output("/sbin/ldconfig", "-p") : cache;
  }

  /** The driver's version from the kernel module, else from {@code nvidia-smi}; null when neither answers. */
  private static String driver() {
    String module = read(Path.of("/proc/driver/nvidia/version"));
    Matcher m = Pattern.compile("Kernel Module\\s+(\\S+)").matcher(module);
    if (m.find()) {
      return m.group(1);
    }
    String smi = output("nvidia-smi", "--query-gpu=driver_version", "--format=csv,noheader").strip();
    return smi.isEmpty() ? null : smi.lines().findFirst().orElseThrow();
  }

  private static long freeBytes(Path path) {
    Path existing = path.toAbsolutePath().normalize();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    try {
      return existing == null ? -1 : Files.getFileStore(existing).getUsableSpace();
    } catch (IOException e) {
      return -1;
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return "";
    }
  }

  /** A program's standard output, or "" when it is not installed, fails, or hangs past 10 s. */
  private static String output(String... command) {
    // Into a file, not a pipe: a hung nvidia-smi (a wedged driver does that) must not block the read.
    Path out = null;
    try {
      out = Files.createTempFile("superconv-doctor", ".out");
      Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectError(ProcessBuilder.Redirect.DISCARD).redirectOutput(out.toFile()).start();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return "";
      }
      return process.exitValue() == 0 ? Files.readString(out, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException e) {
          // A leftover empty temp file is no reason to fail the check.
        }
      }
    }
  }
}
