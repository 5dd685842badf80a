package superconv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Every command fails the same way: one line "superconv <command>: <message>" on stderr, a non-zero exit code. */
class CliErrorsTest {

  private static void assertOneLine(CliRun run, int code, String prefix, String contains) {
    assertThat(run.exitCode()).as(run.err()).isEqualTo(code);
    assertThat(run.errLines()).as(run.err()).hasSize(1);
    assertThat(run.err()).startsWith(prefix).contains(contains).doesNotContain("Usage:").doesNotContain("\tat ");
  }

  @Test
  void badCommandLinesAreOneLineWithExitCode2() {
    assertOneLine(CliRun.run("schedule", "--epochs", "1", "--iterations-per-epoch", "1"), 2,
        "superconv schedule: ", "Missing required option: '--schedule=TABLE'");
    assertOneLine(CliRun.run("export", "run", "--out", "x", "--frobnicate"), 2,
        "superconv export: ", "Unknown option: '--frobnicate'");
    assertOneLine(CliRun.run("graph"), 2, "superconv graph: ", "Missing subcommand");
    assertOneLine(CliRun.run("run", "experiments.toml", "--checkpoint-every", "0"), 2, "superconv run: ",
        "--checkpoint-every");
    assertOneLine(CliRun.run("bench", "--network", "resnet18", "--batch", "4", "--optimizer", "{ type = }"), 2,
        "superconv bench: ", "--optimizer: not a valid inline TOML table at column");
    assertOneLine(CliRun.run("trace", "--optimizer", "sgd", "--function", "beale", "--steps", "3"), 2,
        "superconv trace: ", "--optimizer: expected an inline TOML table");
  }

  @Test
  void failuresAreOneLineWithTheStackTraceOnlyUnderVerbose() {
    CliRun quiet = CliRun.run("predict", "--model", "/nonexistent/model", "--images", "/nonexistent/a.png");
    assertOneLine(quiet, 1, "superconv predict: ", "/nonexistent/a.png: no such file");

    CliRun verbose = CliRun.run("graph", "summary", "--network", "resnet34", "--verbose");
    assertThat(verbose.exitCode()).isEqualTo(1);
    assertThat(verbose.errLines().get(0)).isEqualTo("superconv graph summary: unknown network 'resnet34'; valid: resnet18, resnet50");
    assertThat(verbose.err()).contains("\tat superconv.");
  }
}
