package superconv.training.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlurmScriptTest {

  private static final List<String> JAVA = List.of("/opt/jdk/bin/java", "-cp", "/a.jar:/b c.jar", "superconv.cli.Main");

  @Test
  void arraySizeThrottleAndIndexMapping() {
    String script = SlurmScript.render("superconv", Path.of("/runs/.submissions/s"), Path.of("/runs/.submissions/s/m.toml"),
        Path.of("/runs"), List.of(7, 9, 12), new SlurmResources(5, null, null, null, null, null, null, null), JAVA, 0);
    assertThat(script).startsWith("#!/bin/bash\n#SBATCH --job-name=superconv\n#SBATCH --array=0-2%5\n")
        .contains("#SBATCH --output=/runs/.submissions/s/slurm-%A_%a.out\n", "indices=(7 9 12)\n",
            "index=\"${indices[$SLURM_ARRAY_TASK_ID]}\"\n",
            "exec /opt/jdk/bin/java -cp '/a.jar:/b c.jar' superconv.cli.Main run /runs/.submissions/s/m.toml "
                + "--index \"$index\" --runs-dir /runs --no-progress\n")
        .doesNotContain("--cpus-per-task", "--gpus-per-task", "--mem=", "--time=");
    String unthrottled = SlurmScript.render("superconv", Path.of("/r/s"), Path.of("/r/s/m.toml"), Path.of("/r"),
        List.of(0), SlurmResources.DEFAULTS, JAVA, 0);
    assertThat(unthrottled).contains("#SBATCH --array=0-0\n").doesNotContain("--checkpoint-every");
    String checkpointing = SlurmScript.render("superconv", Path.of("/r/s"), Path.of("/r/s/m.toml"), Path.of("/r"),
        List.of(0), SlurmResources.DEFAULTS, JAVA, 500);
    assertThat(checkpointing).contains(" --runs-dir /r --no-progress --checkpoint-every 500\n");
  }

  @Test
  void quotingAndRefusals() {
    assertThat(SlurmScript.quote("/plain/path-1.toml")).isEqualTo("/plain/path-1.toml");
    assertThat(SlurmScript.quote("it's $HOME")).isEqualTo("'it'\\''s $HOME'");
    assertThatThrownBy(() -> SlurmScript.render("superconv", Path.of("/my runs/s"), Path.of("/my runs/s/m.toml"),
        Path.of("/my runs"), List.of(0), SlurmResources.DEFAULTS, JAVA, 0)).hasMessageContaining("blank");
    assertThatThrownBy(() -> new SlurmResources(null, null, null, null, null, null, null, List.of("--x\n#evil")))
        .hasMessageStartingWith("--sbatch-arg");
    assertThatThrownBy(() -> new SlurmResources(null, 0, null, null, null, null, null, null))
        .hasMessage("--gpus-per-task must be 1 or more, not 0");
    assertThat(new SlurmResources(null, null, null, "16000M", "1-12:00:00", "a,b", null, null).time())
        .isEqualTo("1-12:00:00");
  }
}
