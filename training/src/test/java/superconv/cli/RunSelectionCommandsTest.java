package superconv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static superconv.cli.CliRun.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** list's indices and run --index / --shard through the command line (dry runs: nothing trains). */
class RunSelectionCommandsTest {

  @TempDir Path dir;

  private static final String MANIFEST = """
      [defaults]
      dataset = "fashion-mnist"
      width = 2
      epochs = 2

      [[experiment]]
      name = "sgd"
      optimizer = { type = "sgd" }
      schedule = { type = "constant", lr = 0.05 }
      [experiment.grid]
      "schedule.lr" = [0.05, 0.1, 0.2]

      [[experiment]]
      name = "adam"
      optimizer = { type = "adam" }
      schedule = { type = "constant", lr = 0.001 }
      """;

  private String manifest() throws Exception {
    return Files.writeString(dir.resolve("experiments.toml"), MANIFEST).toString();
  }

  @Test
  void listNumbersTheRunsAfterOnly() throws Exception {
    CliRun all = run("list", manifest());
    assertThat(all.exitCode()).as(all.err()).isZero();
    assertThat(all.outLines().get(0)).startsWith("RUN").contains(" INDEX ");
    assertThat(all.outLines().get(4)).matches("adam/adam +3 fashion-mnist .*");

    CliRun only = run("list", manifest(), "--only", "sgd/lr=0.1,adam");
    assertThat(only.outLines().get(1)).matches("sgd/lr=0.1 +0 .*");
    assertThat(only.outLines().get(2)).matches("adam/adam +1 .*");

    JsonNode json = Json.mapper().readTree(run("list", manifest(), "--json").out());
    assertThat(json.get(2).get("index").asInt()).isEqualTo(2);
    assertThat(json.get(2).fieldNames().next()).isEqualTo("index");
  }

  @Test
  void indexAndShardPickFromTheSameOrderAsList() throws Exception {
    CliRun one = run("run", manifest(), "--index", "3", "--dry-run");
    assertThat(one.exitCode()).as(one.err()).isZero();
    assertThat(one.outLines()).containsExactly("new      adam/adam",
        "1 runs; runs directory " + dir.resolve("runs") + "; nothing was written (--dry-run)");

    CliRun withOnly = run("run", manifest(), "--only", "sgd", "--index", "1", "--dry-run");
    assertThat(withOnly.outLines().get(0)).isEqualTo("new      sgd/lr=0.1");

    CliRun shard = run("run", manifest(), "--shard", "1/2", "--dry-run");
    assertThat(shard.outLines().subList(0, 2)).containsExactly("new      sgd/lr=0.1", "new      adam/adam");
    CliRun shardOfOnly = run("run", manifest(), "--only", "sgd", "--shard", "0/2", "--dry-run");
    assertThat(shardOfOnly.outLines().subList(0, 2)).containsExactly("new      sgd/lr=0.05", "new      sgd/lr=0.2");
  }

  @Test
  void anIndexOutOfRangeOrABadShardIsOneLineAndExitTwo() throws Exception {
    CliRun past = run("run", manifest(), "--only", "sgd", "--index", "3");
    assertThat(past.exitCode()).isEqualTo(2);
    assertThat(past.errLines()).containsExactly(
        "superconv run: --index 3 is out of range: the selection has 3 runs (indices 0-2)");
    assertThat(dir.resolve("runs")).doesNotExist();

    CliRun shard = run("run", manifest(), "--shard", "2/2");
    assertThat(shard.exitCode()).isEqualTo(2);
    assertThat(shard.errLines()).hasSize(1);
    assertThat(shard.err()).contains("--shard").contains("from 0 to N-1 (0-1), not 2");

    CliRun both = run("run", manifest(), "--shard", "0/2", "--index", "0");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.errLines()).containsExactly("superconv run: --index and --shard exclude each other: give one");
  }
}
