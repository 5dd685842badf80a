package superconv.training.report;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import superconv.datasets.IoErrors;
import superconv.training.run.RunFolder;
import superconv.training.run.RunLock;
import superconv.training.run.RunStatus;

/** Everything below a runs directory, optionally narrowed by {@code --only} globs. */
public final class Report {

  private static final Logger LOG = LogManager.getLogger(Report.class);

  private Report() {}

  /** As {@link #load(Path, String, Consumer)}, warnings going to the log. */
  public static List<RunResult> load(Path runsDir, String only) throws IOException {
    return load(runsDir, only, warning -> LOG.warn(warning));
  }

  /**
   * Loads every run folder below {@code runsDir} whose experiment or experiment/run matches a pattern. A folder
   * whose run.json or metrics cannot be read (truncated by a crash, edited by hand) is skipped with a one-line
   * warning: one broken run must not hide the others. A run recorded as running whose process is gone (its lock is
   * free: killed without a chance to say so) is reported as interrupted, which it is.
   */
  public static List<RunResult> load(Path runsDir, String only, Consumer<String> warnings) throws IOException {
    List<PathMatcher> matchers = matchers(only);
    List<RunResult> results = new ArrayList<>();
    for (RunFolder folder : RunFolder.findAll(runsDir)) {
      RunResult result;
      try {
        result = RunResult.load(folder);
        if (result.status() == RunStatus.RUNNING && !RunLock.isHeld(folder)) {
          result = new RunResult(folder, result.record().withStatus(RunStatus.INTERRUPTED, result.record().ended(),
              RunState.PROCESS_GONE), result.metrics());
        }
      } catch (IOException | RuntimeException e) {
        warnings.accept("skipping " + folder.dir() + ": " + unreadable(e));
        continue;
      }
      if (matches(matchers, result.experiment(), result.spec().path("run").asText())) {
        results.add(result);
      }
    }
    return results;
  }

  /** {@code --only}'s comma-separated globs; none for no pattern. */
  static List<PathMatcher> matchers(String only) {
    List<PathMatcher> matchers = new ArrayList<>();
    if (only != null && !only.isBlank()) {
      for (String glob : only.split(",")) {
        if (!glob.isBlank()) {
          matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob.strip()));
        }
      }
    }
    return matchers;
  }

  /** Whether a glob matches the experiment or experiment/run (every run, without globs). */
  static boolean matches(List<PathMatcher> matchers, String experiment, String run) {
    Path id = Path.of(experiment, run);
    return matchers.isEmpty() || matchers.stream().anyMatch(m -> m.matches(Path.of(experiment)) || m.matches(id));
  }

  static String unreadable(Exception e) {
    if (e instanceof com.fasterxml.jackson.core.JacksonException json) {
      return "unreadable " + RunFolder.RUN_JSON + " (" + json.getOriginalMessage().strip().replaceAll("\\s*\n\\s*", " ")
          + ")";
    }
    return e instanceof IOException io ? IoErrors.describe(io)
        : String.valueOf(e.getMessage()).strip().replaceAll("\\s*\n\\s*", " ");
  }

  /** One set of plots per experiment, and one for the whole selection when it spans several experiments. */
  public static List<Path> plots(List<RunResult> results, Path dir, boolean selection) throws IOException {
    Map<String, List<RunResult>> byExperiment = new LinkedHashMap<>();
    results.forEach(r -> byExperiment.computeIfAbsent(r.experiment(), k -> new ArrayList<>()).add(r));
    List<Path> written = new ArrayList<>();
    for (var entry : byExperiment.entrySet()) {
      written.addAll(Plots.write(entry.getValue(), dir, entry.getKey(), entry.getKey()));
    }
    if (selection && byExperiment.size() > 1) {
      written.addAll(Plots.write(results, dir, "selection", "selected runs"));
    }
    return written;
  }
}
