package superconv.training.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import superconv.datasets.DataLocation;
import superconv.training.doctor.Check.Status;
import superconv.training.session.TensorFlowNatives;

/** The doctor on machines described by hand: a GPU host, CPUs with and without AMX, a missing cuDNN, a full disk. */
class DoctorTest {

  private static final String CPU0 = "/job:localhost/replica:0/task:0/device:CPU:0";
  private static final String GPU0 = "/job:localhost/replica:0/task:0/device:GPU:0";
  private static final TensorFlowNatives CPU_NATIVES = new TensorFlowNatives(false, "linux-x86_64", "test");
  private static final TensorFlowNatives GPU_NATIVES = new TensorFlowNatives(true, "linux-x86_64-gpu", "test");
  private static final String CUDA_DIR = "/usr/lib/x86_64-linux-gnu";
  private static final List<String> ALL_LIBRARIES = CudaLibraries.LIBRARIES.stream()
      .map(library -> CUDA_DIR + "/" + library.soname()).toList();

  @TempDir Path dir;

  private static String cpuinfo(String flags) {
    return "processor\t: 0\nmodel name\t: Test CPU\nflags\t\t: " + flags + "\n\nprocessor\t: 1\nmodel name\t: Test CPU\n"
        + "flags\t\t: " + flags + "\n";
  }

  /** A machine with the given natives, devices, library files (absolute paths), CPU flags and free bytes. */
  private static Host host(TensorFlowNatives natives, List<String> devices, List<String> files, String flags,
      String driver, long free) {
    Set<Path> existing = files.stream().map(Path::of).collect(Collectors.toSet());
    Predicate<Path> isFile = existing::contains;
    return new Host("17.0.15", "Test", "0.1.0", "abc", "2.18.0", natives, devices, null, true, "native kernels loaded",
        cpuinfo(flags), 2, Map.of("TF_ENABLE_ONEDNN_OPTS", "1"), List.of(), "", isFile, path -> "", driver,
        path -> free);
  }

  private static Host cpuHost(String flags) {
    return host(CPU_NATIVES, List.of(CPU0), List.of(), flags, null, 100L << 30);
  }

  private Report examine(Host host, String device) {
    return new Doctor(host, dir.resolve("runs"), DataLocation.only(dir.resolve("data"))).examine(device);
  }

