package superconv.training.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TensorFlowNativesTest {

  @Test
  void theLoadedLibraryTellsTheBuild() {
    String gpuLine = "7f0e2c000000-7f0e2d000000 r-xp 00000000 08:01 123 /home/u/.javacpp/cache/"
        + "tensorflow-core-native-1.1.0-linux-x86_64-gpu.jar/org/tensorflow/internal/c_api/linux-x86_64-gpu/"
        + "libtensorflow_cc.so.2";

    TensorFlowNatives natives = TensorFlowNatives.detect(List.of("00400000 r-xp /usr/bin/java", gpuLine),
        List.of("/m2/tensorflow-core-native-1.1.0-linux-x86_64.jar")).orElseThrow();

    assertThat(natives.gpu()).isTrue();
    assertThat(natives.platform()).isEqualTo("linux-x86_64-gpu");
    assertThat(natives.describe()).isEqualTo("GPU natives (linux-x86_64-gpu)");
  }

  @Test
  void theNativesJarTellsTheBuildBeforeTensorFlowLoads() {
    assertThat(TensorFlowNatives.detect(List.of(), List.of("/a/tensorflow-core-api-1.1.0.jar",
        "/m2/org/tensorflow/tensorflow-core-native/1.1.0/tensorflow-core-native-1.1.0-linux-x86_64-gpu.jar")))
        .hasValueSatisfying(n -> assertThat(n.gpu()).isTrue());
    assertThat(TensorFlowNatives.detect(List.of(), List.of("/m2/tensorflow-core-native-1.1.0-linux-x86_64.jar")))
        .hasValueSatisfying(n -> assertThat(n.gpu()).isFalse());
    assertThat(TensorFlowNatives.detect(List.of(), List.of("/m2/tensorflow-core-native-1.1.0.jar"))).isEmpty();
  }

  @Test
  void thisProcessRunsTheCpuBuild() {
    assertThat(TensorFlowNatives.current().gpu()).isFalse();
    assertThat(Devices.noGpuReason(TensorFlowNatives.current())).contains("SUPERCONV_MAVEN_ARGS=-Pgpu");
  }
}
