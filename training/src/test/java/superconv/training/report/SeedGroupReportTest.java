package superconv.training.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import superconv.training.manifest.ComponentRules;
import superconv.training.manifest.Manifest;
import superconv.training.manifest.RunSpec;
import superconv.training.plot.LineChart;
import superconv.training.run.EpochMetrics;
import superconv.training.run.RateHistory;
import superconv.training.run.RunFolder;
import superconv.training.run.RunRecord;
import superconv.training.run.RunStatus;

/** Learning-speed columns and seed groups in the report, on hand-written run folders with answers worked by hand. */
class SeedGroupReportTest {

  private static final long K = 100; // steps per epoch

  @TempDir Path runs;

  @BeforeEach
  void prepareRunFolders() throws Exception {
    List<RunSpec> specs = Manifest.parse("""
        [defaults]
        epochs = 4
        [[experiment]]
        name = "speed"
        optimizer = { type = "sgd" }
        schedule = { type = "constant", lr = 0.01 }
        [experiment.grid]
        schedule = [{ type = "constant", lr = 0.01 }, { type = "constant", lr = 0.1 }, { type = "constant", lr = 1.0 }]
        [[experiment]]
        name = "seeds"
        optimizer = { type = "sgd" }
        schedule = { type = "constant", lr = 0.01 }
        [experiment.grid]
        seed = [1, 2, 3]
        """, "m.toml", ComponentRules.standard()).runs();
    write(specs.get(0), RunStatus.FINISHED, 10, 0.5, 0.8, 0.92, 0.95); // reaches 0.9 and 0.91 at epoch 3
    write(specs.get(1), RunStatus.FINISHED, 10, 0.5, 0.6, 0.7, 0.8); // never
    write(specs.get(2), RunStatus.DIVERGED, 10, 0.6, 0.91); // reaches both at epoch 2, then diverges
    write(specs.get(3), RunStatus.FINISHED, 10, 0.6, 0.85, 0.88, 0.90); // seed 1: 0.9 at epoch 4, never 0.91
    write(specs.get(4), RunStatus.FINISHED, 10, 0.7, 0.92, 0.91, 0.90); // seed 2: both at epoch 2
    write(specs.get(5), RunStatus.FINISHED, 5, 0.6, 0.7, 0.8, 0.94); // seed 3: both at epoch 4
  }

  private void write(RunSpec spec, RunStatus status, double secondsPerEpoch, double... accuracies) throws Exception {
    RunFolder folder = RunFolder.of(runs, spec);
    java.nio.file.Files.deleteIfExists(folder.metricsCsv());
    folder.writeRecord(new RunRecord(status, RunFolder.json().valueToTree(spec), "0.1.0", null, "2.18.0", "/CPU:0",
        null, null, "t0", "t1", accuracies.length, accuracies.length * K, null, null,
        status == RunStatus.DIVERGED ? accuracies.length * K + 7 : null, null));
    RateHistory rates = new RateHistory();
    for (int e = 0; e < accuracies.length; e++) {
      folder.appendMetrics(new EpochMetrics(e + 1, 2.0 / (e + 1), 1.5, accuracies[e], 0.01, secondsPerEpoch,
          (e + 1) * K, Double.NaN));
      for (int i = 0; i < K; i++) {
        rates.add(0.01, Double.NaN);
      }
    }
    rates.write(folder.rates());
  }

  private static ResultsTable.Row row(ResultsTable table, String run) {
    return table.rows().stream().filter(r -> r.run().equals(run)).findFirst().orElseThrow();
  }

  @Test
  void runsThatDifferOnlyInTheirSeedAreOneGroup() throws Exception {
    List<List<RunResult>> groups = SeedGroups.of(Report.load(runs, null));
    assertThat(groups).extracting(List::size).containsExactlyInAnyOrder(1, 1, 1, 3);
    List<RunResult> seeds = groups.stream().filter(g -> g.size() == 3).findFirst().orElseThrow();
    assertThat(SeedGroups.name(seeds)).isEqualTo("seeds/seed={1,2,3}");
  }

