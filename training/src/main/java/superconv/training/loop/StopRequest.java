package superconv.training.loop;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A request from another thread (the shutdown hook of a SIGTERM or Ctrl-C) that a run's loop stop after the step it
 * is taking, checkpointed there, and the loop's answer. The loop looks after every step; once its listeners have
 * written the checkpoint, the rate history and run.json it answers {@link #checkpointed}; whoever ran the run answers
 * {@link #released} when the run is over in any way, so that the requester never waits for a loop that will not
 * look again.
 */
public final class StopRequest {

  private final CountDownLatch answered = new CountDownLatch(1);
  private volatile boolean requested;
  private volatile boolean checkpointed;

  /** Asks the loop to stop after its current step. */
  public void request() {
    requested = true;
  }

  public boolean requested() {
    return requested;
  }

  /** The loop stopped at the request and its folder says so (checkpoint, rate history, run.json). */
  void checkpointed() {
    checkpointed = true;
    answered.countDown();
  }

  /** The run is over (stopped at the request, finished, diverged, failed): nobody will answer after this. */
  public void released() {
    answered.countDown();
  }

  /**
   * Requests the stop and waits up to {@code timeout} for the answer.
   *
   * @return whether the loop stopped with a checkpoint at its step (false: it ended otherwise, or not in time)
   */
  public boolean requestAndAwait(Duration timeout) throws InterruptedException {
    request();
    return answered.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && checkpointed;
  }
}
