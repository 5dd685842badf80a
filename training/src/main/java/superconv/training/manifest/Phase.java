package superconv.training.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One stretch of a run trained by one optimizer: epochs {@code [fromEpoch, fromEpoch + epochs)}, counted from 0.
 * The schedule is evaluated at the run's global iteration, so a 25-cycle that hands over after 13 epochs is
 * exactly the first 13 epochs of the 25-cycle (thesis Fig. 4.21). Optimizers that calculate their own rates
 * (AdaSecant, Simple AdaSecant) have no schedule ({@code null}).
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