  private static Check check(Report report, String name) {
    return report.checks().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void amxMakesBfloat16TheFastestPrecision() {
    Report report = examine(cpuHost("fpu avx avx2 avx512f avx512_bf16 amx_bf16 amx_tile"), "cpu");

    assertThat(check(report, "precision").detail()).startsWith("bfloat16 is fastest here")
        .contains("rule: bfloat16 only with AMX");
    assertThat(check(report, "cpu").detail()).contains("amx_bf16, amx_tile").doesNotContain("no amx");
  }

  @Test
  void avx512WithBf16ButNoAmxKeepsFloat32() {
    Report report = examine(cpuHost("fpu avx avx2 avx512f avx512_bf16"), "cpu");

    assertThat(check(report, "precision").detail()).startsWith("float32 is fastest here (no AMX, AVX-512 BF16 only)");
    assertThat(check(report, "cpu").detail()).contains("avx512_bf16, no amx_bf16, no amx_tile");
  }

  @Test
  void avx2OnlyKeepsFloat32AndTheCpuWithoutAvxFails() {
    Report avx2 = examine(cpuHost("fpu avx avx2 fma"), "cpu");
    assertThat(check(avx2, "precision").detail()).startsWith("float32 is fastest here (no AMX)");
    assertThat(check(avx2, "cpu").status()).isEqualTo(Status.OK);
    assertThat(check(avx2, "cpu").detail()).contains("no avx512f");

    assertThat(check(examine(cpuHost("fpu sse4_2"), "cpu"), "cpu").status()).isEqualTo(Status.FAIL);
  }

  @Test
  void gpuHostWithEveryLibraryRunsOnTheGpu() {
    Host host = host(GPU_NATIVES, List.of(CPU0, GPU0), ALL_LIBRARIES, "avx avx2", "550.54.15", 100L << 30);

    Report report = examine(host, "gpu");

    assertThat(report.runnable()).isTrue();
    assertThat(check(report, "gpus").detail()).isEqualTo("GPU:0");
    assertThat(check(report, "nvidia driver")).isEqualTo(Check.ok("nvidia driver", "550.54.15"));
    for (CudaLibraries.Library library : CudaLibraries.LIBRARIES) {
      assertThat(check(report, library.soname()).status()).as(library.soname()).isEqualTo(Status.OK);
    }
    assertThat(check(report, "libcudnn.so.9").detail()).contains(CUDA_DIR + "/libcudnn.so.9");
    assertThat(check(report, "device gpu").detail()).isEqualTo("runs on /device:GPU:0");
  }

  @Test
  void missingCudnnIsNamedAndGpuCannotRun() {
    List<String> withoutCudnn = ALL_LIBRARIES.stream().filter(f -> !f.endsWith("libcudnn.so.9")).toList();
    // TensorFlow registers no GPU when it cannot open cuDNN.
    Host host = host(GPU_NATIVES, List.of(CPU0), withoutCudnn, "avx avx2", "550.54.15", 100L << 30);

    Report report = examine(host, "gpu");

    Check cudnn = check(report, "libcudnn.so.9");
    assertThat(cudnn.status()).isEqualTo(Status.MISSING);
    assertThat(cudnn.fix()).contains("SUPERCONV_MAVEN_ARGS=-Pgpu,cuda").contains("cuDNN 9.3 or newer")
        .contains("libcudnn9-cuda-12");
    assertThat(check(report, "libcudart.so.12").status()).isEqualTo(Status.OK);
    assertThat(report.runnable()).isFalse();
    assertThat(report.reason()).isEqualTo("--device gpu cannot run: TensorFlow lists no GPU: missing libcudnn.so.9")
        .doesNotContain("\n");
    assertThat(examine(host, "auto").runnable()).isTrue();
    assertThat(examine(host, "cpu").runnable()).isTrue();
  }

  @Test
  void libraryOnlyUnderUsrLocalCudaIsAWarningWithTheExport() {
    List<String> files = ALL_LIBRARIES.stream()
        .map(f -> f.endsWith("libcublas.so.12") ? "/usr/local/cuda/lib64/libcublas.so.12" : f).toList();
    Report report = examine(host(GPU_NATIVES, List.of(CPU0), files, "avx avx2", "550.54.15", 100L << 30), "gpu");

    assertThat(check(report, "libcublas.so.12").status()).isEqualTo(Status.WARN);
    assertThat(check(report, "libcublas.so.12").fix()).startsWith("export LD_LIBRARY_PATH=/usr/local/cuda/lib64:");
    assertThat(report.reason()).contains("not on the loader's path: libcublas.so.12 (in /usr/local/cuda/lib64)");
  }

  @Test
  void ldconfigCacheAndLdLibraryPathFindLibraries() {
    Host base = host(GPU_NATIVES, List.of(CPU0, GPU0), List.of("/opt/cudnn/libcudnn.so.9"), "avx avx2", "560.1", 1L << 40);
    Host host = new Host(base.javaVersion(), base.javaVendor(), base.superconvVersion(), base.superconvCommit(),
        base.tensorflowVersion(), base.natives(), base.devices(), null, true, "loaded", base.cpuinfo(), 2,
        Map.of("LD_LIBRARY_PATH", "/opt/cudnn"), List.of(),
        "\tlibcudart.so.12 (libc6,x86-64) => /opt/cuda/libcudart.so.12\n"
            + "\tlibcublas.so.12 (libc6) => /opt/cuda32/libcublas.so.12\n", base.isFile(), base.readText(), "560.1",
        base.usableSpace());

    List<CudaLibraries.Location> found = CudaLibraries.locate(host);

    assertThat(found).filteredOn(l -> l.library().soname().equals("libcudnn.so.9")).singleElement()
        .extracting(CudaLibraries.Location::path).isEqualTo(Path.of("/opt/cudnn/libcudnn.so.9"));
    assertThat(found).filteredOn(l -> l.library().soname().equals("libcudart.so.12")).singleElement()
        .extracting(CudaLibraries.Location::path).isEqualTo(Path.of("/opt/cuda/libcudart.so.12"));
    // A 32-bit library cannot serve this process.
    assertThat(found).filteredOn(l -> l.library().soname().equals("libcublas.so.12")).singleElement()
        .extracting(CudaLibraries.Location::found).isEqualTo(CudaLibraries.Found.MISSING);
  }

  @Test
  void mavenSetIsNamedAsEachLibrarysSourceAndOnlyTheDriverIsMissing() {
    String maven = "/home/u/.cache/superconv/cuda-12.6-9.5-1.5.11";
    String coordinates = "org.bytedeco:cuda:12.6-9.5-1.5.11:jar:linux-x86_64-redist";
    List<String> files = CudaLibraries.LIBRARIES.stream().filter(library -> !library.driver())
        .map(library -> maven + "/" + library.soname()).toList();
    Host base = host(GPU_NATIVES, List.of(CPU0), files, "avx avx2", null, 100L << 30);
    Host host = new Host(base.javaVersion(), base.javaVendor(), base.superconvVersion(), base.superconvCommit(),
        base.tensorflowVersion(), base.natives(), base.devices(), null, true, "loaded", base.cpuinfo(), 2,
        Map.of("LD_LIBRARY_PATH", maven + ":/usr/local/lib"), List.of(), "", base.isFile(),
        path -> path.equals(Path.of(maven, CudaLibraries.SOURCE_FILE)) ? coordinates + "\n" : "", null,
        base.usableSpace());

    Report report = examine(host, "gpu");

    for (CudaLibraries.Library library : CudaLibraries.LIBRARIES) {
      Check check = check(report, library.soname());
      if (library.driver()) {
        assertThat(check.status()).isEqualTo(Status.MISSING);
        assertThat(check.fix()).contains("NVIDIA's driver").contains("no CUDA or Maven package");
      } else {
        assertThat(check.status()).as(library.soname()).isEqualTo(Status.OK);
        assertThat(check.detail()).as(library.soname())
            .endsWith(", from Maven " + coordinates + ", " + maven + "/" + library.soname());
      }
    }
    assertThat(report.reason()).isEqualTo("--device gpu cannot run: TensorFlow lists no GPU: no NVIDIA driver (it"
        + " provides libcuda.so.1, which no CUDA or Maven package can)");
  }

  @Test
  void systemLibrariesAreSaidToBeTheSystemsAndAMissingLibcudaWithADriverIsNamed() {
    List<String> withoutLibcuda = ALL_LIBRARIES.stream().filter(f -> !f.endsWith("/libcuda.so.1")).toList();
    Report report = examine(host(GPU_NATIVES, List.of(CPU0), withoutLibcuda, "avx avx2", "550.54.15", 1L << 40), "gpu");

    assertThat(check(report, "libcudart.so.12").detail())
        .isEqualTo("CUDA runtime, system, " + CUDA_DIR + "/libcudart.so.12");
    assertThat(report.reason()).isEqualTo("--device gpu cannot run: TensorFlow lists no GPU: missing libcuda.so.1");
  }

  @Test
  void cpuNativesCannotRunGpuAndSayHowToGetTheGpuBuild() {
    Report report = examine(cpuHost("avx avx2"), "gpu:1");

    assertThat(report.runnable()).isFalse();
    assertThat(report.reason()).startsWith("--device gpu:1 cannot run: the CPU natives are on the class path")
        .contains("SUPERCONV_MAVEN_ARGS=-Pgpu,cuda");
    assertThat(check(report, "gpu").status()).isEqualTo(Status.FAIL);
    assertThat(check(examine(cpuHost("avx avx2"), "auto"), "device auto").detail()).startsWith("runs on the CPU: ");
  }

  @Test
  void unlistedGpuIndexCannotRun() {
    Host host = host(GPU_NATIVES, List.of(CPU0, GPU0), ALL_LIBRARIES, "avx avx2", "550.54.15", 100L << 30);

    Report report = examine(host, "gpu:3");

    assertThat(report.runnable()).isFalse();
    assertThat(report.reason()).contains("asks for GPU 3 but TensorFlow lists GPUs [0]");
  }

  @Test
  void oldDriverIsAWarning() {
    Host host = host(GPU_NATIVES, List.of(CPU0, GPU0), ALL_LIBRARIES, "avx avx2", "470.199.02", 100L << 30);

    assertThat(check(examine(host, "gpu"), "nvidia driver").status()).isEqualTo(Status.WARN);
    assertThat(Doctor.olderThan("525.60.13", new int[] {525, 60, 13})).isFalse();
    assertThat(Doctor.olderThan("525.60.12", new int[] {525, 60, 13})).isTrue();
    assertThat(Doctor.olderThan("555", new int[] {525, 60, 13})).isFalse();
  }

  @Test
  void lowFreeSpaceInTheRunsDirectoryIsAWarning() {
    Check low = check(examine(host(CPU_NATIVES, List.of(CPU0), List.of(), "avx avx2", null, 2L << 30), "cpu"), "runs");
    Check plenty = check(examine(cpuHost("avx avx2"), "cpu"), "runs");
    Check unknown = check(examine(host(CPU_NATIVES, List.of(CPU0), List.of(), "avx avx2", null, -1), "cpu"), "runs");

    assertThat(low.status()).isEqualTo(Status.WARN);
    assertThat(low.detail()).contains("2.0 GiB free, under 5.0 GiB");
    assertThat(low.fix()).contains("--runs-dir");
    assertThat(plenty.status()).isEqualTo(Status.OK);
    assertThat(plenty.detail()).endsWith("(not created yet): 100.0 GiB free");
    assertThat(unknown.status()).isEqualTo(Status.WARN);
  }

  @Test
  void dataSetsAreFoundOrMissingWithTheFetchCommand() {
    Report report = examine(cpuHost("avx avx2"), "cpu");

    Check cifar = check(report, "data cifar10");
    assertThat(cifar.status()).isEqualTo(Status.MISSING);
    assertThat(cifar.fix()).isEqualTo("superconv data fetch cifar10 --data-dir " + dir.resolve("data"));
  }

  @Test
  void badDeviceSettingIsRefused() {
    assertThatThrownBy(() -> examine(cpuHost("avx avx2"), "tpu"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("auto, cpu, gpu, gpu:N");
  }
}
