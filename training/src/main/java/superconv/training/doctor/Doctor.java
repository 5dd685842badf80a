package superconv.training.doctor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import superconv.datasets.DataLocation;
import superconv.datasets.Dataset;
import superconv.training.doctor.CudaLibraries.Found;
import superconv.training.doctor.CudaLibraries.Location;
import superconv.training.session.Devices;

/**
 * {@code superconv doctor}: whether this machine can train, and what would make it train faster, as one
 * {@link Check} per line. Reads the machine only through {@link Host}, so every verdict can be tested on a machine
 * described by hand.
 */
public final class Doctor {

  /** Below this much free space in the runs directory a grid of ResNet runs (checkpoints, best weights, SavedModels) is at risk. */
  static final long LOW_SPACE = 5L << 30;

  /** CUDA 12's minor-version compatibility needs this driver or newer. */
  private static final int[] DRIVER_FOR_CUDA_12 = {525, 60, 13};

  private static final Pattern SETTING = Pattern.compile("auto|cpu|gpu(?::\\d+)?");
  /** The GPU build that needs only NVIDIA's driver on the host: CUDA and cuDNN come from Maven. */
  private static final String GPU_BUILD = "SUPERCONV_MAVEN_ARGS=-Pgpu,cuda ./superconv doctor --device gpu";

  private final Host host;
  private final Path runsDir;
  private final DataLocation data;

  public Doctor(Host host, Path runsDir, DataLocation data) {
    this.host = host;
    this.runsDir = runsDir;
    this.data = data;
  }

  /** Every check, and whether {@code device} (auto, cpu, gpu, gpu:N) can run here. */
  public Report examine(String device) {
    if (!SETTING.matcher(device).matches()) {
      throw new IllegalArgumentException("device \"" + device + "\" is not one of auto, cpu, gpu, gpu:N");
    }
    List<Check> checks = new ArrayList<>();
    checks.add(Check.ok("java", host.javaVersion() + " (" + host.javaVendor() + ")"));
    checks.add(host.superconvCommit() == null
        ? Check.warn("superconv", host.superconvVersion() + ", built outside git",
            "build from a git checkout so that run.json records the commit")
        : Check.ok("superconv", host.superconvVersion() + " (commit " + host.superconvCommit() + ")"));
    checks.add(Check.ok("tensorflow", host.tensorflowVersion() + ", " + host.natives().describe() + " from "
        + host.natives().source()));
    checks.add(host.devicesError() != null
        ? Check.fail("devices", "TensorFlow cannot list its devices: " + host.devicesError(),
            "run with --verbose to see TensorFlow's own log")
        : Check.ok("devices", host.devices().stream().map(Doctor::shortName).collect(Collectors.joining(", "))));
    String gpuReason = gpuChecks(checks, device.startsWith("gpu"));
    cpuChecks(checks, device);
    dataChecks(checks);
    checks.add(spaceCheck());
    String reason = reason(device, gpuReason);
    checks.add(reason == null ? Check.ok("device " + device, runsOn(device))
        : Check.fail("device " + device, reason, null));
    return new Report(device, checks, reason, host.devices());
  }

