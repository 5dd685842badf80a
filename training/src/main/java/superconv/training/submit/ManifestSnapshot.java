package superconv.training.submit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import superconv.training.grid.RunSelection;
import superconv.training.manifest.ComponentRules;
import superconv.training.manifest.Manifest;
import superconv.training.manifest.ManifestException;
import superconv.training.manifest.RunSpec;
import superconv.training.run.RunPlan;

/**
 * A manifest frozen for a submission, and the runs of it that still need training. A scheduler's array task or pod
 * runs {@code superconv run experiments.toml --index I} on the snapshot, never on the user's manifest: an edit to
 * the manifest after submitting (an experiment added above others, a grid value changed) would otherwise move
 * every later run to another index while the job is queued.
 *
 * <p>Indices count the snapshot's whole manifest in the order {@code superconv list} prints (no {@code --only}):
 * the selection is already applied by listing only the selected runs, so a task needs nothing but its index.
 *
 * @param text the manifest's exact text, as the snapshot stores it
 * @param selected the runs {@code --only} selected, with their indices in the whole manifest
 * @param pending the selected runs that are not finished or diverged in the runs directory, in order
 */
public record ManifestSnapshot(String text, List<RunSelection.Indexed<RunSpec>> selected,
    List<RunSelection.Indexed<RunSpec>> pending) {

  /** Below the runs directory: one folder per submission. The dot keeps it out of run listings' way. */
  public static final String SUBMISSIONS = ".submissions";
  /** The manifest's copy in a submission folder. */
  public static final String MANIFEST = "experiments.toml";
  /** Line k: the k-th pending run as {@code INDEX<TAB>EXPERIMENT/RUN}; k is a completion index or array slot. */
  public static final String RUNS = "runs.tsv";

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  public ManifestSnapshot {
    selected = List.copyOf(selected);
    pending = List.copyOf(pending);
  }

  /**
   * Reads and validates the manifest, selects its runs with {@code only} and plans them against {@code runsDir};
   * writes nothing.
   *
   * @throws ManifestException a refused manifest or pattern, or a run folder that holds another spec (the pod
   *     would refuse it too)
   */
  public static ManifestSnapshot take(Path manifest, String only, Path runsDir) throws ManifestException, IOException {
    // Load first for its worded errors; then parse the very bytes the snapshot stores, so a write to the manifest
    // between the two reads cannot make the snapshot differ from what was planned.
    Manifest.load(manifest, ComponentRules.standard());
    String text = utf8(Files.readAllBytes(manifest), manifest);
    Manifest parsed = Manifest.parse(text, manifest.toString(), ComponentRules.standard());
    Map<RunSpec, Integer> index = new IdentityHashMap<>();
    List<RunSpec> all = parsed.runs();
    for (int i = 0; i < all.size(); i++) {
      index.put(all.get(i), i);
    }
    List<RunSpec> chosen = parsed.select(only);
    Set<RunSpec> open = RunPlan.of(chosen, runsDir).stream()
        .filter(p -> p.action() != RunPlan.Action.SKIP)
        .map(RunPlan::spec)
        .collect(Collectors.toCollection(() -> java.util.Collections.newSetFromMap(new IdentityHashMap<>())));
    List<RunSelection.Indexed<RunSpec>> selected =
        chosen.stream().map(r -> new RunSelection.Indexed<>(index.get(r), r)).toList();
    return new ManifestSnapshot(text, selected, selected.stream().filter(r -> open.contains(r.run())).toList());
  }

  /** {@link #RUNS}'s text: one line per pending run. */
  public String runsTable() {
    StringBuilder table = new StringBuilder();
    pending.forEach(r -> table.append(r.index()).append('\t').append(r.run().id()).append('\n'));
    return table.toString();
  }

  /** The one experiment all selected runs belong to, else null: a submission's natural name. */
  public String experiment() {
    Set<String> names = selected.stream().map(r -> r.run().experiment()).collect(Collectors.toSet());
    return names.size() == 1 ? names.iterator().next() : null;
  }

  /** A submission's folder name: {@code base-YYYYMMDD-HHMMSS} in UTC, sortable and unique per second. */
  public static String folderName(String base, Instant when) {
    return base + "-" + STAMP.format(when);
  }

  /**
   * Writes {@code runsDir/.submissions/<name>/} with {@link #MANIFEST} and {@link #RUNS}; refuses a folder that
   * already exists, which would mix two submissions.
   *
   * @return the folder
   */
  public Path write(Path runsDir, String name) throws IOException {
    Path dir = runsDir.resolve(SUBMISSIONS).resolve(name);
    Files.createDirectories(dir.getParent());
    try {
      Files.createDirectory(dir);
    } catch (FileAlreadyExistsException e) {
      throw new IOException(dir + " already exists (a submission of the same name in the same second)");
    }
    Files.writeString(dir.resolve(MANIFEST), text, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve(RUNS), runsTable(), StandardCharsets.UTF_8);
    return dir;
  }

  private static String utf8(byte[] bytes, Path source) throws ManifestException {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new ManifestException(source + ": changed while it was read (no longer UTF-8 text); submit again");
    }
  }
}
