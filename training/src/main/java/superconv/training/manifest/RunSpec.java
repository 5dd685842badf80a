package superconv.training.manifest;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import superconv.datasets.Dataset;
import superconv.graph.DataProtocol;
import superconv.graph.InputMode;
import superconv.graph.Network;
import superconv.graph.Precision;
import superconv.optimizers.OptimizerPhase;
import superconv.optimizers.OptimizerSpec;
import superconv.optimizers.Optimizers;
import superconv.optimizers.RunLength;
import superconv.optimizers.Schedule;
import superconv.optimizers.SwitchingSpec;

/**
 * One fully resolved, validated run of a manifest: defaults, the experiment's own keys and one combination of
 * its grid. Serialized (snake_case keys, the enums as the manifest spells them) into {@code list --json} and the
 * run's {@code run.json}; the order of the keys is the order of the components.
 */
@JsonPropertyOrder({
  "experiment", "run", "description", "dataset", "network", "width", "batch_size", "epochs", "seed",
  "data_protocol", "device", "precision", "xla", "train_limit", "test_limit", "loss_every", "label_smoothing", "input",
  "optimizer", "schedule", "phases", "grid"
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunSpec(
    @JsonProperty("experiment") String experiment,
    @JsonProperty("run") String run,
    @JsonProperty("description") String description,
    @JsonProperty("dataset") @JsonSerialize(using = EnumIdSerializer.class) Dataset dataset,
    @JsonProperty("network") @JsonSerialize(using = EnumIdSerializer.class) Network network,
    @JsonProperty("width") int width,
    @JsonProperty("batch_size") int batchSize,
    @JsonProperty("epochs") int epochs,
    @JsonProperty("seed") long seed,
    @JsonProperty("data_protocol") @JsonSerialize(using = EnumIdSerializer.class) DataProtocol dataProtocol,
    @JsonProperty("device") String device,
    @JsonProperty("precision") @JsonSerialize(using = EnumIdSerializer.class) Precision precision,
    @JsonProperty("xla") boolean xla,
    @JsonProperty("train_limit") int trainLimit,
    @JsonProperty("test_limit") int testLimit,
    @JsonProperty("loss_every") int lossEvery,
    @JsonProperty("label_smoothing") double labelSmoothing,
    @JsonProperty("input") @JsonSerialize(using = EnumIdSerializer.class) InputMode input,
    @JsonProperty("phases") List<Phase> phases,
    @JsonProperty("grid") Map<String, Object> grid) {

  public RunSpec {
    phases = List.copyOf(phases);
    grid = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(grid));
  }

  /** The first phase's optimizer: the run's optimizer unless it switches. */
  @JsonProperty("optimizer")
  public Component optimizer() {
    return phases.get(0).optimizer();
  }

  /** The first phase's schedule ({@code null} for optimizers that calculate their rates). */
  @JsonProperty("schedule")
  public Component schedule() {
    return phases.get(0).schedule();
  }

  /**
   * The optimizer the run trains with, as the optimizers module builds it: its one phase's, or a switching
   * optimizer over its phases (each phase's table as written, so its messages name where it was written).
   */
  @JsonIgnore
  public OptimizerSpec optimizerSpec() {
    if (phases.size() == 1) {
      return Optimizers.fromTable(optimizer().table());
    }
    List<OptimizerPhase> switching = new ArrayList<>();
    for (int i = 0; i < phases.size(); i++) {
      Phase phase = phases.get(i);
      switching.add(new OptimizerPhase((long) phase.epochs(),
          Optimizers.fromTable("phases[" + i + "].optimizer", phase.optimizer().table()),
          phase.schedule() == null ? null : phase.schedule().table()));
    }
    return new SwitchingSpec(switching);
  }

  /** The schedule the run feeds over {@code length}: its one phase's, or the phases' schedules in sequence. */
  public Schedule scheduleOver(RunLength length) {
    boolean single = phases.size() == 1 && schedule() != null;
    return Optimizers.schedule(optimizerSpec(), single ? schedule().table() : null, length);
  }

  /** {@code experiment/run}: the run's folder below the runs directory, and what {@code --only} matches. */
  @JsonIgnore
  public String id() {
    return experiment + "/" + run;
  }

  /** The phase training the given epoch (0-based). */
  public Phase phaseAt(int epoch) {
    for (Phase phase : phases) {
      if (phase.covers(epoch)) {
        return phase;
      }
    }
    throw new IllegalArgumentException("epoch " + epoch + " is outside the run's " + epochs + " epochs");
  }
}
