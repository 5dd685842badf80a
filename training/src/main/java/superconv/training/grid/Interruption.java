package superconv.training.grid;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import superconv.training.loop.StopRequest;
import superconv.training.run.RunFolder;
import superconv.training.run.RunRecord;
import superconv.training.run.RunStatus;

/**
 * Stops the run in progress when the JVM is stopped (Ctrl-C, SIGTERM from a scheduler's preemption or time limit):
 * the shutdown hook asks the run's loop to stop after its current step and waits while the loop checkpoints there
 * and marks the run interrupted, so that the next run of the grid resumes it having lost at most that step. A run
 * that does not get there in time (the graph still being built, a step or an evaluation longer than the wait) is
 * marked interrupted here and resumes from its last checkpoint. The JVM then exits as a signal ends it (143 for
 * SIGTERM, 130 for Ctrl-C).
 */
final class Interruption {

  /**
   * How long the hook waits for the checkpoint: within the lead of Slurm's SIGTERM on its SIGKILL ({@code
   * SlurmScript.SIGNAL_LEAD_SECONDS}, 120 s), so that a run that cannot checkpoint is still marked. A constant, so
   * that a class reading it (the worker pool's parent) does not load this one and register its hook.
   */
  static final long CHECKPOINT_WAIT_SECONDS = 90;

  private record Watched(RunFolder folder, StopRequest stop) {}

  private static volatile Watched current;

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(Interruption::stop, "superconv-interrupt"));
  }

  private Interruption() {}

  /** {@code folder}'s run is training, and {@code stop} reaches its loop. */
  static void watch(RunFolder folder, StopRequest stop) {
    current = new Watched(folder, stop);
  }

  static void clear() {
    current = null;
  }

  private static void stop() {
    Watched watched = current;
    if (watched == null) {
      return;
    }
    try {
      if (watched.stop().requestAndAwait(Duration.ofSeconds(CHECKPOINT_WAIT_SECONDS))) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    mark(watched.folder());
  }

  private static void mark(RunFolder folder) {
    try {
      Optional<RunRecord> record = folder.readRecord();
      if (record.isPresent() && record.get().status() == RunStatus.RUNNING) {
        folder.writeRecord(record.get().withStatus(RunStatus.INTERRUPTED, Instant.now().toString(),
            RunRecord.STOPPED_BY_SIGNAL));
      }
    } catch (IOException e) {
      System.err.println("superconv: could not mark " + folder.dir() + " as interrupted: " + e.getMessage());
    }
  }
}
