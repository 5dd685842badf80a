package superconv.training.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A checkpoint's {@code state.json}: the {@link RunProgress} its weights are at. At an epoch's end it holds the
 * counters and the best epoch so far; a mid-epoch checkpoint adds {@code epoch_in_progress}, the steps taken of the
 * next epoch and the running sums of its metrics row ({@link PartialEpoch}), which a checkpoint at an epoch's end
 * does not have (so its file is what it was before mid-epoch checkpoints existed). Numbers are written as Jackson
 * writes doubles, the shortest text that reads back as the same double: a resumed run continues its sums exactly.
 */
public final class CheckpointState {

  private static final String IN_PROGRESS = "epoch_in_progress";

  private CheckpointState() {}

  /** The file's text for {@code progress}. */
  public static String json(RunProgress progress) {
    ObjectNode json = RunFolder.json().createObjectNode();
    json.put("epochs_completed", progress.epochsCompleted());
    json.put("steps", progress.steps());
    json.put("best_epoch", progress.bestEpoch());
    if (progress.bestEpoch() == 0) {
      // -inf before any epoch, which JSON cannot write.
      json.putNull("best_val_accuracy");
    } else {
      json.put("best_val_accuracy", progress.bestAccuracy());
    }
    if (progress.midEpoch()) {
      PartialEpoch epoch = progress.epoch();
      ObjectNode partial = json.putObject(IN_PROGRESS);
      partial.put("steps", epoch.steps());
      partial.put("loss_sum", epoch.lossSum());
      partial.put("loss_count", epoch.lossCount());
      partial.put("rate_norm_sum", epoch.normSum());
      partial.put("rate_norm_count", epoch.normCount());
      partial.put("seconds", epoch.seconds());
    }
    return json.toPrettyString();
  }

  /** Reads {@code state} of {@code folder}'s checkpoint; a file that does not hold a valid progress is refused. */
  static RunProgress read(RunFolder folder, Path state) throws ResumePoint.RefusedException {
    JsonNode node;
    try {
      node = RunFolder.json().readTree(state.toFile());
    } catch (IOException e) {
      throw refused(folder, "is unreadable (" + ResumePoint.oneLine(e) + ")");
    }
    if (node == null || !node.isObject()) {
      throw refused(folder, "is empty or not a JSON object");
    }
    requireCount(folder, node, "epochs_completed", "epochs_completed", true);
    requireCount(folder, node, "steps", "steps", false);
    requireCount(folder, node, "best_epoch", "best_epoch", true);
    int bestEpoch = node.get("best_epoch").asInt();
    JsonNode best = node.path("best_val_accuracy");
    if (!(best.isNumber() || bestEpoch == 0 && best.isNull())) {
      throw refused(folder, "has no valid best_val_accuracy");
    }
    PartialEpoch epoch = node.has(IN_PROGRESS) ? partial(folder, node.get(IN_PROGRESS)) : PartialEpoch.NONE;
    int epochs = node.get("epochs_completed").asInt();
    if (epochs < 1 && !epoch.started()) {
      throw refused(folder, "says no epoch completed");
    }
    return new RunProgress(epochs, node.get("steps").asLong(), bestEpoch,
        best.isNull() ? Double.NEGATIVE_INFINITY : best.asDouble(), epoch);
  }

  private static PartialEpoch partial(RunFolder folder, JsonNode node) throws ResumePoint.RefusedException {
    if (!node.isObject()) {
      throw refused(folder, "has an " + IN_PROGRESS + " that is not an object");
    }
    for (String key : List.of("steps", "loss_count", "rate_norm_count")) {
      requireCount(folder, node, key, IN_PROGRESS + "." + key, true);
    }
    for (String key : List.of("loss_sum", "rate_norm_sum", "seconds")) {
      if (!node.path(key).isNumber() || !Double.isFinite(node.path(key).asDouble())) {
        throw refused(folder, "has no valid " + IN_PROGRESS + "." + key);
      }
    }
    PartialEpoch epoch = new PartialEpoch(node.get("steps").asInt(), node.get("loss_sum").asDouble(),
        node.get("loss_count").asInt(), node.get("rate_norm_sum").asDouble(), node.get("rate_norm_count").asInt(),
        node.get("seconds").asDouble());
    if (epoch.steps() < 1 || epoch.lossCount() > epoch.steps() || epoch.normCount() > epoch.lossCount()) {
      throw refused(folder, "has an " + IN_PROGRESS + " of " + epoch.steps() + " steps with " + epoch.lossCount()
          + " losses and " + epoch.normCount() + " rate norms (a step adds at most one loss, a loss at most one norm)");
    }
    return epoch;
  }

  /** {@code key} is a count: an integer, 0 or more, within an int where {@code small}. */
  private static void requireCount(RunFolder folder, JsonNode node, String key, String name, boolean small)
      throws ResumePoint.RefusedException {
    JsonNode value = node.path(key);
    boolean fits = small ? value.canConvertToInt() : value.canConvertToLong();
    if (!value.isIntegralNumber() || !fits || value.asLong() < 0) {
      throw refused(folder, "has no valid " + name);
    }
  }

  private static ResumePoint.RefusedException refused(RunFolder folder, String problem) {
    return new ResumePoint.RefusedException(folder, "checkpoint/" + RunFolder.CHECKPOINT_STATE + " " + problem);
  }
}
