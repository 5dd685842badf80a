package superconv.training.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import superconv.training.manifest.ComponentRules;
import superconv.training.manifest.Manifest;
import superconv.training.manifest.RunSpec;
import superconv.training.run.EpochMetrics;
import superconv.training.run.RateHistory;
import superconv.training.run.RunFolder;
import superconv.training.run.RunLock;
import superconv.training.run.RunRecord;
import superconv.training.run.RunStatus;

/** Report tables and plots from prepared run folders (no training). */
class ReportTest {

  @TempDir Path runs;

  private List<RunSpec> specs;

  @BeforeEach
  void prepareRunFolders() throws Exception {
    specs = Manifest.parse("""
        [defaults]
        epochs = 4
        [[experiment]]
        name = "sgd"
        optimizer = { type = "sgd" }
        schedule = { type = "constant", lr = 0.01 }
        [experiment.grid]
        schedule = [{ type = "constant", lr = 0.01 }, { type = "triangular", min = 0.001, max = 1.0, cycle_epochs = 25 }]
        [[experiment]]
        name = "adam"
        network = "resnet50"
        optimizer = { type = "adam" }
        schedule = { type = "constant", lr = 1.0 }
        [[experiment]]
        name = "simple"
        optimizer = { type = "simple-adasecant" }
        """, "m.toml", ComponentRules.standard()).runs();
    write(specs.get(0), RunStatus.FINISHED, null, 0.50, 0.80, 0.85, 0.84);
    write(specs.get(1), RunStatus.FINISHED, null, 0.55, 0.86, 0.83, 0.875);
    write(specs.get(2), RunStatus.DIVERGED, 17L);
    write(specs.get(3), RunStatus.FINISHED, null, 0.2, 0.3, 0.3, 0.25);
  }

  private void write(RunSpec spec, RunStatus status, Long divergedAt, double... accuracies) throws Exception {
    RunFolder folder = RunFolder.of(runs, spec);
    RunRecord record = new RunRecord(status, RunFolder.json().valueToTree(spec), "0.1.0", null, "2.18.0", "/CPU:0",
        null, null, "t0", "t1", accuracies.length, accuracies.length * 10L, null, null, divergedAt, null);
    folder.writeRecord(record);
    RateHistory rates = new RateHistory();
    for (int e = 0; e < accuracies.length; e++) {
      folder.appendMetrics(new EpochMetrics(e + 1, 2.0 / (e + 1), 1.5, accuracies[e], 0.01, 1.0, (e + 1) * 10L,
          spec.schedule() == null ? 0.5 : Double.NaN));
      for (int i = 0; i < 10; i++) {
        rates.add(spec.schedule() == null ? Double.NaN : 0.01 * (i + 1), spec.schedule() == null ? 0.5 + i : Double.NaN);
      }
    }
    rates.write(folder.rates());
  }