  /** Adds the GPU checks; returns why no GPU can be used, or null when one is listed. */
  private String gpuChecks(List<Check> checks, boolean gpuAsked) {
    List<Integer> gpus = gpus();
    if (!host.natives().gpu()) {
      checks.add(gpuAsked ? Check.fail("gpu", "skipped: CPU natives on the class path", GPU_BUILD)
          : host.nvidiaDriver() == null
          ? Check.ok("gpu", "skipped: CPU natives on the class path (the GPU build: " + GPU_BUILD + ")")
          : Check.warn("gpu", "skipped: NVIDIA driver " + host.nvidiaDriver() + " installed, but the CPU natives"
              + " are on the class path", GPU_BUILD));
      return "the CPU natives are on the class path (the GPU build: " + GPU_BUILD + ")";
    }
    checks.add(gpus.isEmpty()
        ? Check.fail("gpus", "TensorFlow lists no GPU", "see the driver and library lines")
        : Check.ok("gpus", gpus.stream().map(i -> "GPU:" + i).collect(Collectors.joining(", "))));
    checks.add(driverCheck());
    List<String> missing = new ArrayList<>();
    List<String> offPath = new ArrayList<>();
    for (Location location : CudaLibraries.locate(host)) {
      CudaLibraries.Library library = location.library();
      String name = library.soname();
      switch (location.found()) {
        case LOADED -> checks.add(Check.ok(name, library.what() + ", " + location.source() + ", loaded from "
            + location.path()));
        case LOADER_PATH -> checks.add(Check.ok(name, library.what() + ", " + location.source() + ", "
            + location.path()));
        case OFF_LOADER_PATH -> {
          Path dir = location.path().getParent();
          checks.add(Check.warn(name, library.what() + " at " + location.path() + ", where the dynamic loader does"
              + " not look", "export LD_LIBRARY_PATH=" + dir + ":$LD_LIBRARY_PATH (or add " + dir
              + " to /etc/ld.so.conf.d/ and run ldconfig)"));
          if (library.required()) {
            offPath.add(name + " (in " + dir + ")");
          }
        }
        case MISSING -> {
          checks.add(Check.missing(name, library.what() + ": not in LD_LIBRARY_PATH, ldconfig's cache, the system"
              + " library folders or /usr/local/cuda" + (library.required() ? "" : " (not needed to train)"),
              library.install()));
          // Without a driver its own library is no separate finding.
          if (library.required() && !(library.driver() && host.nvidiaDriver() == null)) {
            missing.add(name);
          }
        }
        default -> throw new IllegalStateException(location.found().toString());
      }
    }
    if (!gpus.isEmpty()) {
      return null;
    }
    List<String> why = new ArrayList<>();
    if (host.nvidiaDriver() == null) {
      why.add("no NVIDIA driver (it provides libcuda.so.1, which no CUDA or Maven package can)");
    }
    if (!missing.isEmpty()) {
      why.add("missing " + String.join(", ", missing));
    }
    if (!offPath.isEmpty()) {
      why.add("not on the loader's path: " + String.join(", ", offPath));
    }
    return "TensorFlow lists no GPU: " + (why.isEmpty()
        ? "the driver and the CUDA libraries are found (run with --verbose to see TensorFlow's log)"
        : String.join("; ", why));
  }

  private Check driverCheck() {
    String version = host.nvidiaDriver();
    if (version == null) {
      return Check.missing("nvidia driver", "no /proc/driver/nvidia/version and no nvidia-smi",
          "install NVIDIA's driver, " + driverMinimum() + " or newer (https://www.nvidia.com/drivers)");
    }
    return olderThan(version, DRIVER_FOR_CUDA_12)
        ? Check.warn("nvidia driver", version + ": older than CUDA 12 needs (" + driverMinimum() + ")",
            "update NVIDIA's driver to " + driverMinimum() + " or newer")
        : Check.ok("nvidia driver", version);
  }

  private void cpuChecks(List<Check> checks, String device) {
    Set<String> flags = Cpu.flags(host.cpuinfo());
    String model = Cpu.model(host.cpuinfo());
    String features = Cpu.FEATURES.stream().map(f -> flags.contains(f) ? f : "no " + f).collect(Collectors.joining(", "));
    if (!flags.contains("avx")) {
      checks.add(Check.fail("cpu", model + ": " + features, "TensorFlow's x86 natives need a CPU with AVX"));
    } else if (!flags.contains("avx2")) {
      checks.add(Check.warn("cpu", model + ": " + features, "a CPU with AVX2 and FMA runs oneDNN's kernels far faster"));
    } else {
      checks.add(Check.ok("cpu", model + ": " + features));
    }
    checks.add(Check.ok("precision", Cpu.fastestPrecision(flags)));
    String onednn = host.env().get("TF_ENABLE_ONEDNN_OPTS");
    if (onednn == null) {
      checks.add(Check.ok("onednn", "on (TensorFlow's default on x86 Linux; the launcher sets TF_ENABLE_ONEDNN_OPTS=1)"));
    } else if (Set.of("0", "false").contains(onednn.strip().toLowerCase(Locale.ROOT))) {
      checks.add(Check.warn("onednn", "off (TF_ENABLE_ONEDNN_OPTS=" + onednn + "): CPU convolutions run without oneDNN,"
          + " much slower", "unset TF_ENABLE_ONEDNN_OPTS (the launcher then sets 1)"));
    } else {
      checks.add(Check.ok("onednn", "on (TF_ENABLE_ONEDNN_OPTS=" + onednn + ")"));
    }
    int listed = Cpu.logicalCpus(host.cpuinfo());
    checks.add(Check.ok("threads", host.processors() + (listed > host.processors() ? " of " + listed
        + " logical CPUs (the others are outside this process's affinity or quota)" : "")
        + "; runs use them all (TensorFlow's choice), bench --threads T sets a count"));
    String kernels = host.kernelsStatus() + (device.startsWith("gpu") ? " (CPU only: on a GPU the AdaSecant updates"
        + " are TensorFlow ops)" : "");
    if (host.kernelsLoaded()) {
      checks.add(Check.ok("adasecant kernels", kernels));
    } else {
      checks.add(Check.warn("adasecant kernels", kernels, host.kernelsStatus().contains("SUPERCONV_NATIVE_KERNELS")
          ? "unset SUPERCONV_NATIVE_KERNELS"
          : "install a C compiler (Debian: gcc libc6-dev), then rebuild: rm training/target/.superconv-built"));
    }
  }

