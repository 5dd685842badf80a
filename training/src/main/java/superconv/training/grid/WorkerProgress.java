package superconv.training.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import superconv.training.listeners.EventLog;
import superconv.training.run.RunFolder;
import superconv.training.run.RunPlan;
import superconv.training.run.RunRecord;
import superconv.training.run.RunStatus;

/**
 * Where the workers of a pool stand, read from the run folders they write: a worker trains the run whose
 * {@code run.json} says {@code running} with the worker's process id, at the step the last line of its {@code
 * events.jsonl} names; a run is done once its {@code run.json} says finished or diverged. A {@code run.json} is
 * parsed again only when it changed, and only the end of an {@code events.jsonl} is read.
 */
final class WorkerProgress {

  /** How much of the end of {@code events.jsonl} holds its last step line, with room to spare. */
  private static final int TAIL_BYTES = 4096;
  /** A line that names the steps done; compiled once, as every worker's tail is scanned every second. */
  private static final Pattern STEP_LINE = Pattern.compile("\\{\"event\":\"(start|step|epoch)\".*");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A run a worker is training: steps are global and counted from 1; loss is NaN before the first fetch. */
  record Training(String run, int epochs, long stepsPerEpoch, long step, double loss) {

    /** "sgd/lr=0.1  epoch 2/30 step 14/390 loss 0.4312", or "starting" before the first step line. */
    String describe() {
      if (step == 0 || stepsPerEpoch <= 0) {
        return run + "  starting";
      }
      long epoch = Math.min(epochs, (step - 1) / stepsPerEpoch + 1);
      long inEpoch = step - (epoch - 1) * stepsPerEpoch;
      return run + "  epoch " + epoch + "/" + epochs + " step " + inEpoch + "/" + stepsPerEpoch
          + (Double.isNaN(loss) ? "" : String.format(Locale.ROOT, " loss %.4f", loss));
    }
  }

  /** What the folders say now: the run each worker (by number) trains, and the runs done of all. */
  record Snapshot(Map<Integer, Training> training, int done, int total) {}

  /** A run.json as last parsed, with the modification time it had then. */
  private record Parsed(FileTime modified, RunRecord record) {}

  private final List<RunPlan> runs;
  private final Map<Path, Parsed> parsed = new HashMap<>();

  WorkerProgress(List<RunPlan> runs) {
    this.runs = List.copyOf(runs);
  }

  /** @param pids each worker's process id, by worker number */
  Snapshot read(Map<Integer, Long> pids) {
    Map<Long, Integer> workerOf = new HashMap<>();
    pids.forEach((worker, pid) -> workerOf.put(pid, worker));
    Map<Integer, Training> training = new LinkedHashMap<>();
    int done = 0;
    for (RunPlan plan : runs) {
      RunRecord record = record(plan.folder().runJson());
      if (record == null) {
        continue;
      }
      if (record.status().isFinal()) {
        done++;
      } else if (record.status() == RunStatus.RUNNING && record.scheduler() != null
          && workerOf.containsKey(record.scheduler().pid())) {
        training.put(workerOf.get(record.scheduler().pid()), training(plan, record));
      }
    }
    return new Snapshot(training, done, runs.size());
  }

  private Training training(RunPlan plan, RunRecord record) {
    long perEpoch = record.stepsPerEpoch() == null ? 0 : record.stepsPerEpoch();
    long step = 0;
    double loss = Double.NaN;
    Optional<JsonNode> last = lastStep(plan.folder().dir().resolve(EventLog.FILE));
    if (last.isPresent()) {
      step = last.get().path("step").asLong(0);
      JsonNode value = last.get().path(switch (last.get().path("event").asText()) {
        case "step" -> "loss";
        case "epoch" -> "train_loss";
        default -> "none";
      });
      loss = value.isNumber() ? value.asDouble() : Double.NaN;
    }
    return new Training(plan.spec().id(), plan.spec().epochs(), perEpoch, step, loss);
  }

  /** The record, parsed again only when the file changed; null when there is none (or it cannot be read now). */
  private RunRecord record(Path file) {
    Parsed last = parsed.get(file);
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      if (last == null || !modified.equals(last.modified())) {
        last = new Parsed(modified, RunFolder.json().readValue(file.toFile(), RunRecord.class));
        parsed.put(file, last);
      }
    } catch (IOException e) {
      // No run.json yet, or one that cannot be read now: the last one parsed stands.
    }
    return last == null ? null : last.record();
  }

  /**
   * The last {@code start}, {@code step} or {@code epoch} line of an events.jsonl, read from its end: each names
   * the steps done by then ({@code step}); a resumed run's {@code start} line follows the lines of the steps it
   * takes again.
   */
  static Optional<JsonNode> lastStep(Path events) {
    if (!Files.isRegularFile(events)) {
      return Optional.empty();
    }
    try (RandomAccessFile file = new RandomAccessFile(events.toFile(), "r")) {
      long length = file.length();
      int size = (int) Math.min(TAIL_BYTES, length);
      byte[] tail = new byte[size];
      file.seek(length - size);
      file.readFully(tail);
      String[] lines = new String(tail, StandardCharsets.UTF_8).split("\n");
      for (int i = lines.length - 1; i >= 0; i--) {
        if (STEP_LINE.matcher(lines[i]).matches()) {
          try {
            return Optional.of(JSON.readTree(lines[i]));
          } catch (IOException e) {
            // The first line of the tail may be cut; an earlier one will do.
          }
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
