package superconv.training.grid;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import superconv.training.grid.GridSummary.Kind;
import superconv.training.grid.GridSummary.Row;

/** The workers' summaries merged into the one table run --workers prints, and their JSON on the way. */
class GridSummaryTest {

  @TempDir Path dir;

  private static Row row(String run, Kind kind, String status) {
    return new Row(run, kind, status, "2/2", "-", null);
  }

  @Test
  void eachRunTakesTheRowOfTheWorkerThatTrainedIt() {
    GridSummary first = new GridSummary(dir, List.of(row("a", Kind.TRAINED, "finished"),
        row("b", Kind.BUSY, "busy elsewhere (skipped)"), row("c", Kind.FAILED, "failed: disk full"),
        row("d", Kind.SKIPPED, "finished (skipped)")));
    GridSummary second = new GridSummary(dir, List.of(row("a", Kind.SKIPPED, "finished (skipped)"),
        row("b", Kind.TRAINED, "diverged"), row("c", Kind.BUSY, "busy elsewhere (skipped)"),
        row("d", Kind.SKIPPED, "finished (skipped)")));

    GridSummary merged = GridSummary.merge(dir, List.of("d", "c", "b", "a", "e"), Map.of(2, second, 1, first),
        run -> new Row(run, Kind.FAILED, "not run: a worker ended early", "0/2", "-", null));

    assertThat(merged.rows()).extracting(Row::run).containsExactly("d", "c", "b", "a", "e");
    assertThat(merged.rows()).extracting(Row::status).containsExactly("finished (skipped)", "failed: disk full",
        "diverged", "finished", "not run: a worker ended early");
    assertThat(merged.rows()).extracting(Row::worker).containsExactly(1, 1, 2, 1, null);
    assertThat(merged.failures()).isTrue();
  }

  @Test
  void aRunTrainedAgainAfterAnotherWorkersFailureIsShownTrained() {
    GridSummary merged = GridSummary.merge(dir, List.of("a"),
        Map.of(1, new GridSummary(dir, List.of(row("a", Kind.FAILED, "failed: x"))),
            2, new GridSummary(dir, List.of(row("a", Kind.TRAINED, "finished")))),
        run -> null);
    assertThat(merged.rows()).singleElement().satisfies(r -> {
      assertThat(r.status()).isEqualTo("finished");
      assertThat(r.worker()).isEqualTo(2);
    });
    assertThat(merged.failures()).isFalse();
  }

  @Test
  void aSummaryReadsBackFromItsJsonAndPrintsAWorkerColumnOnlyWhenWorkersTrained() throws Exception {
    GridSummary summary = new GridSummary(dir.resolve("runs"), List.of(
        new Row("sgd/lr=0.1", Kind.TRAINED, "finished", "2/2", "91.20 @2", null),
        new Row("sgd/lr=0.2", Kind.REFUSED, "refused: changed", "0/2", "-", null)));
    Path file = dir.resolve("worker-1.json");
    summary.write(file);
    assertThat(GridSummary.read(file)).isEqualTo(summary);

    StringWriter single = new StringWriter();
    summary.print(new PrintWriter(single));
    assertThat(single.toString().lines().findFirst().orElseThrow())
        .isEqualTo("RUN         STATUS            EPOCHS  BEST VAL ACC (%)");

    StringWriter pooled = new StringWriter();
    GridSummary.merge(dir.resolve("runs"), List.of("sgd/lr=0.1"), Map.of(3, summary), run -> null)
        .print(new PrintWriter(pooled));
    assertThat(pooled.toString().lines().toList().subList(0, 2)).containsExactly(
        "RUN         STATUS    EPOCHS  BEST VAL ACC (%)  WORKER",
        "sgd/lr=0.1  finished  2/2     91.20 @2          w3");
  }
}
