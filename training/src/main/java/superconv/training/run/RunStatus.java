package superconv.training.run;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a run stands, as {@code run.json} records it. */
public enum RunStatus {
  /** Training, or killed without a chance to say so (SIGKILL, power loss): resumable. */
  RUNNING,
  /** Stopped by the user (Ctrl-C) or an error after its last checkpoint: resumable. */
  INTERRUPTED,
  /** Trained every epoch. */
  FINISHED,
  /** The loss became NaN or infinite; the run ends there and is not retried. */
  DIVERGED;

  @JsonValue
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static RunStatus of(String key) {
    return valueOf(key.toUpperCase(Locale.ROOT));
  }

  /** Whether a later invocation skips the run. */
  public boolean isFinal() {
    return this == FINISHED || this == DIVERGED;
  }
}
