package superconv.training.report;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import superconv.training.run.RunFolder;

/** Everything below a runs directory, optionally narrowed by {@code --only} globs. */
public final class Report {

  private Report() {}

  /** Loads every run folder below {@code runsDir} whose experiment or experiment/run matches a pattern. */
  public static List<RunResult> load(Path runsDir, String only) throws IOException {
    List<PathMatcher> matchers = new ArrayList<>();
    if (only != null && !only.isBlank()) {
      for (String glob : only.split(",")) {
        if (!glob.isBlank()) {
          matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob.strip()));
        }
      }
    }
    List<RunResult> results = new ArrayList<>();
    for (RunFolder folder : RunFolder.findAll(runsDir)) {
      RunResult result = RunResult.load(folder);
      Path experiment = Path.of(result.experiment());
      Path id = Path.of(result.experiment(), result.spec().path("run").asText());
      if (matchers.isEmpty() || matchers.stream().anyMatch(m -> m.matches(experiment) || m.matches(id))) {
        results.add(result);
      }
    }
    return results;
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
