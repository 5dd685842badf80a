package superconv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static superconv.cli.CliRun.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code superconv doctor} on this machine, a CPU one with TensorFlow's CPU natives. */
class DoctorCommandTest {

  @TempDir Path dir;

  @Test
  void cpuPassesOnThisMachine() {
    CliRun run = run("doctor", "--device", "cpu", "--runs-dir", dir.toString(), "--data-dir", dir.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("tensorflow").contains("CPU natives").contains("device cpu")
        .contains("runs on /device:CPU:0").contains("fix: superconv data fetch cifar10");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void gpuFailsWithTheReasonInOneLine() {
    CliRun run = run("doctor", "--device", "gpu", "--runs-dir", dir.toString(), "--data-dir", dir.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errLines()).singleElement().asString()
        .startsWith("superconv doctor: --device gpu cannot run: the CPU natives are on the class path");
  }

  @Test
  void jsonHoldsEveryCheck() throws Exception {
    CliRun run = run("doctor", "--device", "gpu", "--json", "--runs-dir", dir.toString(), "--data-dir", dir.toString());

    JsonNode report = Json.mapper().readTree(run.out());
    assertThat(report.get("device").asText()).isEqualTo("gpu");
    assertThat(report.get("runnable").asBoolean()).isFalse();
    assertThat(report.get("reason").asText()).contains("CPU natives");
    // What run --workers reads to list the GPUs: TensorFlow's device names (CPU natives: the CPU alone).
    assertThat(report.get("devices")).singleElement().extracting(JsonNode::asText)
        .isEqualTo("/job:localhost/replica:0/task:0/device:CPU:0");
    assertThat(report.get("checks")).anySatisfy(c -> {
      assertThat(c.get("name").asText()).isEqualTo("precision");
      assertThat(c.get("status").asText()).isEqualTo("ok");
    });
    assertThat(run.exitCode()).isEqualTo(1);
  }

  @Test
  void unknownDeviceIsABadCommandLine() {
    CliRun run = run("doctor", "--device", "tpu");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("auto, cpu, gpu, gpu:N");
  }
}
