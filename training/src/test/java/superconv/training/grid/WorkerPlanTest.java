package superconv.training.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** What each worker of run --workers gets: devices, CUDA_VISIBLE_DEVICES, threads, arguments. */
class WorkerPlanTest {

  private static final List<String> RUN = List.of("run", "/m.toml", "--runs-dir", "/runs", "--offline");
  private static final Supplier<GpuListing> NEVER = () -> {
    throw new AssertionError("the GPUs were listed although nothing needed them");
  };

  private static Supplier<GpuListing> listing(Integer... gpus) {
    return () -> new GpuListing(List.of(gpus), gpus.length == 0 ? "CPU natives" : null);
  }

  @Test
  void devicesParseAsCpuAllOrAListOfGpusInTheOrderGiven() {
    assertThat(WorkerDevices.parse("cpu")).isEqualTo(new WorkerDevices(WorkerDevices.Kind.CPU, List.of()));
    assertThat(WorkerDevices.parse("all").kind()).isEqualTo(WorkerDevices.Kind.ALL_GPUS);
    assertThat(WorkerDevices.parse(" gpu:2, gpu:0 ").gpus()).containsExactly(2, 0);
    assertThat(WorkerDevices.parse("gpu:2,gpu:0").text()).isEqualTo("gpu:2,gpu:0");

    assertThatThrownBy(() -> WorkerDevices.parse("gpu0")).hasMessage(
        "--devices \"gpu0\": \"gpu0\" is not a GPU (gpu:N); give cpu, all, or GPUs such as gpu:0,gpu:1");
    assertThatThrownBy(() -> WorkerDevices.parse("gpu:0,cpu")).hasMessageContaining("\"cpu\" is not a GPU");
    assertThatThrownBy(() -> WorkerDevices.parse("gpu:1,gpu:1")).hasMessageContaining("names gpu:1 twice");
  }

  @Test
  void allTakesEveryListedGpuAndNamedGpusMustBeListed() {
    assertThat(WorkerDevices.parse("all").resolve(List.of(0, 1, 2), null)).containsExactly(0, 1, 2);
    assertThat(WorkerDevices.parse("gpu:1").resolve(List.of(0, 1), null)).containsExactly(1);
    assertThat(WorkerDevices.parse("cpu").resolve(List.of(0, 1), null)).isEmpty();
    assertThatThrownBy(() -> WorkerDevices.parse("gpu:3").resolve(List.of(0, 1), null))
        .hasMessage("--devices gpu:3: TensorFlow lists no gpu:3 (it lists [gpu:0, gpu:1])");
    assertThatThrownBy(() -> WorkerDevices.parse("all").resolve(List.of(), "the CPU natives are on the class path"))
        .hasMessage("--devices all: TensorFlow lists no GPU, because the CPU natives are on the class path; use"
            + " --devices cpu to share the CPU");
  }

  @Test
  void eachGpuWorkerSeesItsOwnGpuAsCudaNumbersIt() {
    WorkerPlan.Placement placement = WorkerPlan.Placement.decide(WorkerDevices.parse("all"), 3, listing(0, 1, 2),
        null);
    List<WorkerPlan> plans = WorkerPlan.of(3, 10, placement, 16, null, RUN);
    assertThat(plans).extracting(WorkerPlan::device).containsExactly("gpu:0", "gpu:1", "gpu:2");
    assertThat(plans).extracting(WorkerPlan::cudaVisibleDevices).containsExactly("0", "1", "2");
    assertThat(plans.get(1).environment())
        .containsOnly(Map.entry("SUPERCONV_WORKER", "2"), Map.entry("CUDA_VISIBLE_DEVICES", "1"));

    // Under CUDA_VISIBLE_DEVICES=4,5,6,7 TensorFlow's gpu:1 is the machine's GPU 5; ids may be UUIDs.
    WorkerPlan.Placement within = WorkerPlan.Placement.decide(WorkerDevices.parse("gpu:1,gpu:3"), 2,
        listing(0, 1, 2, 3), "4,5,6,GPU-7f3a");
    assertThat(WorkerPlan.of(2, 10, within, 16, null, RUN)).extracting(WorkerPlan::cudaVisibleDevices)
        .containsExactly("5", "GPU-7f3a");
    assertThat(WorkerPlan.of(2, 10, within, 16, null, RUN).get(1).describe())
        .isEqualTo("worker 2: gpu:3 (CUDA_VISIBLE_DEVICES=GPU-7f3a), 8 threads");
  }

  @Test
  void theCoresAreDividedAsEvenlyAsWholeThreadsAllow() {
    assertThat(WorkerPlan.splitCores(16, 3)).containsExactly(6, 5, 5);
    assertThat(WorkerPlan.splitCores(16, 4)).containsExactly(4, 4, 4, 4);
    assertThat(WorkerPlan.splitCores(2, 4)).containsExactly(1, 1, 1, 1);
    assertThat(WorkerPlan.splitCores(7, 1)).containsExactly(7);

    List<WorkerPlan> plans = WorkerPlan.of(3, 10, WorkerPlan.Placement.cpu(false), 16, null, RUN);
    assertThat(plans).extracting(WorkerPlan::threads).containsExactly(6, 5, 5);
    assertThat(plans.get(0).args()).containsExactly("run", "/m.toml", "--runs-dir", "/runs", "--offline",
        "--threads", "6");
    assertThat(WorkerPlan.of(3, 10, WorkerPlan.Placement.cpu(false), 16, 2, RUN)).extracting(WorkerPlan::threads)
        .containsExactly(2, 2, 2);
  }

