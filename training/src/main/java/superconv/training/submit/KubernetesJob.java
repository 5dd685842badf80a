package superconv.training.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A submission as Kubernetes objects: a ConfigMap holding the snapshot ({@link ManifestSnapshot#MANIFEST} and
 * {@link ManifestSnapshot#RUNS}) and a batch/v1 Indexed Job with one completion per pending run. Pod k reads line
 * k of the runs table for its run's index and runs {@code superconv run} on the snapshot with the runs volume as
 * its runs directory; a pod that fails is retried up to {@code backoffLimitPerIndex} times and resumes the run from
 * its last checkpoint, and one run's failures do not fail the others (which a Job-wide {@code backoffLimit} would).
 * Only standard fields: {@code backoffLimitPerIndex} needs Kubernetes 1.29 or newer (beta, on by default).
 *
 * @param name the Job's and the ConfigMap's name, a DNS-1123 label
 * @param namespace null for kubectl's current namespace
 * @param image an image with {@code superconv} on its PATH (the repository's Dockerfile)
 * @param runsClaim the PersistentVolumeClaim that holds the runs directory, mounted at {@link #RUNS_MOUNT}
 * @param gpus {@code nvidia.com/gpu} per pod; 0 asks for none
 * @param cpus CPU cores requested per pod
 * @param memory memory requested per pod, a Kubernetes quantity ({@code 16Gi})
 * @param parallelism pods at most at once, or null for one per pending run (the cluster starts what fits)
 * @param backoffLimitPerIndex retries of one run's pod
 * @param checkpointEvery the pods' {@code run --checkpoint-every}, 0 for none
 */
public record KubernetesJob(String name, String namespace, String image, String runsClaim, int gpus, int cpus,
    String memory, Integer parallelism, int backoffLimitPerIndex, int checkpointEvery) {

  public static final String RUNS_MOUNT = "/runs";
  public static final String SUBMISSION_MOUNT = "/superconv/submission";
  /** Kubernetes refuses a ConfigMap whose data exceed 1 MiB. */
  public static final int CONFIG_MAP_LIMIT = 1024 * 1024;
  /** Job names longer than a label value break the job-name label Kubernetes puts on every pod. */
  public static final int MAX_NAME = 63;

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern SUBDOMAIN = Pattern.compile(LABEL + "(\\." + LABEL + ")*");
  private static final Pattern QUANTITY = Pattern.compile("[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?");

  /**
   * The pod's whole program. {@code JOB_COMPLETION_INDEX} is the environment variable Kubernetes sets in every pod
   * of an Indexed Job; line k+1 of the runs table holds run index k's snapshot index. It contains no {@code $$} and
   * no {@code $(NAME)} with NAME a variable, so Kubernetes' own {@code $(VAR)} expansion leaves it as written.
   */
  static final String POD_SCRIPT = "set -eu; "
      + "index=$(sed -n \"$((JOB_COMPLETION_INDEX + 1))p\" " + SUBMISSION_MOUNT + "/" + ManifestSnapshot.RUNS
      + " | cut -f1); "
      + "exec superconv run " + SUBMISSION_MOUNT + "/" + ManifestSnapshot.MANIFEST
      + " --index \"$index\" --runs-dir " + RUNS_MOUNT;

  /**
   * Seconds between the SIGTERM of a pod being stopped (preemption, node drain, {@code kubectl delete}) and its
   * SIGKILL: the run checkpoints at the step it is taking in that time. Slurm's lead, rather than Kubernetes' default
   * of 30 s, so that a large model's checkpoint on a slow volume fits.
   */
  public static final int TERMINATION_GRACE_SECONDS = 120;

  private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      // cpu: "4" stays a string, as it was put: a quantity, not whatever a YAML reader makes of 4.
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
      .disable(YAMLGenerator.Feature.SPLIT_LINES)
      .build());

  public KubernetesJob {
    require(isLabel(name) && name.length() <= MAX_NAME, "the Job name \"" + name + "\" is not a DNS-1123 label of"
        + " at most " + MAX_NAME + " characters (lowercase letters, digits and '-', a letter or digit at each end)");
    require(namespace == null || isLabel(namespace) && namespace.length() <= MAX_NAME,
        "--namespace \"" + namespace + "\" is not a DNS-1123 label (lowercase letters, digits and '-', at most 63)");
    require(image != null && !image.isBlank() && image.strip().equals(image) && !image.contains(" "),
        "--image \"" + image + "\" is not an image reference");
    require(runsClaim != null && SUBDOMAIN.matcher(runsClaim).matches() && runsClaim.length() <= 253,
        "--runs-volume \"" + runsClaim + "\" is not a PersistentVolumeClaim name (lowercase letters, digits, '-' and"
            + " '.')");
    require(gpus >= 0, "--gpus-per-pod must be 0 or more, not " + gpus);
    require(cpus >= 1, "--cpus-per-pod must be 1 or more, not " + cpus);
    require(memory != null && QUANTITY.matcher(memory).matches(),
        "--memory \"" + memory + "\" is not a Kubernetes quantity such as 16Gi or 16000M");
    require(parallelism == null || parallelism >= 1, "--parallelism must be 1 or more, not " + parallelism);
    require(backoffLimitPerIndex >= 0, "--backoff-limit-per-index must be 0 or more, not " + backoffLimitPerIndex);
    require(checkpointEvery >= 0, "--checkpoint-every must be 1 or more steps, not " + checkpointEvery);
  }

  /** The pod's program: {@link #POD_SCRIPT} with the run options of this submission. */
  public String podScript() {
    return POD_SCRIPT + (checkpointEvery > 0 ? " --checkpoint-every " + checkpointEvery : "");
  }

  /** Whether {@code text} is a DNS-1123 label (without the length limit). */
  public static boolean isLabel(String text) {
    return text != null && LABEL.matcher(text).matches();
  }

  /**
   * {@code text} made a DNS-1123 label of at most {@code max} characters: lowercase, every run of other characters
   * one '-', no '-' at either end; "superconv" when nothing is left.
   */
  public static String label(String text, int max) {
    String label = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+", "");
    label = label.substring(0, Math.min(label.length(), max)).replaceAll("-+$", "");
    return label.isEmpty() ? "superconv" : label;
  }

  /**
   * The ConfigMap and the Job, in the order {@code kubectl apply} needs them (the pods mount the ConfigMap).
   *
   * @throws IllegalArgumentException when nothing is pending, or the snapshot is too large for a ConfigMap
   */
  public List<ObjectNode> objects(ManifestSnapshot snapshot) {
    if (snapshot.pending().isEmpty()) {
      throw new IllegalArgumentException("no run to submit: every selected run is finished or diverged");
    }
    String runs = snapshot.runsTable();
    int size = snapshot.text().getBytes(StandardCharsets.UTF_8).length + runs.getBytes(StandardCharsets.UTF_8).length;
    require(size <= CONFIG_MAP_LIMIT, "the snapshot (" + size + " bytes) exceeds a ConfigMap's 1 MiB; submit fewer"
        + " runs at once with --only");
    ObjectNode configMap = object("v1", "ConfigMap");
    ObjectNode data = configMap.putObject("data");
    data.put(ManifestSnapshot.MANIFEST, snapshot.text());
    data.put(ManifestSnapshot.RUNS, runs);
    return List.of(configMap, job(snapshot.pending().size()));
  }

  /** {@link #objects} as one YAML stream, each object its own document. */
  public String yaml(ManifestSnapshot snapshot) {
    StringWriter text = new StringWriter();
    try (SequenceWriter writer = YAML.writer().writeValues(text)) {
      for (JsonNode object : objects(snapshot)) {
        writer.write(object);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  private ObjectNode job(int completions) {
    ObjectNode job = object("batch/v1", "Job");
    ObjectNode spec = job.putObject("spec");
    spec.put("completionMode", "Indexed");
    spec.put("completions", completions);
    spec.put("parallelism", parallelism == null ? completions : Math.min(parallelism, completions));
    spec.put("backoffLimitPerIndex", backoffLimitPerIndex);
    ObjectNode template = spec.putObject("template");
    template.putObject("metadata").set("labels", labels());
    ObjectNode pod = template.putObject("spec");
    pod.put("restartPolicy", "Never");
    pod.put("terminationGracePeriodSeconds", TERMINATION_GRACE_SECONDS);
    ObjectNode container = pod.putArray("containers").addObject();
    container.put("name", "superconv");
    container.put("image", image);
    ArrayNode command = container.putArray("command");
    command.add("sh").add("-c").add(podScript());
    ObjectNode resources = container.putObject("resources");
    resources.putObject("requests").put("cpu", String.valueOf(cpus)).put("memory", memory);
    if (gpus > 0) {
      // Extended resources go in limits; Kubernetes sets the request to the limit.
      resources.putObject("limits").put("nvidia.com/gpu", gpus);
    }
    ArrayNode mounts = container.putArray("volumeMounts");
    mounts.addObject().put("name", "runs").put("mountPath", RUNS_MOUNT);
    mounts.addObject().put("name", "submission").put("mountPath", SUBMISSION_MOUNT).put("readOnly", true);
    ArrayNode volumes = pod.putArray("volumes");
    volumes.addObject().put("name", "runs").putObject("persistentVolumeClaim").put("claimName", runsClaim);
    volumes.addObject().put("name", "submission").putObject("configMap").put("name", name);
    return job;
  }

  private ObjectNode object(String apiVersion, String kind) {
    ObjectNode object = JsonNodeFactory.instance.objectNode();
    object.put("apiVersion", apiVersion);
    object.put("kind", kind);
    ObjectNode metadata = object.putObject("metadata");
    metadata.put("name", name);
    if (namespace != null) {
      metadata.put("namespace", namespace);
    }
    metadata.set("labels", labels());
    return object;
  }

  private ObjectNode labels() {
    ObjectNode labels = JsonNodeFactory.instance.objectNode();
    labels.put("app.kubernetes.io/name", "superconv");
    return labels;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
