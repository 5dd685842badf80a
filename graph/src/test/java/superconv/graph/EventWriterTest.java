package superconv.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TFOutOfRangeException;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TString;

class EventWriterTest {

  @Test
  void tensorFlowsOwnRecordReaderReadsTheGraphAndScalarsBack(@TempDir Path dir) throws Exception {
    GraphDef def;
    Path file;
    try (Graph g = new Graph()) {
      TrainingGraph.build(Ops.create(g), TrainingGraphTest.spec(2, 10));
      def = g.toGraphDef();
      try (EventWriter writer = EventWriter.create(dir.resolve("tb"))) {
        writer.graph(g);
        writer.scalar("train/loss", 3, 1.25);
        writer.scalar("test/accuracy", 7, 0.5);
        file = writer.file();
      }
    }
    assertThat(file.getFileName().toString()).startsWith("events.out.tfevents.");

    List<Event> events = new ArrayList<>();
    for (byte[] record : readWithTensorFlow(file)) {
      events.add(Event.parseFrom(record));
    }
    assertThat(events).hasSize(4);
    assertThat(events.get(0).getFileVersion()).isEqualTo("brain.Event:2");
    GraphDef back = GraphDef.parseFrom(events.get(1).getGraphDef());
    assertThat(back).isEqualTo(def);
    assertThat(back.getNodeList()).anyMatch(n -> n.getName().equals("stage2/block0/shortcut/bn/moving_mean"));
    assertThat(events.get(2).getStep()).isEqualTo(3);
    assertThat(events.get(2).getSummary().getValue(0).getTag()).isEqualTo("train/loss");
    assertThat(events.get(2).getSummary().getValue(0).getSimpleValue()).isEqualTo(1.25f);
    assertThat(events.get(3).getSummary().getValue(0).getTag()).isEqualTo("test/accuracy");

    // The reader really checks the CRCs: a changed last byte (the final record's data CRC) is rejected.
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 1] ^= 1;
    Path corrupt = dir.resolve("corrupt.tfevents");
    Files.write(corrupt, bytes);
    assertThatThrownBy(() -> readWithTensorFlow(corrupt)).isInstanceOf(TensorFlowException.class);
  }

  /** Records of a TFRecord file through {@code TFRecordDataset}, which verifies both CRCs of every record. */
  private static List<byte[]> readWithTensorFlow(Path file) {
    List<byte[]> records = new ArrayList<>();
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      // TFRecordDataset (V1): the V2 op of TF 2.18 fails to serialize itself when an iterator is made from it.
      var dataset =
          g.opBuilder("TFRecordDataset", "records", g.baseScope())
              .addInput(tf.constant(StandardCharsets.UTF_8, new String[] {file.toString()}).asOutput())
              .addInput(tf.constant("").asOutput())
              .addInput(tf.constant(1024L).asOutput())
              .build()
              .output(0);
      var iterator = tf.data.iterator("event_reader", "", List.of(TString.class), List.of(Shape.scalar()));
      var init = tf.data.makeIterator(dataset, iterator.handle());
      var next = tf.data.iteratorGetNext(iterator.handle(), List.of(TString.class), List.of(Shape.scalar()));
      s.runner().addTarget(init).run().close();
      while (true) {
        try (Result r = s.runner().fetch(next.components().get(0)).run()) {
          records.add(((TString) r.get(0)).asBytes().getObject());
        } catch (TFOutOfRangeException end) {
          return records;
        }
      }
    }
  }

  @Test
  void framingAndMaskedCrcMatchAnIndependentBitwiseCrc32c() {
    // CRC-32C check value of "123456789"
    assertThat(crc32c("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0xE3069283);
    byte[] data = "superconv".getBytes(StandardCharsets.US_ASCII);
    ByteBuffer record = ByteBuffer.wrap(EventWriter.frame(data)).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(record.capacity()).isEqualTo(8 + 4 + data.length + 4);
    assertThat(record.getLong(0)).isEqualTo(data.length);
    byte[] length = new byte[8];
    record.get(0, length);
    assertThat(record.getInt(8)).isEqualTo(mask(crc32c(length)));
    byte[] payload = new byte[data.length];
    record.get(12, payload);
    assertThat(payload).isEqualTo(data);
    assertThat(record.getInt(12 + data.length)).isEqualTo(mask(crc32c(data)));
  }

  private static int mask(int crc) {
    return Integer.rotateRight(crc, 15) + 0xa282ead8;
  }

  /** Bit-by-bit CRC-32C (Castagnoli, reflected polynomial 0x82F63B78). */
  private static int crc32c(byte[] bytes) {
    int crc = 0xFFFFFFFF;
    for (byte b : bytes) {
      crc ^= b & 0xFF;
      for (int k = 0; k < 8; k++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x82F63B78 : crc >>> 1;
      }
    }
    return ~crc;
  }
}