  @Test
  void noMoreWorkersStartThanRunsAreLeftAndTheyShareTheCoresThatFrees() {
    List<WorkerPlan> plans = WorkerPlan.of(4, 2, WorkerPlan.Placement.cpu(false), 16, null, RUN);
    assertThat(plans).extracting(WorkerPlan::number).containsExactly(1, 2);
    assertThat(plans).extracting(WorkerPlan::threads).containsExactly(8, 8);
    assertThat(WorkerPlan.of(4, 0, WorkerPlan.Placement.cpu(false), 16, null, RUN)).isEmpty();
  }

  @Test
  void moreWorkersThanGpusOrNoWorkerAreRefused() {
    WorkerPlan.Placement two = WorkerPlan.Placement.decide(WorkerDevices.parse("gpu:0,gpu:1"), 3, listing(0, 1),
        null);
    assertThatThrownBy(() -> WorkerPlan.of(3, 10, two, 16, null, RUN)).hasMessage("--workers 3 but 2 GPUs"
        + " (gpu:0,gpu:1): each worker owns one GPU, so give at most 2 workers, or leave --workers out");
    assertThat(WorkerPlan.of(1, 10, two, 16, null, RUN)).singleElement().extracting(WorkerPlan::device)
        .isEqualTo("gpu:0");
    assertThatThrownBy(() -> WorkerPlan.of(0, 10, WorkerPlan.Placement.cpu(false), 16, null, RUN))
        .hasMessage("--workers must be 1 or more, not 0");
  }

  @Test
  void cpuHidesTheGpusAndWithoutDevicesTheWorkersShareTheCpuOfAMachineWithoutGpus() {
    WorkerPlan.Placement cpu = WorkerPlan.Placement.decide(WorkerDevices.parse("cpu"), 2, NEVER, "0,1");
    List<WorkerPlan> plans = WorkerPlan.of(2, 10, cpu, 4, null, RUN);
    assertThat(plans).extracting(WorkerPlan::cudaVisibleDevices).containsExactly("", "");
    assertThat(plans.get(0).describe()).isEqualTo("worker 1: cpu (CUDA_VISIBLE_DEVICES=\"\"), 2 threads");

    WorkerPlan.Placement shared = WorkerPlan.Placement.decide(null, 2, listing(), null);
    assertThat(WorkerPlan.of(2, 10, shared, 4, null, RUN)).allSatisfy(plan -> {
      assertThat(plan.device()).isEqualTo("cpu");
      assertThat(plan.cudaVisibleDevices()).isNull();
      assertThat(plan.environment()).containsOnlyKeys("SUPERCONV_WORKER");
    });
  }

  @Test
  void aMachineWithGpusNeedsDevicesForMoreThanOneWorker() {
    assertThatThrownBy(() -> WorkerPlan.Placement.decide(null, 2, listing(0, 1), null))
        .hasMessage("--workers 2 on a machine with GPUs (gpu:0,gpu:1) needs --devices: all or a list such as"
            + " gpu:0,gpu:1 (one worker per GPU), or cpu to share the CPU");
    WorkerPlan.Placement one = WorkerPlan.Placement.decide(null, 1, listing(0, 1), "3");
    assertThat(WorkerPlan.of(1, 10, one, 8, null, RUN).get(0).describe()).isEqualTo("worker 1: default, 8 threads");
  }

  @Test
  void runsPinnedToAnotherGpuOrToAGpuUnderCpuAreRefused() {
    WorkerPlan.Placement gpus = new WorkerPlan.Placement(List.of(0, 1), false, null, "cpu");
    assertThat(gpus.refusal("e/r", "auto")).isNull();
    assertThat(gpus.refusal("e/r", "gpu")).isNull();
    assertThat(gpus.refusal("e/r", "gpu:0")).isNull();
    assertThat(gpus.refusal("e/r", "cpu")).isNull();
    assertThat(gpus.refusal("e/r", "gpu:1")).isEqualTo("run e/r asks for device \"gpu:1\", but each worker sees"
        + " only its own GPU (as gpu:0): set device = \"auto\" or \"gpu\" for runs that workers share");
    WorkerPlan.Placement cpu = WorkerPlan.Placement.cpu(true);
    assertThat(cpu.refusal("e/r", "auto")).isNull();
    assertThat(cpu.refusal("e/r", "gpu")).isEqualTo(
        "run e/r asks for device \"gpu\", but --devices cpu hides every GPU from the workers");
    assertThat(WorkerPlan.Placement.cpu(false).refusal("e/r", "gpu:3")).isNull();
  }
}
