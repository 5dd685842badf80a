package superconv.training.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import java.io.IOException;
import superconv.training.manifest.RunSpec;
import superconv.training.run.RunFolder;
import superconv.training.run.RunLock;
import superconv.training.run.RunRecord;
import superconv.training.run.SchedulerContext;

/**
 * Where one run stands, as {@code superconv status} shows it: read from its {@code run.json} and its lock, without
 * writing anything.
 *
 * @param run experiment/run, or for an unreadable run.json the folder's path below the runs directory
 * @param index the run's index in the manifest's selection ({@code run --index}), or null without a manifest or
 *     for a folder the selection does not hold
 * @param epochs the planned epochs, or null when unknown (an unreadable run.json)
 * @param epochSteps the steps of the next epoch a mid-epoch checkpoint holds beyond {@code epochsCompleted}, or null
 *     at an epoch's end
 * @param stepsPerEpoch the run's steps per epoch, with {@code epochSteps}
 * @param scheduler where the run's latest session ran, when run.json records it
 * @param message why an interrupted or failed run stopped, or why run.json cannot be read
 */
@JsonPropertyOrder({
  "run", "index", "state", "epochs_completed", "epoch_steps", "steps_per_epoch", "epochs", "best_val_accuracy",
  "best_epoch", "diverged_at_step", "scheduler", "message", "dir"
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunState(
    @JsonProperty("run") String run,
    @JsonProperty("index") Integer index,
    @JsonProperty("state") State state,
    @JsonProperty("epochs_completed") int epochsCompleted,
    @JsonProperty("epochs") Integer epochs,
    @JsonProperty("epoch_steps") Long epochSteps,
    @JsonProperty("steps_per_epoch") Integer stepsPerEpoch,
    @JsonProperty("best_val_accuracy") Double bestValAccuracy,
    @JsonProperty("best_epoch") Integer bestEpoch,
    @JsonProperty("diverged_at_step") Long divergedAtStep,
    @JsonProperty("scheduler") SchedulerContext scheduler,
    @JsonProperty("message") String message,
    @JsonProperty("dir") String dir) {

  /** A run recorded as running whose lock is free was killed without a chance to say so. */
  public static final String PROCESS_GONE = "its process is gone (no superconv process holds its lock)";

  public enum State {
    FINISHED, DIVERGED, RUNNING, INTERRUPTED, FAILED, UNREADABLE, NOT_STARTED;

    @JsonValue
    public String key() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * The state of the run in {@code folder}. Running means a process holds the run's lock now (another process:
   * see {@link RunLock#isHeld}).
   *
   * @param id the run's name when run.json cannot say (unreadable, or not written yet)
   * @param spec the manifest's spec when there is one (planned epochs of a run not started), else null
   */
  public static RunState of(RunFolder folder, String id, Integer index, RunSpec spec) {
    String dir = folder.dir().toString();
    RunRecord record;
    try {
      record = folder.readRecord().orElse(null);
    } catch (IOException | RuntimeException e) {
      return new RunState(id, index, State.UNREADABLE, 0, spec == null ? null : spec.epochs(), null, null, null,
          null, null, null, Report.unreadable(e), dir);
    }
    if (record == null) {
      return new RunState(id, index, State.NOT_STARTED, 0, spec == null ? null : spec.epochs(), null, null, null,
          null, null, null, null, dir);
    }
    State state;
    String message = record.message();
    switch (record.status()) {
      case FINISHED -> state = State.FINISHED;
      case DIVERGED -> state = State.DIVERGED;
      case INTERRUPTED -> state = record.failed() ? State.FAILED : State.INTERRUPTED;
      case RUNNING -> {
        boolean held;
        try {
          held = RunLock.isHeld(folder);
        } catch (IOException e) {
          return new RunState(id, index, State.UNREADABLE, record.epochsCompleted(), epochs(record, spec), null,
              null, record.bestValAccuracy(), record.bestEpoch(), null, record.scheduler(),
              "its lock cannot be probed: " + Report.unreadable(e), dir);
        }
        state = held ? State.RUNNING : State.INTERRUPTED;
        message = held ? null : PROCESS_GONE;
      }
      default -> throw new IllegalStateException("unknown status " + record.status());
    }
    String name = record.spec() != null && record.spec().hasNonNull("experiment")
        ? record.spec().path("experiment").asText() + "/" + record.spec().path("run").asText() : id;
    long into = record.stepsIntoEpoch();
    return new RunState(name, index, state, record.epochsCompleted(), epochs(record, spec), into > 0 ? into : null,
        into > 0 ? record.stepsPerEpoch() : null, record.bestValAccuracy(), record.bestEpoch(),
        record.divergedAtStep(), record.scheduler(), message, dir);
  }

  private static Integer epochs(RunRecord record, RunSpec spec) {
    if (record.spec() != null && record.spec().hasNonNull("epochs")) {
      return record.spec().get("epochs").asInt();
    }
    return spec == null ? null : spec.epochs();
  }

  /**
   * Completed epochs of planned ones ("2/3"), and the steps of the next epoch a mid-epoch checkpoint holds
   * ("2/3 + 120/468 steps"); "-" where run.json cannot say.
   */
  @JsonIgnore
  public String epochsText() {
    if (state == State.UNREADABLE && epochs == null) {
      return "-";
    }
    return epochsCompleted + "/" + (epochs == null ? "?" : epochs)
        + (epochSteps == null ? "" : " + " + epochSteps + "/" + stepsPerEpoch + " steps");
  }

  /** Where it runs now, for a running run: "host H pid P" and the scheduler's job. */
  @JsonIgnore
  public String where() {
    if (state != State.RUNNING || scheduler == null) {
      return null;
    }
    String job = scheduler.job();
    return "host " + scheduler.host() + " pid " + scheduler.pid() + (job == null ? "" : " (" + job + ")");
  }
}
