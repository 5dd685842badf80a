package superconv.training.report;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import superconv.training.manifest.RunSpec;
import superconv.training.run.RunFolder;

/** Where every run below a runs directory stands ({@code superconv status}); reads, never writes. */
public final class RunStates {

  private RunStates() {}

  /**
   * The runs of {@code selection} in its order, each with its index (those without a folder as not started),
   * then every other run folder below {@code runsDir} in path order; without a selection, every run folder.
   * {@code only} narrows the folders as it narrows a report (the selection is already narrowed by it).
   *
   * @param selection a manifest's selected runs, or null
   */
  public static List<RunState> load(Path runsDir, List<RunSpec> selection, String only) throws IOException {
    Map<Path, RunFolder> folders = new LinkedHashMap<>();
    for (RunFolder folder : RunFolder.findAll(runsDir)) {
      folders.put(key(folder), folder);
    }
    List<RunState> states = new ArrayList<>();
    if (selection != null) {
      for (int i = 0; i < selection.size(); i++) {
        RunSpec spec = selection.get(i);
        RunFolder folder = RunFolder.of(runsDir, spec);
        folders.remove(key(folder));
        states.add(RunState.of(folder, spec.id(), i, spec));
      }
    }
    List<PathMatcher> matchers = Report.matchers(only);
    for (RunFolder folder : folders.values()) {
      String[] id = id(runsDir, folder);
      RunState state = RunState.of(folder, id[0] + (id[1].isEmpty() ? "" : "/" + id[1]), null, null);
      String[] named = state.state() == RunState.State.UNREADABLE ? id : state.run().split("/", 2);
      if (Report.matches(matchers, named[0], named.length > 1 ? named[1] : "")) {
        states.add(state);
      }
    }
    return states;
  }

  private static Path key(RunFolder folder) {
    return folder.dir().toAbsolutePath().normalize();
  }

  /** Experiment and run as the folder's place says (for a run.json that cannot say): {@code <exp>/<run>}. */
  private static String[] id(Path runsDir, RunFolder folder) {
    Path relative = key(new RunFolder(runsDir)).relativize(key(folder));
    if (relative.toString().isEmpty()) {
      return new String[] {folder.dir().toAbsolutePath().normalize().getFileName().toString(), ""};
    }
    String first = relative.getName(0).toString();
    return new String[] {first, relative.getNameCount() > 1 ? relative.subpath(1, relative.getNameCount())
        .toString() : ""};
  }
}