  private void dataChecks(List<Check> checks) {
    for (Dataset dataset : Dataset.values()) {
      String name = "data " + dataset.id();
      checks.add(data.find(dataset)
          .map(folder -> Check.ok(name, folder.toString()))
          .orElseGet(() -> Check.missing(name, "not in " + data.candidates(dataset).stream().map(Path::toString)
              .collect(Collectors.joining(", ")), "superconv data fetch " + dataset.id() + " --data-dir " + data.root()
              + (dataset == Dataset.FASHION_MNIST && data.sharedRoots().contains(DataLocation.DEBIAN_DATASETS)
                  ? " (or apt-get install dataset-fashion-mnist)" : ""))));
    }
  }

  private Check spaceCheck() {
    Path dir = runsDir.toAbsolutePath().normalize();
    String where = dir + (Files.isDirectory(dir) ? "" : " (not created yet)");
    long free = host.usableSpace().applyAsLong(dir);
    if (free < 0) {
      return Check.warn("runs", where + ": free space unknown", "check that the folder or its parent is readable");
    }
    String detail = where + ": " + gib(free) + " free";
    return free < LOW_SPACE
        ? Check.warn("runs", detail + ", under " + gib(LOW_SPACE) + " (each run keeps checkpoints, best weights and"
            + " a SavedModel)", "free space there, or give --runs-dir on a larger disk")
        : Check.ok("runs", detail);
  }

  private String reason(String device, String gpuReason) {
    if (host.devicesError() != null) {
      return "TensorFlow cannot list its devices: " + host.devicesError();
    }
    if (!device.startsWith("gpu")) {
      return null;
    }
    if (gpuReason != null) {
      return "--device " + device + " cannot run: " + gpuReason;
    }
    try {
      Devices.choose(device, host.devices());
      return null;
    } catch (IllegalArgumentException e) {
      return "--device " + device + " cannot run: " + e.getMessage();
    }
  }

  private String runsOn(String device) {
    if (device.equals("auto") && gpus().isEmpty()) {
      return "runs on the CPU: " + Devices.noGpuReason(host.natives());
    }
    return "runs on " + (device.equals("cpu") ? "/device:CPU:0" : Devices.choose(device, host.devices()));
  }

  private List<Integer> gpus() {
    return Devices.gpus(host.devices());
  }

  private static String shortName(String device) {
    int at = device.indexOf("device:");
    return at < 0 ? device : device.substring(at + "device:".length());
  }

  private static String gib(long bytes) {
    return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
  }

  private static String driverMinimum() {
    return Arrays.stream(DRIVER_FOR_CUDA_12).mapToObj(Integer::toString).collect(Collectors.joining("."));
  }

  /** Whether a dotted version is below {@code minimum}; a version that is not dotted numbers counts as new enough. */
  static boolean olderThan(String version, int[] minimum) {
    String[] parts = version.strip().split("\\.");
    for (int i = 0; i < minimum.length; i++) {
      int part;
      try {
        part = i < parts.length ? Integer.parseInt(parts[i]) : 0;
      } catch (NumberFormatException e) {
        return false;
      }
      if (part != minimum[i]) {
        return part < minimum[i];
      }
    }
    return false;
  }
}
