package superconv.cli;

import java.nio.ByteBuffer;

/** Test data in the IDX format of MNIST and Fashion-MNIST. */
final class IdxFiles {

  private IdxFiles() {}

  /** An IDX file: magic (unsigned byte data, rank), dimensions, data. */
  static byte[] idx(int[] dims, byte[] data) {
    ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    buffer.put(new byte[] {0, 0, 8, (byte) dims.length});
    for (int d : dims) {
      buffer.putInt(d);
    }
    return buffer.put(data).array();
  }
}
