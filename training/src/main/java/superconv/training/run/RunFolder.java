package superconv.training.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import superconv.training.manifest.RunSpec;

/**
 * One run's folder, {@code <runs-dir>/<experiment>/<run>/}, and the files in it:
 * <pre>
 *   run.json          spec, provenance, status              (atomic rewrite)
 *   metrics.csv       one row per epoch                     (appended and forced per epoch)
 *   rates.csv.gz      rate fed and calculated-rate norm per iteration (atomic rewrite per checkpoint)
 *   run.log           the run's log
 *   events.out.tfevents.*   TensorBoard graph and scalars
 *   checkpoint/       the last checkpoint (an epoch's end, every --checkpoint-every steps, where a signal stopped
 *                     the run): TensorFlow checkpoint (ckpt-STEP.*) of weights, batch-norm statistics and
 *                     optimizer state, plus state.json (counters, best so far, the epoch in progress)
 *                                                           (built aside as checkpoint.next, swapped in by rename)
 *   best/             TensorFlow checkpoint of the model at its best validation accuracy
 *   saved_model/      the final weights for serving
 * </pre>
 */
public final class RunFolder {

  public static final String RUN_JSON = "run.json";
  public static final String CHECKPOINT_STATE = "state.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).findAndRegisterModules();

  private final Path dir;

  public RunFolder(Path dir) {
    this.dir = dir;
  }

  public static RunFolder of(Path runsDir, RunSpec spec) {
    return new RunFolder(runsDir.resolve(spec.experiment()).resolve(spec.run()));
  }

  /** Every run folder (one holding a run.json) below {@code runsDir}, in path order. */
  public static List<RunFolder> findAll(Path runsDir) throws IOException {
    if (!Files.isDirectory(runsDir)) {
      return List.of();
    }
    try (Stream<Path> paths = Files.walk(runsDir)) {
      return paths.filter(p -> p.getFileName().toString().equals(RUN_JSON) && Files.isRegularFile(p))
          .map(p -> new RunFolder(p.getParent()))
          .sorted(java.util.Comparator.comparing(f -> f.dir().toString()))
          .toList();
    }
  }

  public static ObjectMapper json() {
    return JSON;
  }

  public Path dir() {
    return dir;
  }

  public Path runJson() {
    return dir.resolve(RUN_JSON);
  }

  public Path metricsCsv() {
    return dir.resolve("metrics.csv");
  }

  public Path rates() {
    return dir.resolve("rates.csv.gz");
  }

  public Path log() {
    return dir.resolve("run.log");
  }

  public Path savedModel() {
    return dir.resolve("saved_model");
  }

  public Path checkpoint() {
    return dir.resolve("checkpoint");
  }

  private Path pendingCheckpoint() {
    return dir.resolve("checkpoint.next");
  }

  private Path previousCheckpoint() {
    return dir.resolve("checkpoint.previous");
  }

  public Optional<RunRecord> readRecord() throws IOException {
    if (!Files.exists(runJson())) {
      return Optional.empty();
    }
    return Optional.of(JSON.readValue(runJson().toFile(), RunRecord.class));
  }

  public void writeRecord(RunRecord record) throws IOException {
    AtomicFiles.write(runJson(), out -> {
      JSON.writeValue(new NonClosing(out), record);
      out.write('\n');
    });
  }

  /** The spec as run.json stores it, for comparison with a manifest's current spec. */
  public static String canonical(Object specOrTree) {
    try {
      JsonNode tree = specOrTree instanceof JsonNode node ? node : JSON.valueToTree(specOrTree);
      return new ObjectMapper().writeValueAsString(JSON.readTree(new ObjectMapper().writeValueAsString(tree)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Appends one epoch's row (writing the header first on a new file) and forces it to the disk. */
  public void appendMetrics(EpochMetrics row) throws IOException {
    Files.createDirectories(dir);
    boolean fresh = !Files.exists(metricsCsv()) || Files.size(metricsCsv()) == 0;
    try (FileChannel channel = FileChannel.open(metricsCsv(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      String text = (fresh ? EpochMetrics.header() + "\n" : "") + row.csv() + "\n";
      channel.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
      channel.force(true);
    }
  }

  public List<EpochMetrics> readMetrics() throws IOException {
    List<EpochMetrics> rows = new ArrayList<>();
    if (!Files.exists(metricsCsv())) {
      return rows;
    }
    List<String> lines = Files.readAllLines(metricsCsv(), StandardCharsets.UTF_8);
    for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
      if (!line.isBlank()) {
        rows.add(EpochMetrics.parse(line));
      }
    }
    return rows;
  }

  /** Drops rows after {@code epoch}: epochs a resume trains again (from a checkpoint older than the row). */
  public List<EpochMetrics> keepMetricsThrough(int epoch) throws IOException {
    List<EpochMetrics> rows = readMetrics();
    List<EpochMetrics> kept = rows.stream().filter(r -> r.epoch() <= epoch).toList();
    if (kept.size() != rows.size()) {
      StringBuilder text = new StringBuilder(EpochMetrics.header()).append('\n');
      kept.forEach(r -> text.append(r.csv()).append('\n'));
      AtomicFiles.writeString(metricsCsv(), text.toString());
    }
    return kept;
  }

  /** An empty folder to write the next checkpoint into; {@link #commitCheckpoint} swaps it in. */
  public Path startCheckpoint() throws IOException {
    AtomicFiles.deleteTree(pendingCheckpoint());
    Files.createDirectories(pendingCheckpoint());
    return pendingCheckpoint();
  }

  /**
   * Makes the pending checkpoint the current one. The old one is moved aside first and deleted last, so at
   * every instant one complete checkpoint exists under a known name ({@link #latestCheckpoint} finds it).
   */
  public void commitCheckpoint() throws IOException {
    if (!Files.exists(pendingCheckpoint().resolve(CHECKPOINT_STATE))) {
      throw new IOException("checkpoint in " + pendingCheckpoint() + " has no " + CHECKPOINT_STATE);
    }
    AtomicFiles.deleteTree(previousCheckpoint());
    if (Files.exists(checkpoint())) {
      Files.move(checkpoint(), previousCheckpoint(), StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(pendingCheckpoint(), checkpoint(), StandardCopyOption.ATOMIC_MOVE);
    AtomicFiles.deleteTree(previousCheckpoint());
  }

  /** The last complete checkpoint, recovering one left aside by a kill during {@link #commitCheckpoint}. */
  public Optional<Path> latestCheckpoint() throws IOException {
    if (Files.exists(checkpoint().resolve(CHECKPOINT_STATE))) {
      return Optional.of(checkpoint());
    }
    if (Files.exists(previousCheckpoint().resolve(CHECKPOINT_STATE))) {
      AtomicFiles.deleteTree(checkpoint());
      Files.move(previousCheckpoint(), checkpoint(), StandardCopyOption.ATOMIC_MOVE);
      return Optional.of(checkpoint());
    }
    return Optional.empty();
  }

  /** Removes everything a previous attempt wrote (a run restarted from scratch). */
  public void clear() throws IOException {
    AtomicFiles.deleteTree(dir);
  }

  /** Stops Jackson from closing the stream AtomicFiles still has to force. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
