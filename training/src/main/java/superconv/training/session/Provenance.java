package superconv.training.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import superconv.cli.Main;

/** superconv's version and the git commit of the working tree it runs from (when it runs from one). */
public final class Provenance {

  private static volatile String commit;

  private Provenance() {}

  public static String version() {
    String version = Main.class.getPackage().getImplementationVersion();
    return version == null ? "0.1.0-SNAPSHOT" : version;
  }

  /** {@code git rev-parse HEAD} (with {@code -dirty} for uncommitted changes), or null outside a repository. */
  public static String gitCommit() {
    String known = commit;
    if (known != null) {
      return known.isEmpty() ? null : known;
    }
    String head = git("rev-parse", "HEAD");
    if (head != null) {
      String status = git("status", "--porcelain", "--untracked-files=no");
      head = status != null && !status.isBlank() ? head + "-dirty" : head;
    }
    commit = head == null ? "" : head;
    return head;
  }

  private static String git(String... args) {
    String[] command = new String[args.length + 1];
    command[0] = "git";
    System.arraycopy(args, 0, command, 1, args.length);
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
        return null;
      }
      return new String(out, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
