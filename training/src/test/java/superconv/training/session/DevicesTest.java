package superconv.training.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DevicesTest {

  private static final List<String> CPU_ONLY = List.of("/job:localhost/replica:0/task:0/device:CPU:0");
  private static final List<String> TWO_GPUS = List.of("/job:localhost/replica:0/task:0/device:CPU:0",
      "/job:localhost/replica:0/task:0/device:GPU:0", "/job:localhost/replica:0/task:0/device:GPU:1");

  @Test
  void autoPicksTheFirstListedGpuElseTheCpu() {
    assertThat(Devices.choose("auto", CPU_ONLY)).isEqualTo("/device:CPU:0");
    assertThat(Devices.choose("auto", TWO_GPUS)).isEqualTo("/device:GPU:0");
    assertThat(Devices.choose("cpu", TWO_GPUS)).isEqualTo("/device:CPU:0");
    assertThat(Devices.choose("gpu", TWO_GPUS)).isEqualTo("/device:GPU:0");
    assertThat(Devices.choose("gpu:1", TWO_GPUS)).isEqualTo("/device:GPU:1");
  }

  @Test
  void aGpuThatIsNotListedIsAnErrorNamingWhatIs() {
    assertThatThrownBy(() -> Devices.choose("gpu", CPU_ONLY))
        .hasMessageContaining("asks for GPU 0 but TensorFlow lists no GPU").hasMessageContaining("device:CPU:0");
    assertThatThrownBy(() -> Devices.choose("gpu:2", TWO_GPUS)).hasMessageContaining("lists GPUs [0, 1]");
  }

  @Test
  void thisMachineListsItsCpu() {
    assertThat(Devices.list()).anyMatch(d -> d.endsWith("device:CPU:0"));
    assertThat(Devices.sessionConfig().getAllowSoftPlacement()).isTrue();
    assertThat(Devices.sessionConfig().getGpuOptions().getAllowGrowth()).isTrue();
  }
}
