package superconv.training.run;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The content of a run's {@code run.json}: the resolved spec, provenance (versions, commit, device, data
 * checksums, where the latest session ran), the data the run saw ({@code data}: image counts and shape, class names, the channel statistics that
 * normalize its inputs; what {@code export} needs to rebuild the model without the data), times and where the run
 * stands: {@code epochs_completed} and {@code steps} are its last checkpoint's, so {@code steps} beyond {@code
 * epochs_completed * steps_per_epoch} are the steps of the next epoch a mid-epoch checkpoint holds. Rewritten
 * atomically whenever any of it changes.
 */
@JsonPropertyOrder({
  "status", "spec", "superconv_version", "git_commit", "tensorflow_version", "device", "scheduler", "data_checksums", "data",
  "started",
  "ended", "epochs_completed", "steps", "steps_per_epoch", "best_epoch", "best_val_accuracy", "diverged_at_step",
  "message"
})
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunRecord(
    @JsonProperty("status") RunStatus status,
    @JsonProperty("spec") JsonNode spec,
    @JsonProperty("superconv_version") String superconvVersion,
    @JsonProperty("git_commit") String gitCommit,
    @JsonProperty("tensorflow_version") String tensorflowVersion,
    @JsonProperty("device") String device,
    @JsonProperty("data_checksums") Map<String, String> dataChecksums,
    @JsonProperty("data") JsonNode data,
    @JsonProperty("started") String started,
    @JsonProperty("ended") String ended,
    @JsonProperty("epochs_completed") int epochsCompleted,
    @JsonProperty("steps") long steps,
    @JsonProperty("best_epoch") Integer bestEpoch,
    @JsonProperty("best_val_accuracy") Double bestValAccuracy,
    @JsonProperty("diverged_at_step") Long divergedAtStep,
    @JsonProperty("message") String message,
    @JsonProperty("scheduler") SchedulerContext scheduler,
    @JsonProperty("steps_per_epoch") Integer stepsPerEpoch) {

  /**
   * The message of a run stopped by a signal (Ctrl-C, SIGTERM, a scheduler's preemption or time limit): an
   * interrupted run with another message stopped on an error.
   */
  public static final String STOPPED_BY_SIGNAL =
      "stopped by a signal; the next run of the manifest resumes from the last checkpoint";

  /** A record without scheduler context (as run.json was written before it had one). */
  public RunRecord(RunStatus status, JsonNode spec, String superconvVersion, String gitCommit,
      String tensorflowVersion, String device, Map<String, String> dataChecksums, JsonNode data, String started,
      String ended, int epochsCompleted, long steps, Integer bestEpoch, Double bestValAccuracy, Long divergedAtStep,
      String message) {
    this(status, spec, superconvVersion, gitCommit, tensorflowVersion, device, dataChecksums, data, started, ended,
        epochsCompleted, steps, bestEpoch, bestValAccuracy, divergedAtStep, message, null, null);
  }

  public RunRecord withStatus(RunStatus newStatus, String newEnded, String newMessage) {
    return new RunRecord(newStatus, spec, superconvVersion, gitCommit, tensorflowVersion, device, dataChecksums, data,
        started, newEnded, epochsCompleted, steps, bestEpoch, bestValAccuracy, divergedAtStep, newMessage, scheduler,
        stepsPerEpoch);
  }

  public RunRecord withProgress(int epochs, long stepCount, Integer best, Double bestAccuracy) {
    return new RunRecord(status, spec, superconvVersion, gitCommit, tensorflowVersion, device, dataChecksums, data, started,
        ended, epochs, stepCount, best, bestAccuracy, divergedAtStep, message, scheduler, stepsPerEpoch);
  }

  /** At {@code progress}: a checkpoint's, so run.json says no more than the checkpoint holds. */
  public RunRecord withProgress(RunProgress progress) {
    boolean any = progress.bestEpoch() > 0;
    return withProgress(progress.epochsCompleted(), progress.steps(), any ? progress.bestEpoch() : null,
        any ? progress.bestAccuracy() : null);
  }

  public RunRecord withDivergence(long step) {
    return new RunRecord(RunStatus.DIVERGED, spec, superconvVersion, gitCommit, tensorflowVersion, device,
        dataChecksums, data, started, ended, epochsCompleted, steps, bestEpoch, bestValAccuracy, step, message,
        scheduler, stepsPerEpoch);
  }

  /**
   * The steps of the epoch in progress that {@code steps} counts (a mid-epoch checkpoint's), or 0 at an epoch's end
   * and in records without {@code steps_per_epoch}.
   */
  @JsonIgnore
  public long stepsIntoEpoch() {
    return stepsPerEpoch == null || stepsPerEpoch <= 0 ? 0
        : Math.max(0, steps - (long) epochsCompleted * stepsPerEpoch);
  }

  /** Whether the run stopped on an error rather than a signal or a kill (it resumes like any interrupted run). */
  @JsonIgnore
  public boolean failed() {
    return status == RunStatus.INTERRUPTED && message != null && !message.equals(STOPPED_BY_SIGNAL);
  }
}