  @Test
  void singleRunsGetTheirEpochStepSecondsAndAreaPerTarget() throws Exception {
    ResultsTable table = ResultsTable.of(Report.load(runs, "speed"), List.of(0.9, 0.91));
    ResultsTable.Row fast = row(table, "speed/constant_lr0.01");
    ResultsTable.Speed to90 = fast.speeds().get(0);
    assertThat(to90.target()).isEqualTo(0.9);
    assertThat(to90.reached()).isEqualTo(1);
    assertThat(to90.epoch().mean()).isEqualTo(3.0);
    assertThat(to90.step().mean()).isEqualTo(3.0 * K);
    assertThat(to90.seconds().mean()).isEqualTo(30.0);
    assertThat(fast.area().mean()).isCloseTo((0.5 + 0.8 + 0.92 + 0.95) / 4, offset(1e-12)); // 0.7925
    ResultsTable.Row never = row(table, "speed/constant_lr0.1");
    assertThat(never.speeds().get(0).reached()).isZero();
    ResultsTable.Row diverged = row(table, "speed/constant_lr1");
    assertThat(diverged.speeds().get(1).epoch().mean()).isEqualTo(2.0);
    assertThat(diverged.speeds().get(1).seconds().mean()).isEqualTo(20.0);
    assertThat(diverged.area().mean()).as("epochs 3 and 4 count as 0").isCloseTo((0.6 + 0.91) / 4, offset(1e-12));

    // No seed groups: no Seeds column, nor statistics.
    assertThat(table.markdown()).contains(
        "| Data Set | Network | Optimizer | LR Scheme | LR | Batch Size | Max Acc. (%) | @epoch | Protocol | Epochs"
            + " | Status | Run | AUC | Epoch ≥90% | Step ≥90% | Seconds ≥90% | Epoch ≥91% | Step ≥91% | Seconds ≥91% |",
        "| **speed/constant_lr0.01** | **0.7925** | **3** | **300** | **30.0** | **3** | **300** | **30.0** |",
        "| thesis | 4 | finished | speed/constant_lr0.1 | 0.6500 |  |  |  |  |  |  |",
        "| thesis | 2 | diverged at step 207 | speed/constant_lr1 | 0.3775 | 2 | 200 | 20.0 | 2 | 200 | 20.0 |");
    assertThat(table.csv().lines().toList().get(0)).isEqualTo(
        "Data Set,Network,Optimizer,LR Scheme,LR,Batch Size,Max Acc. (%),@epoch,Protocol,Epochs,Status,Run,Best,"
            + "AUC,Epoch ≥90%,Step ≥90%,Seconds ≥90%,Epoch ≥91%,Step ≥91%,Seconds ≥91%");
    assertThat(table.csv()).contains(",speed/constant_lr0.01,true,0.7925,3,300,30.000,3,300,30.000\n",
        ",speed/constant_lr0.1,false,0.6500,,,,,,\n");
  }

  @Test
  void aSeedGroupIsOneRowWithMeanStandardDeviationAndRange() throws Exception {
    ResultsTable table = ResultsTable.of(Report.load(runs, null), List.of(0.9, 0.91, 0.95));
    assertThat(table.rows()).hasSize(4);
    ResultsTable.Row seeds = row(table, "seeds/seed={1,2,3}");
    assertThat(seeds.seeds()).isEqualTo(3);
    // Max accuracies 90, 92, 94 %: mean 92, sd sqrt((4 + 0 + 4) / 2) = 2.
    assertThat(seeds.maxAccuracy().mean()).isCloseTo(92.0, offset(1e-9));
    assertThat(seeds.maxAccuracy().sd()).isCloseTo(2.0, offset(1e-9));
    assertThat(seeds.maxAccuracy().min()).isCloseTo(90.0, offset(1e-9));
    assertThat(seeds.maxAccuracy().max()).isCloseTo(94.0, offset(1e-9));
    assertThat(seeds.maxAccuracyPercent()).isCloseTo(92.0, offset(1e-9));
    // 0.9 at epochs 4, 2, 4: all three; mean 10/3, sd sqrt((4/9 + 16/9 + 4/9) / 2) = sqrt(4/3).
    ResultsTable.Speed to90 = seeds.speeds().get(0);
    assertThat(to90.reached()).isEqualTo(3);
    assertThat(to90.epoch().mean()).isCloseTo(10.0 / 3, offset(1e-12));
    assertThat(to90.epoch().sd()).isCloseTo(Math.sqrt(4.0 / 3), offset(1e-12));
    assertThat(to90.step().mean()).isCloseTo(1000.0 / 3, offset(1e-9));
    assertThat(to90.seconds().mean()).isCloseTo((40.0 + 20 + 20) / 3, offset(1e-9)); // seed 3's epochs take 5 s
    // 0.91: seed 1 never; seeds 2 and 3 at epochs 2 and 4: mean 3, sd sqrt(2), over the two that did.
    ResultsTable.Speed to91 = seeds.speeds().get(1);
    assertThat(to91.reached()).isEqualTo(2);
    assertThat(to91.epoch().n()).isEqualTo(2);
    assertThat(to91.epoch().mean()).isEqualTo(3.0);
    assertThat(to91.epoch().sd()).isCloseTo(Math.sqrt(2), offset(1e-12));
    assertThat(to91.epoch().min()).isEqualTo(2.0);
    assertThat(to91.epoch().max()).isEqualTo(4.0);
    assertThat(seeds.speeds().get(2).reached()).as("none reaches 0.95").isZero();
    // Areas 3.23/4, 3.43/4, 3.04/4: mean 9.7/12.
    assertThat(seeds.area().mean()).isCloseTo(9.7 / 12, offset(1e-12));

    assertThat(table.markdown()).contains(
        "| Status | Run | Seeds | AUC | Epoch ≥90% |",
        "| 92.00 ± 2.00 (90.00–94.00) | 2–4 | thesis | 4 | finished | seeds/seed={1,2,3} | 3 | 0.8083 ± 0.0488 |"
            + " 3.33 ± 1.15 (2–4), 3/3 | 333 | 26.7 | 3.00 ± 1.41 (2–4), 2/3 | 300 | 20.0 | 0/3 |  |  |",
        "| 91.00 | 2 | thesis | 2 | diverged at step 207 | speed/constant_lr1 | 1 | 0.3775 | 2 | 200 | 20.0 | 2 | 200"
            + " | 20.0 |  |  |  |");
    List<String> csv = table.csv().lines().toList();
    assertThat(csv.get(0)).endsWith(",Run,Best,Seeds,Max Acc. sd,Max Acc. min,Max Acc. max,AUC,AUC sd,"
        + "Epoch ≥90%,Step ≥90%,Seconds ≥90%,Reached ≥90%,Epoch ≥90% sd,Epoch ≥90% min,Epoch ≥90% max,"
        + "Epoch ≥91%,Step ≥91%,Seconds ≥91%,Reached ≥91%,Epoch ≥91% sd,Epoch ≥91% min,Epoch ≥91% max,"
        + "Epoch ≥95%,Step ≥95%,Seconds ≥95%,Reached ≥95%,Epoch ≥95% sd,Epoch ≥95% min,Epoch ≥95% max");
    assertThat(table.csv()).contains(",92.00,2–4,thesis,4,finished,\"seeds/seed={1,2,3}\",false,3,2.00,90.00,94.00,"
        + "0.8083,0.0488,3.333,333.333,26.667,3,1.155,2,4,3.000,300.000,20.000,2,1.414,2,4,,,,0,,,\n");
    assertThat(table.csv()).contains(",speed/constant_lr0.1,false,1,,80.00,80.00,0.6500,,,,,0,,,,,,,0,,,,,,,0,,,\n");
  }

