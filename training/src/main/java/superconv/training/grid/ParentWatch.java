package superconv.training.grid;

import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * A worker of {@code run --workers} stops when its parent is gone: a parent killed outright (SIGKILL, an OOM
 * killer) cannot stop its workers, and a worker left behind would go on training with nobody to see it. The worker
 * then exits as on SIGTERM, so its run ends {@code interrupted} and resumes on the next {@code run}.
 */
public final class ParentWatch {

  /** The parent's process id, in each worker's environment. */
  public static final String PARENT_VARIABLE = "SUPERCONV_WORKER_PARENT";
  /** The exit status of a JVM stopped by SIGTERM, which this stop stands for. */
  public static final int STOPPED = 128 + 15;

  private static final Logger LOG = LogManager.getLogger(ParentWatch.class);

  private ParentWatch() {}

  /** Watches the parent named in {@code environment}, if any; when it exits, this process exits too. */
  public static void start(Map<String, String> environment) {
    String pid = environment.get(PARENT_VARIABLE);
    if (pid == null || !pid.strip().matches("\\d+")) {
      return;
    }
    Optional<ProcessHandle> parent = ProcessHandle.of(Long.parseLong(pid.strip()));
    if (parent.isEmpty()) {
      LOG.warn("worker: the parent superconv (pid {}) is already gone; stopping", pid.strip());
      System.exit(STOPPED);
    }
    parent.get().onExit().thenRun(() -> {
      LOG.warn("worker: the parent superconv (pid {}) is gone; stopping", pid.strip());
      System.exit(STOPPED);
    });
  }
}
