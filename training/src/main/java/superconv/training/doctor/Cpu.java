package superconv.training.doctor;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** What {@code /proc/cpuinfo} says about the features TensorFlow's CPU kernels use. */
final class Cpu {

  /** The flags that decide TensorFlow's CPU speed, in the order shown. */
  static final List<String> FEATURES = List.of("avx2", "avx512f", "avx512_bf16", "amx_bf16", "amx_tile");

  private Cpu() {}

  /** The first processor's flags (every core of a machine has the same). */
  static Set<String> flags(String cpuinfo) {
    return cpuinfo.lines()
        .filter(line -> line.startsWith("flags"))
        .findFirst()
        .map(line -> Arrays.stream(line.substring(line.indexOf(':') + 1).trim().split("\\s+"))
            .collect(Collectors.toUnmodifiableSet()))
        .orElse(Set.of());
  }

  static String model(String cpuinfo) {
    return cpuinfo.lines()
        .filter(line -> line.startsWith("model name"))
        .findFirst()
        .map(line -> line.substring(line.indexOf(':') + 1).trim())
        .orElse("unknown CPU");
  }

  static int logicalCpus(String cpuinfo) {
    return (int) cpuinfo.lines().filter(line -> line.matches("processor\\s*:.*")).count();
  }

  /**
   * The rule: bfloat16 activations beat float32 on a CPU only where AMX does the bfloat16 matrix products (README,
   * Speed: ~1.9x the float32 step); without AMX, AVX-512 BF16 included, float32 is the one to train in.
   */
  static String fastestPrecision(Set<String> flags) {
    if (flags.contains("amx_bf16") && flags.contains("amx_tile")) {
      return "bfloat16 is fastest here (AMX: precision = \"bfloat16\" ran ~1.9x the float32 step); rule: bfloat16"
          + " only with AMX, else float32";
    }
    return "float32 is fastest here (no AMX" + (flags.contains("avx512_bf16") ? ", AVX-512 BF16 only" : "")
        + "); rule: bfloat16 only with AMX (amx_bf16, amx_tile), else float32";
  }
}
