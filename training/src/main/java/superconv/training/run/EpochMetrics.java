package superconv.training.run;

import java.util.List;
import java.util.Locale;

/**
 * One row of {@code metrics.csv}: the state after epoch {@code epoch} (1-based) ended at global step {@code step}.
 * {@code valAccuracy} is a fraction; {@code lrLast} is the rate fed at the epoch's last step (NaN for optimizers
 * that calculate their rates); {@code rateNorm} the mean Euclidean norm of calculated rates over the epoch (NaN
 * where the optimizer has none). NaN is written as an empty field.
 */
public record EpochMetrics(
    int epoch, double trainLoss, double valLoss, double valAccuracy, double lrLast, double seconds, long step,
    double rateNorm) {

  public static final List<String> COLUMNS =
      List.of("epoch", "train_loss", "val_loss", "val_accuracy", "lr_last", "seconds", "step", "rate_norm");

  public static String header() {
    return String.join(",", COLUMNS);
  }

  public String csv() {
    return epoch + "," + number(trainLoss) + "," + number(valLoss) + "," + number(valAccuracy) + "," + number(lrLast)
        + "," + String.format(Locale.ROOT, "%.3f", seconds) + "," + step + "," + number(rateNorm);
  }

  public static EpochMetrics parse(String line) {
    String[] f = line.split(",", -1);
    if (f.length < COLUMNS.size()) {
      throw new IllegalArgumentException("metrics row has " + f.length + " fields, expected " + COLUMNS.size()
          + ": " + line);
    }
    return new EpochMetrics(Integer.parseInt(f[0]), value(f[1]), value(f[2]), value(f[3]), value(f[4]), value(f[5]),
        Long.parseLong(f[6]), value(f[7]));
  }

  /** Shortest text that reads back as the same double; non-finite losses keep their name, NaN is empty. */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return "";
    }
    return Double.isInfinite(v) ? (v > 0 ? "inf" : "-inf") : Double.toString(v);
  }

  static double value(String text) {
    return switch (text) {
      case "" -> Double.NaN;
      case "inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }
}
