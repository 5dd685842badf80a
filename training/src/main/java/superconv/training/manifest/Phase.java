package superconv.training.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One stretch of a run trained by one optimizer: epochs {@code [fromEpoch, fromEpoch + epochs)}, counted from 0.
 * The schedule is laid over the phase: it starts at the phase's first iteration and its lengths in epochs count
 * from there, so a first phase of 13 epochs on a 25-cycle is exactly the first 13 epochs of that cycle (thesis
 * Fig. 4.21). Each phase's optimizer starts with fresh state; the weights carry over. Optimizers that calculate
 * their own rates (AdaSecant, Simple AdaSecant) have no schedule ({@code null}).
 */
@JsonPropertyOrder({"from_epoch", "epochs", "optimizer", "schedule"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Phase(
    @JsonProperty("from_epoch") int fromEpoch,
    @JsonProperty("epochs") int epochs,
    @JsonProperty("optimizer") Component optimizer,
    @JsonProperty("schedule") Component schedule) {

  /** The first epoch after this phase. */
  public int untilEpoch() {
    return fromEpoch + epochs;
  }

  public boolean covers(int epoch) {
    return epoch >= fromEpoch && epoch < untilEpoch();
  }
}
