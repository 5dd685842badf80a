package superconv.training.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFolderTest {

  @TempDir Path dir;

  @Test
  void metricsAreAppendedReadBackAndTruncatedForAResume() throws Exception {
    RunFolder folder = new RunFolder(dir.resolve("exp/run"));
    EpochMetrics first = new EpochMetrics(1, 2.5, 2.25, 0.5, 0.1, 12.5, 390, Double.NaN);
    EpochMetrics second = new EpochMetrics(2, Double.POSITIVE_INFINITY, Double.NaN, 0.1, 1.0 / 3, 1.0, 780, 0.25);
    folder.appendMetrics(first);
    folder.appendMetrics(second);
    assertThat(Files.readAllLines(folder.metricsCsv())).containsExactly(
        "epoch,train_loss,val_loss,val_accuracy,lr_last,seconds,step,rate_norm",
        "1,2.5,2.25,0.5,0.1,12.500,390,",
        "2,inf,,0.1,0.3333333333333333,1.000,780,0.25");
    List<EpochMetrics> rows = folder.readMetrics();
    assertThat(rows.get(0)).isEqualTo(first);
    assertThat(rows.get(1).lrLast()).isEqualTo(1.0 / 3);
    assertThat(folder.keepMetricsThrough(1)).containsExactly(first);
    assertThat(folder.readMetrics()).containsExactly(first);
  }

  @Test
  void rateHistoryRoundTripsCompressedAndTruncates() throws Exception {
    RateHistory history = new RateHistory();
    for (int i = 0; i < 3000; i++) {
      history.add(0.001 + i * 1e-4, i % 2 == 0 ? Double.NaN : i * 0.5);
    }
    Path file = dir.resolve("rates.csv.gz");
    history.write(file);
    assertThat(Files.size(file)).isLessThan(3000L * 10);
    RateHistory back = RateHistory.read(file);
    assertThat(back.size()).isEqualTo(3000);
    assertThat(back.lr()).containsExactly(history.lr());
    assertThat(back.rateNorm(1)).isEqualTo(0.5);
    assertThat(back.rateNorm(2)).isNaN();
    assertThat(back.hasRateNorms()).isTrue();
    back.truncate(10);
    assertThat(back.size()).isEqualTo(10);
  }

  @Test
  void checkpointsAreSwappedInWholeAndRecoveredAfterAKillBetweenRenames() throws Exception {
    RunFolder folder = new RunFolder(dir.resolve("r"));
    assertThat(folder.latestCheckpoint()).isEmpty();
    Path pending = folder.startCheckpoint();
    Files.writeString(pending.resolve("weights"), "epoch 1");
    Files.writeString(pending.resolve(RunFolder.CHECKPOINT_STATE), "{}");
    folder.commitCheckpoint();
    assertThat(Files.readString(folder.latestCheckpoint().orElseThrow().resolve("weights"))).isEqualTo("epoch 1");

    // An incomplete next checkpoint (killed while writing) never replaces the good one.
    Path partial = folder.startCheckpoint();
    Files.writeString(partial.resolve("weights"), "half of epoch 2");
    assertThat(Files.readString(folder.latestCheckpoint().orElseThrow().resolve("weights"))).isEqualTo("epoch 1");

    // Killed after moving the current checkpoint aside, before the new one took its name.
    Files.move(folder.checkpoint(), folder.dir().resolve("checkpoint.previous"));
    assertThat(Files.readString(folder.latestCheckpoint().orElseThrow().resolve("weights"))).isEqualTo("epoch 1");
    try (var files = Files.list(folder.dir())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("checkpoint", "checkpoint.next");
    }
  }

  @Test
  void runJsonRoundTripsAndAtomicWritesLeaveNoTemporaryFiles() throws Exception {
    RunFolder folder = new RunFolder(dir.resolve("r"));
    var spec = RunFolder.json().readTree("{\"experiment\":\"e\",\"run\":\"r\",\"threshold\":\"Infinity\"}");
    RunRecord record = new RunRecord(RunStatus.RUNNING, spec, "0.1.0", "abc", "2.18.0", "/CPU:0",
        java.util.Map.of("train", "sha256:00"), null, "2026-01-01T00:00:00Z", null, 0, 0, null, null, null, null);
    folder.writeRecord(record);
    folder.writeRecord(record.withProgress(3, 1170, 2, 0.875).withStatus(RunStatus.FINISHED, "later", null));
    RunRecord back = folder.readRecord().orElseThrow();
    assertThat(back.status()).isEqualTo(RunStatus.FINISHED);
    assertThat(back.bestValAccuracy()).isEqualTo(0.875);
    assertThat(back.spec()).isEqualTo(spec);
    assertThat(Files.readString(folder.runJson())).contains("\"status\" : \"finished\"");
    try (var files = Files.list(folder.dir())) {
      assertThat(files).containsExactly(folder.runJson());
    }
  }

  @Test
  void aRunIsLockedWhileOneProcessTrainsIt() throws Exception {
    RunFolder folder = new RunFolder(dir.resolve("exp/run"));
    try (RunLock lock = RunLock.tryAcquire(folder).orElseThrow()) {
      assertThat(RunLock.tryAcquire(folder)).isEmpty();
      assertThat(RunLock.tryAcquire(new RunFolder(dir.resolve("exp/other")))).isPresent().get()
          .satisfies(RunLock::close);
    }
    try (RunLock again = RunLock.tryAcquire(folder).orElseThrow()) {
      assertThat(dir.resolve("exp/.run.lock")).exists();
    }
    folder.clear();
    assertThat(RunFolder.findAll(dir)).isEmpty();
  }
}
