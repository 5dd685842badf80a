package superconv.training.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import superconv.training.manifest.ComponentRules;
import superconv.training.manifest.Manifest;
import superconv.training.manifest.RunSpec;
import superconv.training.report.RunState.State;
import superconv.training.run.RunFolder;
import superconv.training.run.RunRecord;
import superconv.training.run.RunStatus;
import superconv.training.run.SchedulerContext;

/** status's view of hand-written run folders (no training). */
class RunStatesTest {

  @TempDir Path runs;

  private List<RunSpec> specs;

  @BeforeEach
  void prepare() throws Exception {
    specs = Manifest.parse("""
        [defaults]
        epochs = 4
        [[experiment]]
        name = "sgd"
        optimizer = { type = "sgd" }
        schedule = { type = "constant", lr = 0.1 }
        [experiment.grid]
        "schedule.lr" = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
        """, "m.toml", ComponentRules.standard()).runs();
  }

  static RunRecord record(RunSpec spec, RunStatus status, int epochs, Double best, String message,
      SchedulerContext scheduler) {
    return new RunRecord(status, RunFolder.json().valueToTree(spec), "0.1.0", null, "2.18.0", "/CPU:0", null, null,
        "t0", null, epochs, epochs * 10L, best == null ? null : epochs, best, null, message, scheduler, null);
  }

  private RunFolder write(int i, RunRecord record) throws Exception {
    RunFolder folder = RunFolder.of(runs, specs.get(i));
    folder.writeRecord(record);
    return folder;
  }

  @Test
  void eachStatusOfRunJsonBecomesAState() throws Exception {
    SchedulerContext node = SchedulerContext.of(Map.of("SLURM_JOB_ID", "5"), "node7", 4242);
    write(0, record(specs.get(0), RunStatus.FINISHED, 4, 0.9, null, node));
    write(1, record(specs.get(1), RunStatus.FINISHED, 2, 0.3, null, null).withDivergence(25));
    write(2, record(specs.get(2), RunStatus.INTERRUPTED, 1, 0.5, RunRecord.STOPPED_BY_SIGNAL, node));
    write(3, record(specs.get(3), RunStatus.INTERRUPTED, 3, 0.6, "java.io.IOException: disk full", node));
    write(4, record(specs.get(4), RunStatus.RUNNING, 2, 0.7, null, node));
    Path broken = write(5, record(specs.get(5), RunStatus.RUNNING, 1, 0.1, null, null)).runJson();
    Files.writeString(broken, Files.readString(broken).substring(0, 40));

    List<RunState> states = RunStates.load(runs, null, null);
    assertThat(states).extracting(RunState::run).containsExactly("sgd/lr=0.1", "sgd/lr=0.2", "sgd/lr=0.3",
        "sgd/lr=0.4", "sgd/lr=0.5", "sgd/lr=0.6");
    assertThat(states).extracting(RunState::state).containsExactly(State.FINISHED, State.DIVERGED,
        State.INTERRUPTED, State.FAILED, State.INTERRUPTED, State.UNREADABLE);
    assertThat(states.get(0)).extracting(RunState::epochsCompleted, RunState::epochs, RunState::bestValAccuracy,
        RunState::bestEpoch, RunState::index).containsExactly(4, 4, 0.9, 4, null);
    assertThat(states.get(0).where()).isNull();
    assertThat(states.get(1).divergedAtStep()).isEqualTo(25L);
    assertThat(states.get(3).message()).isEqualTo("java.io.IOException: disk full");
    // Recorded as running, but nobody holds its lock: killed without a chance to say so.
    assertThat(states.get(4).message()).isEqualTo(RunState.PROCESS_GONE);
    assertThat(states.get(4).where()).isNull();
    assertThat(states.get(5).message()).startsWith("unreadable run.json (").doesNotContain("\n");
    assertThat(states.get(5).epochs()).isNull();

    assertThat(RunStates.load(runs, null, "sgd/lr=0.[12]")).extracting(RunState::run)
        .containsExactly("sgd/lr=0.1", "sgd/lr=0.2");
    assertThat(RunStates.load(runs, null, "sgd/lr=0.6")).extracting(RunState::state)
        .containsExactly(State.UNREADABLE);
  }

  @Test
  void aManifestAddsItsRunsNotStartedWithTheirIndicesAndKeepsOtherFolders() throws Exception {
    write(1, record(specs.get(1), RunStatus.FINISHED, 4, 0.8, null, null));
    RunFolder.of(runs.resolve("other"), specs.get(0)).writeRecord(record(specs.get(0), RunStatus.FINISHED, 4,
        0.5, null, null));
    Files.move(runs.resolve("other/sgd"), runs.resolve("old"));

    List<RunState> states = RunStates.load(runs, specs.subList(0, 3), null);
    assertThat(states).extracting(RunState::state).containsExactly(State.NOT_STARTED, State.FINISHED,
        State.NOT_STARTED, State.FINISHED);
    assertThat(states).extracting(RunState::index).containsExactly(0, 1, 2, null);
    assertThat(states.get(0)).extracting(RunState::run, RunState::epochs).containsExactly("sgd/lr=0.1", 4);
    // The folder's run.json names the run, wherever the folder is.
    assertThat(states.get(3).run()).isEqualTo("sgd/lr=0.1");
    assertThat(states.get(3).dir()).endsWith("old/lr=0.1");
  }

  @Test
  void aRunWhoseLockAnotherProcessHoldsIsRunningThere() throws Exception {
    // Within one JVM a lock probe cannot tell (see RunLock.isHeld): python3's lockf takes the same fcntl lock.
    assumeThat(Path.of("/usr/bin/python3")).as("python3 to hold a lock from another process").exists();
    SchedulerContext pod = SchedulerContext.of(Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1", "HOSTNAME", "grid-2",
        "JOB_COMPLETION_INDEX", "2"), "grid-2", 31);
    RunFolder folder = write(2, record(specs.get(2), RunStatus.RUNNING, 1, 0.4, null, pod));
    Path lock = folder.dir().getParent().resolve("." + folder.dir().getFileName() + ".lock");
    Process holder = new ProcessBuilder("/usr/bin/python3", "-c",
        "import fcntl,sys; f=open(sys.argv[1],'a'); fcntl.lockf(f, fcntl.LOCK_EX); print('held', flush=True);"
            + " sys.stdin.read()", lock.toString()).redirectErrorStream(true).start();
    try {
      assertThat(new BufferedReader(new InputStreamReader(holder.getInputStream())).readLine()).isEqualTo("held");
      RunState state = RunStates.load(runs, null, null).get(0);
      assertThat(state.state()).isEqualTo(State.RUNNING);
      assertThat(state.message()).isNull();
      assertThat(state.where()).isEqualTo("host grid-2 pid 31 (pod grid-2 (index 2))");
    } finally {
      holder.getOutputStream().close();
      holder.waitFor();
    }
    assertThat(RunStates.load(runs, null, null).get(0).state()).isEqualTo(State.INTERRUPTED);
  }
}
