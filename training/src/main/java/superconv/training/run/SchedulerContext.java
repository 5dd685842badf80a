package superconv.training.run;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

/**
 * Where a run's latest session ran, as {@code run.json}'s {@code scheduler} records it: the host and process id
 * always, and the Slurm job or Kubernetes pod when the session ran under one. With it a user (or {@code status})
 * can find the job to cancel, the node's logs, or the array task that trained a run. Read from the environment
 * the scheduler gives the process; keys it does not set are left out. A worker of {@code run --workers} records its
 * number ({@code worker}, from {@link #WORKER_VARIABLE}) and the GPU it was given ({@code cuda_visible_devices}).
 */
@JsonPropertyOrder({
  "host", "pid", "worker", "cuda_visible_devices", "slurm_job_id", "slurm_array_job_id", "slurm_array_task_id",
  "slurm_node",
  "kubernetes_pod", "kubernetes_completion_index"
})
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SchedulerContext(
    @JsonProperty("host") String host,
    @JsonProperty("pid") Long pid,
    @JsonProperty("worker") String worker,
    @JsonProperty("cuda_visible_devices") String cudaVisibleDevices,
    @JsonProperty("slurm_job_id") String slurmJobId,
    @JsonProperty("slurm_array_job_id") String slurmArrayJobId,
    @JsonProperty("slurm_array_task_id") String slurmArrayTaskId,
    @JsonProperty("slurm_node") String slurmNode,
    @JsonProperty("kubernetes_pod") String kubernetesPod,
    @JsonProperty("kubernetes_completion_index") String kubernetesCompletionIndex) {

  /** The variable in which {@code run --workers} gives each worker process its number (1 to N). */
  public static final String WORKER_VARIABLE = "SUPERCONV_WORKER";

  /** This process, under whatever scheduler started it. */
  public static SchedulerContext current() {
    return of(System.getenv(), hostName(), ProcessHandle.current().pid());
  }

  /**
   * The context an environment describes. {@code SLURMD_NODENAME} is the node a step runs on; a batch script
   * outside a step may only see {@code SLURM_JOB_NODELIST}, which for a one-node job is that node. Every pod gets
   * {@code KUBERNETES_SERVICE_HOST}, and its {@code HOSTNAME} is the pod's name; outside a pod {@code HOSTNAME}
   * says nothing the host name does not.
   */
  public static SchedulerContext of(Map<String, String> env, String host, long pid) {
    boolean pod = present(env.get("KUBERNETES_SERVICE_HOST")) != null;
    String node = present(env.get("SLURMD_NODENAME"));
    return new SchedulerContext(host, pid, present(env.get(WORKER_VARIABLE)), present(env.get("CUDA_VISIBLE_DEVICES")),
        present(env.get("SLURM_JOB_ID")), present(env.get("SLURM_ARRAY_JOB_ID")),
        present(env.get("SLURM_ARRAY_TASK_ID")), node != null ? node : present(env.get("SLURM_JOB_NODELIST")),
        pod ? present(env.get("HOSTNAME")) : null, present(env.get("JOB_COMPLETION_INDEX")));
  }

  /** The scheduler's job in a few words, e.g. "slurm job 123_4 on node7", or null outside one. */
  public String job() {
    StringBuilder text = new StringBuilder();
    if (slurmJobId != null || slurmArrayJobId != null) {
      text.append("slurm job ").append(slurmArrayJobId != null && slurmArrayTaskId != null
          ? slurmArrayJobId + "_" + slurmArrayTaskId : slurmJobId);
      if (slurmNode != null) {
        text.append(" on ").append(slurmNode);
      }
    }
    if (kubernetesPod != null || kubernetesCompletionIndex != null) {
      text.append(text.length() > 0 ? ", " : "").append("pod ")
          .append(kubernetesPod != null ? kubernetesPod : "?")
          .append(kubernetesCompletionIndex != null ? " (index " + kubernetesCompletionIndex + ")" : "");
    }
    return text.length() == 0 ? null : text.toString();
  }

  private static String present(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      // A host whose own name does not resolve: the name is still in the exception's text ("name: reason").
      String message = e.getMessage() == null ? "" : e.getMessage();
      int colon = message.indexOf(':');
      return colon > 0 ? message.substring(0, colon) : "unknown";
    }
  }
}
