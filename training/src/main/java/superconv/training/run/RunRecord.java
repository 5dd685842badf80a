package superconv.training.run;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The content of a run's {@code run.json}: the resolved spec, provenance (versions, commit, device, data
 * checksums), the data the run saw ({@code data}: image counts and shape, class names, the channel statistics that
 * normalize its inputs; what {@code export} needs to rebuild the model without the data), times and where the run
 * stands. Rewritten atomically whenever any of it changes.
 */
@JsonPropertyOrder({
  "status", "spec", "superconv_version", "git_commit", "tensorflow_version", "device", "data_checksums", "data",
  "started",
  "ended", "epochs_completed", "steps", "best_epoch", "best_val_accuracy", "diverged_at_step", "message"
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
    @JsonProperty("message") String message) {

  public RunRecord withStatus(RunStatus newStatus, String newEnded, String newMessage) {
    return new RunRecord(newStatus, spec, superconvVersion, gitCommit, tensorflowVersion, device, dataChecksums, data,
        started, newEnded, epochsCompleted, steps, bestEpoch, bestValAccuracy, divergedAtStep, newMessage);
  }

  public RunRecord withProgress(int epochs, long stepCount, Integer best, Double bestAccuracy) {
    return new RunRecord(status, spec, superconvVersion, gitCommit, tensorflowVersion, device, dataChecksums, data, started,
        ended, epochs, stepCount, best, bestAccuracy, divergedAtStep, message);
  }

  public RunRecord withDivergence(long step) {
    return new RunRecord(RunStatus.DIVERGED, spec, superconvVersion, gitCommit, tensorflowVersion, device,
        dataChecksums, data, started, ended, epochsCompleted, steps, bestEpoch, bestValAccuracy, step, message);
  }
}
