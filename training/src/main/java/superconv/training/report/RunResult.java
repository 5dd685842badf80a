package superconv.training.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import superconv.training.run.EpochMetrics;
import superconv.training.run.RateHistory;
import superconv.training.run.RunFolder;
import superconv.training.run.RunRecord;
import superconv.training.run.RunStatus;

/** What a report knows of one run: its folder, record and per-epoch metrics. */
public record RunResult(RunFolder folder, RunRecord record, List<EpochMetrics> metrics) {

  public static RunResult load(RunFolder folder) throws IOException {
    RunRecord record = folder.readRecord().orElseThrow(() -> new IOException("no run.json in " + folder.dir()));
    return new RunResult(folder, record, folder.readMetrics());
  }

  public JsonNode spec() {
    return record.spec();
  }

  public String id() {
    return spec().path("experiment").asText() + "/" + spec().path("run").asText();
  }

  public String experiment() {
    return spec().path("experiment").asText();
  }

  public RunStatus status() {
    return record.status();
  }

  /** The epoch (1-based) of the first maximum validation accuracy, or 0 when no epoch was recorded. */
  public int bestEpoch() {
    int best = 0;
    double accuracy = Double.NEGATIVE_INFINITY;
    for (EpochMetrics row : metrics) {
      if (row.valAccuracy() > accuracy) {
        accuracy = row.valAccuracy();
        best = row.epoch();
      }
    }
    return best;
  }

  /** The maximum validation accuracy as a fraction, NaN when no epoch was recorded. */
  public double maxAccuracy() {
    return metrics.stream().mapToDouble(EpochMetrics::valAccuracy).filter(v -> !Double.isNaN(v)).max()
        .orElse(Double.NaN);
  }

  public RateHistory rates() throws IOException {
    return RateHistory.read(folder.rates());
  }
}
