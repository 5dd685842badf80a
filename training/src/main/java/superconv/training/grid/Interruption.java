package superconv.training.grid;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import superconv.training.run.RunFolder;
import superconv.training.run.RunRecord;
import superconv.training.run.RunStatus;

/**
 * Marks the run in progress as interrupted when the JVM is stopped (Ctrl-C, SIGTERM): its folder then says what
 * happened, and the next run of the grid resumes it from its last checkpoint.
 */
final class Interruption {

  private static volatile RunFolder current;

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(Interruption::mark, "superconv-interrupt"));
  }

  private Interruption() {}

  static void watch(RunFolder folder) {
    current = folder;
  }

  static void clear() {
    current = null;
  }

  private static void mark() {
    RunFolder folder = current;
    if (folder == null) {
      return;
    }
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