  @Test
  void tableHasTheThesisColumnsAndMarksTheBestPerDataSetAndNetwork() throws Exception {
    ResultsTable table = ResultsTable.of(Report.load(runs, null));
    assertThat(table.rows()).hasSize(4);
    ResultsTable.Row cycle = table.rows().stream().filter(r -> r.scheme().equals("25-cycle")).findFirst().orElseThrow();
    assertThat(cycle.dataSet()).isEqualTo("CIFAR-10");
    assertThat(cycle.network()).isEqualTo("ResNet18");
    assertThat(cycle.optimizer()).isEqualTo("SGD");
    assertThat(cycle.lr()).isEqualTo("[0.001, 1]");
    assertThat(cycle.batchSize()).isEqualTo(128);
    assertThat(cycle.maxAccuracyPercent()).isCloseTo(87.5, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(cycle.atEpoch()).isEqualTo(4);
    assertThat(cycle.best()).isTrue();
    assertThat(table.rows()).filteredOn(ResultsTable.Row::best).extracting(ResultsTable.Row::run)
        .containsExactly("sgd/triangular_min0.001_max1_cycle_epochs25");
    ResultsTable.Row adam = table.rows().stream().filter(r -> r.network().equals("ResNet50")).findFirst().orElseThrow();
    assertThat(adam.optimizer()).isEqualTo("CLR-Adam");
    assertThat(adam.scheme()).isEqualTo("constant");
    assertThat(adam.lr()).isEqualTo("1");
    assertThat(adam.status()).isEqualTo("diverged at step 17");
    assertThat(adam.best()).isFalse();
    ResultsTable.Row simple = table.rows().stream().filter(r -> r.optimizer().equals("Simple AdaSecant"))
        .findFirst().orElseThrow();
    assertThat(simple.scheme()).isEqualTo("calculated");
    assertThat(simple.lr()).isEqualTo("< ∞");
    assertThat(simple.atEpoch()).isEqualTo(2);

    assertThat(table.markdown()).contains(
        "| Data Set | Network | Optimizer | LR Scheme | LR | Batch Size | Max Acc. (%) | @epoch |",
        "| **CIFAR-10** | **ResNet18** | **SGD** | **25-cycle** | **[0.001, 1]** | **128** | **87.50** | **4** |",
        "| CIFAR-10 | ResNet18 | SGD | constant | 0.01 | 128 | 85.00 | 3 |");
    assertThat(table.csv().lines().toList().get(0)).isEqualTo(
        "Data Set,Network,Optimizer,LR Scheme,LR,Batch Size,Max Acc. (%),@epoch,Protocol,Epochs,Status,Run,Best");
    assertThat(table.csv()).contains("CIFAR-10,ResNet18,SGD,25-cycle,\"[0.001, 1]\",128,87.50,4,thesis,4,finished,");
    assertThat(table.text()).contains("* CIFAR-10").contains("- ");
  }

  @Test
  void onlyNarrowsTheRuns() throws Exception {
    assertThat(Report.load(runs, "sgd")).hasSize(2);
    assertThat(Report.load(runs, "sgd/constant*,simple")).hasSize(2);
  }

  @Test
  void plotsAreDrawnPerExperimentAndForTheSelection() throws Exception {
    Path plots = runs.resolve("../plots").normalize();
    List<Path> written = Report.plots(Report.load(runs, null), plots, true);
    assertThat(written).extracting(p -> p.getFileName().toString()).contains(
        "sgd-accuracy.png", "sgd-train-loss.png", "sgd-lr.png", "simple-rate-norm.png", "selection-accuracy.png",
        "selection-rate-norm.png");
    for (Path png : written) {
      assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(1000);
    }
    assertThat(Files.exists(plots.resolve("adam-accuracy.png"))).isFalse();
  }

  @Test
  void ratesPrintCompactly() {
    assertThat(ResultsTable.compact(1e30)).isEqualTo("1e30");
    assertThat(ResultsTable.compact(2.5e-7)).isEqualTo("2.5e-7");
    assertThat(ResultsTable.compact(-1234567.0)).isEqualTo("-1.234567e6");
    assertThat(ResultsTable.compact(1.0)).isEqualTo("1");
    assertThat(ResultsTable.compact(0.0001)).isEqualTo("0.0001");
    assertThat(ResultsTable.compact(0.05)).isEqualTo("0.05");
    assertThat(ResultsTable.compact(0)).isEqualTo("0");
  }

  @Test
  void aCorruptRunJsonIsSkippedWithOneWarningAndTheRestReported() throws Exception {
    Path broken = RunFolder.of(runs, specs.get(3)).runJson();
    String json = Files.readString(broken);
    Files.writeString(broken, json.substring(0, json.length() / 2)); // a write cut short
    List<String> warnings = new java.util.ArrayList<>();
    List<RunResult> results = Report.load(runs, null, warnings::add);
    assertThat(results).hasSize(3);
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0)).startsWith("skipping " + broken.getParent() + ": unreadable run.json")
        .doesNotContain("\n");
    assertThat(ResultsTable.of(results).rows()).hasSize(3);
  }

  @Test
  void aRunningRunWhoseProcessIsGoneIsInterruptedAndNeverBest() throws Exception {
    RunSpec cycle = specs.get(1);
    write(cycle, RunStatus.RUNNING, null, 0.55, 0.99);
    RunResult result = Report.load(runs, "sgd/triangular*").get(0);
    assertThat(result.status()).isEqualTo(RunStatus.INTERRUPTED);
    ResultsTable table = ResultsTable.of(Report.load(runs, null));
    ResultsTable.Row row = table.rows().stream().filter(r -> r.scheme().equals("25-cycle")).findFirst().orElseThrow();
    assertThat(row.status()).isEqualTo("interrupted");
    assertThat(row.best()).isFalse();
    assertThat(table.rows()).filteredOn(ResultsTable.Row::best).extracting(ResultsTable.Row::run)
        .containsExactly("sgd/constant_lr0.01");
  }

  @Test
  void aRunningRunWhoseProcessHoldsItsLockStaysRunning() throws Exception {
    // The lock must be held by another process: within one JVM a probe cannot tell. python3's lockf takes the
    // same kind of lock (fcntl) as Java's FileChannel.lock.
    assumeThat(Path.of("/usr/bin/python3")).as("python3 to hold a lock from another process").exists();
    RunSpec cycle = specs.get(1);
    write(cycle, RunStatus.RUNNING, null, 0.55, 0.6);
    RunFolder folder = RunFolder.of(runs, cycle);
    Path lock = folder.dir().getParent().resolve("." + folder.dir().getFileName() + ".lock");
    Process holder = new ProcessBuilder("/usr/bin/python3", "-c",
        "import fcntl,sys; f=open(sys.argv[1],'a'); fcntl.lockf(f, fcntl.LOCK_EX); print('held', flush=True);"
            + " sys.stdin.read()", lock.toString()).redirectErrorStream(true).start();
    try {
      assertThat(new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream())).readLine())
          .isEqualTo("held");
      assertThat(RunLock.isHeld(folder)).isTrue();
      assertThat(Report.load(runs, "sgd/triangular*").get(0).status()).isEqualTo(RunStatus.RUNNING);
      // The probe left the holder's lock alone.
      assertThat(RunLock.tryAcquire(folder)).isEmpty();
    } finally {
      holder.getOutputStream().close();
      holder.waitFor();
    }
    assertThat(RunLock.isHeld(folder)).isFalse();
    assertThat(Report.load(runs, "sgd/triangular*").get(0).status()).isEqualTo(RunStatus.INTERRUPTED);
  }
}
