package superconv.training.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** --index and --shard over an ordered list of runs. */
class RunSelectionTest {

  private static final List<String> RUNS = List.of("a", "b", "c", "d", "e");

  @Test
  void allKeepsEveryRunWithItsIndex() {
    assertThat(RunSelection.ALL.apply(RUNS)).extracting(RunSelection.Indexed::index).containsExactly(0, 1, 2, 3, 4);
    assertThat(RunSelection.ALL.select(RUNS)).isEqualTo(RUNS);
  }

  @Test
  void anIndexSelectsExactlyThatRunCountingFromZero() {
    assertThat(new RunSelection(0, null).select(RUNS)).containsExactly("a");
    assertThat(new RunSelection(4, null).apply(RUNS)).containsExactly(new RunSelection.Indexed<>(4, "e"));
  }

  @Test
  void anIndexPastTheEndNamesTheCount() {
    assertThatThrownBy(() -> new RunSelection(5, null).select(RUNS))
        .hasMessage("--index 5 is out of range: the selection has 5 runs (indices 0-4)");
    assertThatThrownBy(() -> new RunSelection(1, null).select(List.of("a")))
        .hasMessage("--index 1 is out of range: the selection has 1 run (index 0)");
    assertThatThrownBy(() -> new RunSelection(-1, null)).hasMessageContaining("0 or more");
  }

  @Test
  void shardsInterleaveAndTogetherCoverEveryRunOnce() {
    assertThat(new RunSelection(null, RunSelection.Shard.parse("0/2")).select(RUNS)).containsExactly("a", "c", "e");
    assertThat(new RunSelection(null, RunSelection.Shard.parse("1/2")).apply(RUNS))
        .extracting(RunSelection.Indexed::index).containsExactly(1, 3);
    assertThat(new RunSelection(null, new RunSelection.Shard(0, 1)).select(RUNS)).isEqualTo(RUNS);
    // More shards than runs: the last shards train nothing, which an oversized array job may do.
    assertThat(new RunSelection(null, new RunSelection.Shard(6, 7)).select(RUNS)).isEmpty();
  }

  @Test
  void badShardsAndBothOptionsAreRefused() {
    assertThatThrownBy(() -> RunSelection.Shard.parse("2/2")).hasMessageContaining("from 0 to N-1 (0-1), not 2");
    assertThatThrownBy(() -> RunSelection.Shard.parse("1/0")).hasMessageContaining("1 or more");
    assertThatThrownBy(() -> RunSelection.Shard.parse("1")).hasMessageContaining("is not K/N");
    assertThatThrownBy(() -> RunSelection.Shard.parse("a/b")).hasMessageContaining("is not K/N");
    assertThatThrownBy(() -> new RunSelection(0, new RunSelection.Shard(0, 2))).hasMessageContaining("exclude");
  }
}
