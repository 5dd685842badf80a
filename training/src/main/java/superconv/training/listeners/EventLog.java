package superconv.training.listeners;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import superconv.training.loop.Divergence;
import superconv.training.loop.EpochEnd;
import superconv.training.loop.RunStart;
import superconv.training.loop.StepEnd;
import superconv.training.loop.TrainingListener;
import superconv.training.run.EpochMetrics;
import superconv.training.run.RunProgress;

/**
 * {@code events.jsonl}: one JSON object per line for tools that tail a run ({@code tail -f}, a dashboard): {@code
 * start}, {@code step} whenever the loss was fetched (every {@code loss_every} steps), {@code epoch}, {@code
 * checkpoint} (a mid-epoch one), {@code interrupted} (a signal stopped the run, checkpointed there), {@code
 * diverged}, {@code finished} and {@code failed}. Lines are flushed as they happen. Start, checkpoint and
 * interrupted lines give a position: {@code epoch} epochs completed, {@code step} steps taken in all, {@code
 * epoch_steps} of them in the epoch in progress. A resumed run appends a {@code start} line with {@code "resumed":
 * true}: the steps after it continue from its {@code step}, so lines of steps trained again after a kill (beyond the
 * last checkpoint) appear twice. Numbers that are not finite are written as {@code null}.
 */
public final class EventLog implements TrainingListener {

  public static final String FILE = "events.jsonl";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;

  public EventLog(Path runDir) {
    this.file = runDir.resolve(FILE);
  }

  @Override
  public void onStart(RunStart start) throws IOException {
    ObjectNode line = line("start");
    line.put("resumed", start.resumed());
    position(line, start.progress());
    line.put("epochs", start.epochs());
    line.put("steps_per_epoch", start.stepsPerEpoch());
    append(line);
  }

  @Override
  public void onStep(StepEnd step) throws IOException {
    if (!step.fetched() || !step.values().lossFinite()) {
      return;
    }
    ObjectNode line = line("step");
    line.put("epoch", step.epoch() + 1);
    line.put("step", step.globalStep() + 1);
    number(line, "loss", step.values().loss());
    number(line, "lr", step.rate());
    number(line, "rate_norm", step.values().rateNorm());
    append(line);
  }

  @Override
  public void onEpochEnd(EpochEnd end) throws IOException {
    EpochMetrics row = end.row();
    ObjectNode line = line("epoch");
    line.put("epoch", row.epoch());
    line.put("step", row.step());
    number(line, "train_loss", row.trainLoss());
    number(line, "val_loss", row.valLoss());
    number(line, "val_accuracy", row.valAccuracy());
    number(line, "lr", row.lrLast());
    number(line, "rate_norm", row.rateNorm());
    number(line, "seconds", row.seconds());
    line.put("best_epoch", end.progress().bestEpoch());
    number(line, "best_val_accuracy", end.progress().bestAccuracy());
    append(line);
  }

  @Override
  public void onMidEpochCheckpoint(RunProgress at) throws IOException {
    append(position(line("checkpoint"), at));
  }

  @Override
  public void onInterrupt(RunProgress at) throws IOException {
    append(position(line("interrupted"), at));
  }

  /**
   * Where a run stands, as start, checkpoint and interrupted lines say it: epochs completed, steps taken in all and
   * of the epoch in progress.
   */
  private static ObjectNode position(ObjectNode line, RunProgress at) {
    line.put("epoch", at.epochsCompleted());
    line.put("step", at.steps());
    line.put("epoch_steps", at.epoch().steps());
    return line;
  }

  @Override
  public void onDivergence(Divergence divergence) throws IOException {
    ObjectNode line = line("diverged");
    line.put("epoch", divergence.epoch() + 1);
    line.put("step", divergence.globalStep() + 1);
    line.put("loss", divergence.loss());
    append(line);
  }

  @Override
  public void onFinish(RunProgress progress) throws IOException {
    ObjectNode line = line("finished");
    line.put("epoch", progress.epochsCompleted());
    line.put("step", progress.steps());
    line.put("best_epoch", progress.bestEpoch());
    number(line, "best_val_accuracy", progress.bestAccuracy());
    append(line);
  }

  @Override
  public void onFailure(Exception cause) {
    ObjectNode line = line("failed");
    line.put("message", cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
    try {
      append(line);
    } catch (IOException e) {
      // The failure itself is reported by whoever ran the loop; a log line lost with it changes nothing.
    }
  }

  private static ObjectNode line(String event) {
    ObjectNode line = JSON.createObjectNode();
    line.put("event", event);
    line.put("time", Instant.now().toString());
    return line;
  }

  private static void number(ObjectNode line, String key, double value) {
    if (Double.isFinite(value)) {
      line.put(key, value);
    } else {
      line.putNull(key);
    }
  }

  private void append(ObjectNode line) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND)) {
      out.write(JSON.writeValueAsString(line));
      out.write('\n');
    }
  }
}
