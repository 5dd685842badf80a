package superconv.training.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** run.json's scheduler context, from given environments (no Slurm or Kubernetes needed). */
class SchedulerContextTest {

  @TempDir Path dir;

  @Test
  void aSlurmArrayTaskRecordsItsJobTaskAndNode() {
    SchedulerContext context = SchedulerContext.of(Map.of("SLURM_JOB_ID", "1235", "SLURM_ARRAY_JOB_ID", "1230",
        "SLURM_ARRAY_TASK_ID", "5", "SLURMD_NODENAME", "gpu07", "SLURM_JOB_NODELIST", "gpu[07]",
        "HOSTNAME", "gpu07"), "gpu07.cluster", 4242);
    assertThat(context).isEqualTo(
        new SchedulerContext("gpu07.cluster", 4242L, null, null, "1235", "1230", "5", "gpu07", null, null));
    assertThat(context.job()).isEqualTo("slurm job 1230_5 on gpu07");
  }

  @Test
  void aBatchScriptWithoutAStepNamesTheNodeFromTheNodeList() {
    SchedulerContext context =
        SchedulerContext.of(Map.of("SLURM_JOB_ID", "77", "SLURM_JOB_NODELIST", "cpu01"), "cpu01", 1);
    assertThat(context.slurmNode()).isEqualTo("cpu01");
    assertThat(context.slurmArrayTaskId()).isNull();
    assertThat(context.job()).isEqualTo("slurm job 77 on cpu01");
  }

  @Test
  void aKubernetesPodRecordsItsNameAndCompletionIndex() {
    SchedulerContext context = SchedulerContext.of(Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1",
        "HOSTNAME", "grid-3-x7k2p", "JOB_COMPLETION_INDEX", "3"), "grid-3-x7k2p", 1);
    assertThat(context.kubernetesPod()).isEqualTo("grid-3-x7k2p");
    assertThat(context.kubernetesCompletionIndex()).isEqualTo("3");
    assertThat(context.slurmJobId()).isNull();
    assertThat(context.job()).isEqualTo("pod grid-3-x7k2p (index 3)");
  }

  @Test
  void aPlainHostRecordsOnlyHostAndPid() throws Exception {
    SchedulerContext context = SchedulerContext.of(Map.of("HOSTNAME", "laptop", "SLURM_JOB_ID", " "), "laptop", 99);
    assertThat(context).isEqualTo(new SchedulerContext("laptop", 99L, null, null, null, null, null, null, null, null));
    assertThat(context.job()).isNull();
    assertThat(RunFolder.json().writeValueAsString(context).replaceAll("\\s", ""))
        .isEqualTo("{\"host\":\"laptop\",\"pid\":99}");
  }

  @Test
  void aWorkerOfRunWorkersRecordsItsNumberAndItsGpu() throws Exception {
    SchedulerContext context = SchedulerContext.of(Map.of("SUPERCONV_WORKER", "2", "CUDA_VISIBLE_DEVICES", "3"),
        "box", 5);
    assertThat(context.worker()).isEqualTo("2");
    assertThat(context.cudaVisibleDevices()).isEqualTo("3");
    assertThat(context.job()).isNull();
    assertThat(RunFolder.json().writeValueAsString(context).replaceAll("\\s", ""))
        .isEqualTo("{\"host\":\"box\",\"pid\":5,\"worker\":\"2\",\"cuda_visible_devices\":\"3\"}");
  }

  @Test
  void thisProcessKnowsItsPidAndHost() {
    SchedulerContext current = SchedulerContext.current();
    assertThat(current.pid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(current.host()).isNotBlank();
  }

  @Test
  void runJsonRecordsTheContextAfterTheDeviceAndReadsRecordsWithoutOne() throws Exception {
    RunFolder folder = new RunFolder(dir.resolve("e/r"));
    var spec = RunFolder.json().readTree("{\"experiment\":\"e\",\"run\":\"r\"}");
    SchedulerContext context = SchedulerContext.of(Map.of("SLURM_JOB_ID", "9"), "n1", 7);
    folder.writeRecord(new RunRecord(RunStatus.RUNNING, spec, "0.1.0", null, "2.18.0", "/CPU:0", Map.of(), null,
        "t0", null, 0, 0, null, null, null, null, context, null).withStatus(RunStatus.FINISHED, "t1", null));
    String json = Files.readString(folder.runJson());
    assertThat(json).containsSubsequence("\"device\"", "\"scheduler\" : {", "\"host\" : \"n1\"", "\"pid\" : 7",
        "\"slurm_job_id\" : \"9\"", "}", "\"data_checksums\"").doesNotContain("kubernetes").doesNotContain("failed");
    assertThat(folder.readRecord().orElseThrow().scheduler()).isEqualTo(context);

    Files.writeString(folder.runJson(), json.replaceAll("(?s)\"scheduler\" : \\{[^}]*},", ""));
    assertThat(Files.readString(folder.runJson())).doesNotContain("scheduler");
    assertThat(folder.readRecord().orElseThrow().scheduler()).isNull();
  }
}
