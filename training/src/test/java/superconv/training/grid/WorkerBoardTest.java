package superconv.training.grid;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import superconv.training.manifest.ComponentRules;
import superconv.training.manifest.Manifest;
import superconv.training.manifest.RunSpec;
import superconv.training.run.RunFolder;
import superconv.training.run.RunPlan;
import superconv.training.run.RunRecord;
import superconv.training.run.RunStatus;
import superconv.training.run.SchedulerContext;

/** The parent's view of its workers: status lines read from the run folders, and the console they share. */
class WorkerBoardTest {

  @TempDir Path runs;

  private static List<RunSpec> specs() throws Exception {
    return Manifest.parse("""
        [defaults]
        epochs = 30
        batch_size = 128
        [[experiment]]
        name = "sgd"
        optimizer = { type = "sgd" }
        schedule = { type = "constant", lr = 0.1 }
        [experiment.grid]
        "schedule.lr" = [0.1, 0.2, 0.4]
        """, "m.toml", ComponentRules.standard()).runs();
  }

  /** run.json as a trainer writes it, from process {@code pid}, with 50000 training images (390 steps an epoch). */
  private RunFolder record(RunSpec spec, RunStatus status, long pid) throws Exception {
    RunFolder folder = RunFolder.of(runs, spec);
    ObjectNode data = RunFolder.json().createObjectNode().put("train_images", 50000);
    folder.writeRecord(new RunRecord(status, RunFolder.json().valueToTree(spec), "v", null, "2.18.0", "/CPU:0",
        null, data, "t", null, 1, 390, 1, 0.5, null, null,
        new SchedulerContext("h", pid, "2", null, null, null, null, null, null, null), 390));
    return folder;
  }

  @Test
  void eachWorkerTrainsTheRunItsProcessMarkedRunningAtTheStepOfItsLastEvent() throws Exception {
    List<RunSpec> specs = specs();
    List<RunPlan> plans = RunPlan.of(specs, runs);
    RunFolder training = record(specs.get(0), RunStatus.RUNNING, 4242);
    Files.writeString(training.dir().resolve("events.jsonl"), """
        {"event":"start","time":"t","resumed":false,"epoch":0,"step":0,"epochs":30,"steps_per_epoch":390}
        {"event":"step","time":"t","epoch":1,"step":400,"loss":0.61234,"lr":0.1,"rate_norm":null}
        {"event":"epoch","time":"t","epoch":2,"step":780,"train_loss":0.5,"val_loss":0.6}
        {"event":"step","time":"t","epoch":3,"step":794,"loss":0.43125,"lr":0.1,"rate_norm":null}
        """);
    record(specs.get(1), RunStatus.FINISHED, 4242);
    record(specs.get(2), RunStatus.RUNNING, 999); // a process that died while training: not one of the workers

    WorkerProgress.Snapshot snapshot = new WorkerProgress(plans).read(Map.of(1, 4242L, 2, 77L));
    assertThat(snapshot.done()).isEqualTo(1);
    assertThat(snapshot.total()).isEqualTo(3);
    assertThat(snapshot.training()).containsOnlyKeys(1);
    assertThat(snapshot.training().get(1).describe()).isEqualTo("sgd/lr=0.1  epoch 3/30 step 14/390 loss 0.4313");

    Map<Integer, String> devices = new LinkedHashMap<>();
    devices.put(1, "gpu:0");
    devices.put(2, "gpu:1");
    assertThat(WorkerBoard.lines(devices, snapshot, Map.of(2, "starting"), 120)).containsExactly(
        "w1 gpu:0  sgd/lr=0.1  epoch 3/30 step 14/390 loss 0.4313",
        "w2 gpu:1  starting",
        "runs: 1/3 done (finished or diverged), 1 training");
    assertThat(WorkerBoard.lines(devices, snapshot, Map.of(), 30).get(0)).isEqualTo("w1 gpu:0  sgd/lr=0.1  epoch..")
        .hasSize(29);
  }

  @Test
  void aResumedRunShowsWhereItResumedUntilItsFirstStep() throws Exception {
    Path events = Files.writeString(runs.resolve("events.jsonl"), """
        {"event":"step","time":"t","epoch":3,"step":1000,"loss":0.4,"lr":0.1,"rate_norm":null}
        {"event":"start","time":"t","resumed":true,"epoch":2,"step":780,"epochs":30,"steps_per_epoch":390}
        """);
    assertThat(WorkerProgress.lastStep(events).orElseThrow().get("step").asLong()).isEqualTo(780);
    assertThat(new WorkerProgress.Training("r", 30, 390, 0, Double.NaN).describe()).isEqualTo("r  starting");
    assertThat(WorkerProgress.lastStep(runs.resolve("none.jsonl"))).isEmpty();
  }

  @Test
  void workersLinesArePrefixedAndTensorFlowsNativeInfoLinesDropped() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    WorkerBoard board = new WorkerBoard(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, false, 80);
    board.line(2, "12:00:01 INFO  run a/b: resnet18");
    board.line(1, "I0000 00:00:1733212345.123456   4242 cpu_feature_guard.cc:210] This TensorFlow binary is");
    board.line(1, "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR");
    board.show(List.of("w1 cpu  starting")); // not live: no block
    board.close();
    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("[w2] 12:00:01 INFO  run a/b: resnet18\n");
  }

  @Test
  void onATerminalTheBlockIsErasedBeforeEachLineAndDrawnBelowIt() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    WorkerBoard board = new WorkerBoard(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, false, 80);
    board.show(List.of("w1 cpu  starting", "runs: 0/2 done"));
    board.line(1, "hello");
    board.close();
    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("w1 cpu  starting\nruns: 0/2 done\n"
        + "\r\033[2A\033[J[w1] hello\nw1 cpu  starting\nruns: 0/2 done\n" + "\r\033[2A\033[J");
  }
}
