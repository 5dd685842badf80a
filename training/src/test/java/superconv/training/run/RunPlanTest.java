package superconv.training.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import superconv.training.manifest.ComponentRules;
import superconv.training.manifest.Manifest;
import superconv.training.manifest.RunSpec;

class RunPlanTest {

  @TempDir Path runs;

  private static List<RunSpec> specs(String lr) throws Exception {
    return specs(lr, "text");
  }

  private static List<RunSpec> specs(String lr, String description) throws Exception {
    return Manifest.parse("""
        [[experiment]]
        name = "e"
        description = "%s"
        optimizer = { type = "sgd" }
        schedule = { type = "constant", lr = %s }
        [experiment.grid]
        seed = [1, 2, 3, 4]
        """.formatted(description, lr), "m.toml", ComponentRules.standard()).runs();
  }

  private void record(RunSpec spec, RunStatus status, boolean checkpoint) throws Exception {
    RunFolder folder = RunFolder.of(runs, spec);
    folder.writeRecord(new RunRecord(status, RunFolder.json().valueToTree(spec), "v", null, "2.18.0", "/CPU:0", null,
        null, "t", null, 1, 390, 1, 0.5, null, null));
    if (checkpoint) {
      Path next = folder.startCheckpoint();
      Files.writeString(next.resolve(RunFolder.CHECKPOINT_STATE), "{}");
      folder.commitCheckpoint();
    }
  }

  @Test
  void decidesFromTheRunFolders() throws Exception {
    List<RunSpec> specs = specs("0.01");
    record(specs.get(1), RunStatus.FINISHED, true);
    record(specs.get(2), RunStatus.RUNNING, true);
    record(specs.get(3), RunStatus.INTERRUPTED, false);
    assertThat(RunPlan.of(specs, runs)).extracting(RunPlan::action).containsExactly(
        RunPlan.Action.NEW, RunPlan.Action.SKIP, RunPlan.Action.RESUME, RunPlan.Action.RESTART);
    // The description is free text: changing it changes nothing.
    assertThat(RunPlan.of(specs("0.01", "other words"), runs)).extracting(RunPlan::action)
        .containsExactly(RunPlan.Action.NEW, RunPlan.Action.SKIP, RunPlan.Action.RESUME, RunPlan.Action.RESTART);
  }

  @Test
  void aFolderOfADifferentSpecRefusesTheInvocation() throws Exception {
    record(specs("0.01").get(1), RunStatus.FINISHED, true);
    assertThatThrownBy(() -> RunPlan.of(specs("0.02"), runs))
        .hasMessageContaining("e/seed=2 trained with a different spec (changed: schedule, phases)");
  }
}
