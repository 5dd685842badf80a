package superconv.training.grid;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A worker whose parent is gone stops as on SIGTERM (a JVM of its own, watching a process the test ends). */
class ParentWatchTest {

  @Test
  void aWorkerStopsWhenItsParentEnds() throws Exception {
    Process parent = new ProcessBuilder("sleep", "600").start();
    Process worker = new ProcessBuilder(JavaCommand.of(Worker.class).command(List.of(Long.toString(parent.pid()))))
        .redirectErrorStream(true).start();
    try (BufferedReader output = new BufferedReader(new InputStreamReader(worker.getInputStream(),
        StandardCharsets.UTF_8))) {
      List<String> lines = new ArrayList<>();
      for (String line = output.readLine(); line != null && !line.equals("watching"); line = output.readLine()) {
        lines.add(line);
      }
      assertThat(worker.isAlive()).as(String.join("\n", lines)).isTrue();
      parent.destroy();
      assertThat(worker.waitFor(60, TimeUnit.SECONDS)).as("the worker stopped").isTrue();
      output.lines().forEach(lines::add);
      assertThat(worker.exitValue()).as(String.join("\n", lines)).isEqualTo(ParentWatch.STOPPED);
      assertThat(lines).anyMatch(line -> line.endsWith(
          "worker: the parent superconv (pid " + parent.pid() + ") is gone; stopping"))
          .doesNotContain("still here");
    } finally {
      worker.destroyForcibly();
      parent.destroyForcibly();
    }
  }

  /** A worker that would run a minute, watching the process named in its arguments. */
  public static final class Worker {
    public static void main(String[] args) throws InterruptedException {
      ParentWatch.start(Map.of(ParentWatch.PARENT_VARIABLE, args[0]));
      System.out.println("watching");
      Thread.sleep(60_000);
      System.out.println("still here");
    }
  }
}
