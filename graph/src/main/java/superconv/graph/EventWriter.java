package superconv.graph;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.tensorflow.Graph;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.Summary;

/**
 * Writes a TensorBoard event file ({@code events.out.tfevents.<seconds>.<host>}): TFRecord-framed {@code Event}
 * protos holding the run's GraphDef (Graphs tab) and scalar summaries (Scalars tab, e.g. {@code train/loss}).
 *
 * <p>Every record is flushed to the file as it is written, so TensorBoard sees a running job live and a crash loses
 * at most the record being written. TFRecord framing: {@code uint64 length}, {@code uint32 masked crc32c(length)},
 * {@code data}, {@code uint32 masked crc32c(data)}, all little-endian.
 */
public final class EventWriter implements AutoCloseable {

  private static final int MASK_DELTA = 0xa282ead8;

  private final Path file;
  private final OutputStream out;

  private EventWriter(Path file) throws IOException {
    this.file = file;
    this.out = new FileOutputStream(file.toFile());
    write(Event.newBuilder().setWallTime(now()).setFileVersion("brain.Event:2").build());
  }

  /** Creates {@code directory} if needed and a new event file in it. */
  public static EventWriter create(Path directory) {
    try {
      Files.createDirectories(directory);
      long seconds = System.currentTimeMillis() / 1000;
      String name = "events.out.tfevents." + seconds + "." + host();
      Path file = directory.resolve(name);
      // Two writers in one directory within one second: keep both files (TensorBoard reads every *tfevents* file).
      for (int n = 1; Files.exists(file); n++) {
        file = directory.resolve(name + "." + ProcessHandle.current().pid() + "." + n);
      }
      return new EventWriter(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create an event file in " + directory, e);
    }
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "_");
    } catch (IOException e) {
      return "localhost";
    }
  }

  /** The event file. */
  public Path file() {
    return file;
  }

  /** Writes the graph for TensorBoard's Graphs tab. */
  public void graph(Graph graph) {
    graph(graph.toGraphDef());
  }

  public void graph(GraphDef def) {
    write(Event.newBuilder().setWallTime(now()).setGraphDef(def.toByteString()).build());
  }

  /** Writes one scalar point: {@code tag} (e.g. {@code train/loss}) at {@code step}. */
  public void scalar(String tag, long step, double value) {
    Summary summary =
        Summary.newBuilder().addValue(Summary.Value.newBuilder().setTag(tag).setSimpleValue((float) value)).build();
    write(Event.newBuilder().setWallTime(now()).setStep(step).setSummary(summary).build());
  }

  /** Writes one framed record and flushes it. */
  public synchronized void write(Event event) {
    try {
      out.write(frame(event.toByteArray()));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to " + file, e);
    }
  }

  /** One TFRecord: length, masked CRC of the length, data, masked CRC of the data. */
  static byte[] frame(byte[] data) {
    ByteBuffer record = ByteBuffer.allocate(8 + 4 + data.length + 4).order(ByteOrder.LITTLE_ENDIAN);
    record.putLong(data.length);
    record.putInt(maskedCrc32c(record.array(), 0, 8));
    record.put(data);
    record.putInt(maskedCrc32c(data, 0, data.length));
    return record.array();
  }

  /** TFRecord's masked CRC-32C: rotate right by 15 bits, add 0xa282ead8. */
  static int maskedCrc32c(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    int value = (int) crc.getValue();
    return ((value >>> 15) | (value << 17)) + MASK_DELTA;
  }

  private static double now() {
    return System.currentTimeMillis() / 1000.0;
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + file, e);
    }
  }
}
