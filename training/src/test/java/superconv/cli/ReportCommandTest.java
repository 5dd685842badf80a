package superconv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code report --target}: the convention for accuracies is a fraction, and a percentage is refused in one line. */
class ReportCommandTest {

  @TempDir Path runs;

  @Test
  void aTargetGivenAsAPercentageIsRefusedWithOneLine() {
    CliRun report = CliRun.run("report", runs.toString(), "--target", "0.9", "--target", "90");
    assertThat(report.exitCode()).isEqualTo(2);
    assertThat(report.errLines()).containsExactly("superconv report: --target: target 90 is not a fraction: give"
        + " accuracies as fractions in (0, 1], e.g. 0.9 for 90%");
  }

  @Test
  void aFractionIsAccepted() {
    CliRun report = CliRun.run("report", runs.toString(), "--target", "0.9");
    // No runs below the folder: the targets passed their check and the report looked for runs.
    assertThat(report.err()).contains("no readable run folders").doesNotContain("--target");
  }
}