  @Test
  void aSeedGroupWhoseSeedDivergedCountsItInStatusAndArea() throws Exception {
    List<RunSpec> specs = Manifest.parse("""
        [defaults]
        epochs = 4
        [[experiment]]
        name = "seeds"
        optimizer = { type = "sgd" }
        schedule = { type = "constant", lr = 0.01 }
        [experiment.grid]
        seed = [1, 2, 3]
        """, "m.toml", ComponentRules.standard()).runs();
    write(specs.get(0), RunStatus.DIVERGED, 10, 0.6, 0.8);
    ResultsTable.Row seeds = row(ResultsTable.of(Report.load(runs, "seeds"), List.of(0.9)), "seeds/seed={1,2,3}");
    assertThat(seeds.status()).isEqualTo("2 finished, 1 diverged");
    assertThat(seeds.epochsTrained()).isEqualTo("2–4");
    // Seed 1's area is now 1.4/4 = 0.35: mean (0.35 + 0.8575 + 0.76) / 3.
    assertThat(seeds.area().mean()).isCloseTo((0.35 + 0.8575 + 0.76) / 3, offset(1e-12));
    assertThat(seeds.speeds().get(0).reached()).isEqualTo(2);
  }

  @Test
  void withoutTargetsTheColumnsAreTheThesisOnesPlusSeeds() throws Exception {
    ResultsTable table = ResultsTable.of(Report.load(runs, null));
    assertThat(table.markdown().lines().findFirst().orElseThrow()).isEqualTo(
        "| Data Set | Network | Optimizer | LR Scheme | LR | Batch Size | Max Acc. (%) | @epoch | Protocol | Epochs"
            + " | Status | Run | Seeds |");
    assertThat(ResultsTable.of(Report.load(runs, "speed")).markdown().lines().findFirst().orElseThrow())
        .endsWith("| Status | Run |");
  }

  @Test
  void theAccuracyPlotDrawsASeedGroupsMeanWithItsMinMaxBand() throws Exception {
    LineChart chart = Plots.accuracy(SeedGroups.of(Report.load(runs, "seeds")), "seeds", true);
    assertThat(chart.series()).hasSize(1);
    LineChart.Series mean = chart.series().get(0);
    assertThat(mean.name()).isEqualTo("seed={1,2,3}: mean of 3");
    assertThat(mean.y()).containsExactly(new double[] {190.0 / 3, 247.0 / 3, 259.0 / 3, 274.0 / 3}, offset(1e-9));
    assertThat(chart.bands()).hasSize(1);
    LineChart.Band band = chart.bands().get(0);
    assertThat(band.name()).isEqualTo(mean.name());
    assertThat(band.low()).containsExactly(new double[] {60, 70, 80, 90}, offset(1e-9));
    assertThat(band.high()).containsExactly(new double[] {70, 92, 91, 94}, offset(1e-9));

    Path plots = runs.resolve("../plots").normalize();
    List<Path> written = Report.plots(Report.load(runs, null), plots, false);
    assertThat(written).extracting(p -> p.getFileName().toString())
        .contains("seeds-accuracy.png", "seeds-train-loss.png", "speed-accuracy.png");
    assertThat(ImageIO.read(plots.resolve("seeds-accuracy.png").toFile()).getWidth()).isEqualTo(1000);
  }
}
