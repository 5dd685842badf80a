package superconv.training.run;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The rate fed at every iteration and, for optimizers that calculate their rates, the Euclidean norm of the
 * per-parameter rate vector (NaN where there is none). Kept in memory and written whole, gzip-compressed, as
 * {@code iteration,lr,rate_norm} rows at each checkpoint: a resumed run reads it back and truncates it to the
 * checkpoint's step.
 */
public final class RateHistory {

  private double[] lr = new double[1024];
  private double[] rateNorm = new double[1024];
  private int size;

  public void add(double rate, double norm) {
    if (size == lr.length) {
      lr = Arrays.copyOf(lr, size * 2);
      rateNorm = Arrays.copyOf(rateNorm, size * 2);
    }
    lr[size] = rate;
    rateNorm[size] = norm;
    size++;
  }

  public int size() {
    return size;
  }

  public double lr(int iteration) {
    return lr[iteration];
  }

  public double rateNorm(int iteration) {
    return rateNorm[iteration];
  }

  public double[] lr() {
    return Arrays.copyOf(lr, size);
  }

  public double[] rateNorms() {
    return Arrays.copyOf(rateNorm, size);
  }

  /** Whether any iteration has a calculated-rate norm. */
  public boolean hasRateNorms() {
    for (int i = 0; i < size; i++) {
      if (!Double.isNaN(rateNorm[i])) {
        return true;
      }
    }
    return false;
  }

  /** Forgets iterations from {@code iterations} on (a resume rewinds to its checkpoint's step). */
  public void truncate(int iterations) {
    size = Math.min(size, iterations);
  }

  public void write(Path file) throws IOException {
    AtomicFiles.write(file, out -> {
      GZIPOutputStream gzip = new GZIPOutputStream(out, 1 << 16);
      Writer writer = new BufferedWriter(new OutputStreamWriter(gzip, StandardCharsets.UTF_8), 1 << 16);
      writer.write("iteration,lr,rate_norm\n");
      for (int i = 0; i < size; i++) {
        writer.write(i + "," + EpochMetrics.number(lr[i]) + "," + EpochMetrics.number(rateNorm[i]) + "\n");
      }
      writer.flush();
      gzip.finish();
    });
  }

  public static RateHistory read(Path file) throws IOException {
    RateHistory history = new RateHistory();
    if (!Files.exists(file)) {
      return history;
    }
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
      reader.readLine();
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String[] f = line.split(",", -1);
        history.add(EpochMetrics.value(f[1]), EpochMetrics.value(f[2]));
      }
    }
    return history;
  }
}
