package superconv.datasets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Reads CIFAR-10 and CIFAR-100 binary files: fixed-size records of label byte(s) then 3072 pixel bytes, stored
 * planar (1024 red, 1024 green, 1024 blue, each 32x32 row-major). Pixels are transposed to NHWC while streaming.
 */
final class CifarReader {

  static final int SIDE = 32;
  static final int PLANE = SIDE * SIDE;
  static final int IMAGE_BYTES = 3 * PLANE;
  /** Records per read: about 3 MB, large enough that the channel reads at disk speed. */
  private static final int RECORDS_PER_READ = 1024;

  private CifarReader() {}

  /**
   * Reads all records of all files, in order, into one set.
   *
   * @param labelBytes 1 for CIFAR-10 ({@code <label>}), 2 for CIFAR-100 ({@code <coarse><fine>}; the fine label is
   *     the class and the coarse one must lie in 0..19)
   */
  static ImageSet read(String name, List<Path> files, int labelBytes, List<String> classNames) {
    int recordBytes = labelBytes + IMAGE_BYTES;
    long[] records = new long[files.size()];
    long total = 0;
    for (int f = 0; f < files.size(); f++) {
      Path file = files.get(f);
      long size = Readers.size(file);
      if (size == 0) {
        throw new DatasetException(file + ": file is empty, expected " + recordBytes + "-byte records");
      }
      if (size % recordBytes != 0) {
        throw new DatasetException(String.format(
            "%s: %d bytes is not a whole number of %d-byte records: partial record at byte offset %d",
            file, size, recordBytes, size / recordBytes * recordBytes));
      }
      records[f] = size / recordBytes;
      total += records[f];
    }
    if (total * IMAGE_BYTES > Integer.MAX_VALUE - 8) {
      throw new DatasetException(name + ": " + total + " images do not fit one Java array");
    }
    byte[] pixels = new byte[(int) total * IMAGE_BYTES];
    int[] labels = new int[(int) total];
    ByteBuffer buffer = ByteBuffer.allocate(recordBytes * RECORDS_PER_READ);
    byte[] chunk = buffer.array();
    int image = 0;
    for (int f = 0; f < files.size(); f++) {
      Path file = files.get(f);
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        long remaining = records[f];
        long offset = 0;
        while (remaining > 0) {
          int batch = (int) Math.min(remaining, RECORDS_PER_READ);
          buffer.clear().limit(batch * recordBytes);
          while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
              throw new DatasetException(String.format(
                  "%s: file ended at byte offset %d while reading, it changed while being read",
                  file, offset + buffer.position()));
            }
          }
          for (int r = 0; r < batch; r++, image++) {
            int at = r * recordBytes;
            long recordOffset = offset + at;
            if (labelBytes == 2) {
              int coarse = chunk[at] & 0xFF;
              if (coarse >= 20) {
                throw new DatasetException(String.format(
                    "%s: coarse label %d at byte offset %d is outside 0..19", file, coarse, recordOffset));
              }
            }
            int label = chunk[at + labelBytes - 1] & 0xFF;
            if (label >= classNames.size()) {
              throw new DatasetException(String.format("%s: label %d at byte offset %d is outside 0..%d",
                  file, label, recordOffset + labelBytes - 1, classNames.size() - 1));
            }
            labels[image] = label;
            planarToInterleaved(chunk, at + labelBytes, pixels, image * IMAGE_BYTES);
          }
          offset += (long) batch * recordBytes;
          remaining -= batch;
        }
      } catch (IOException e) {
        throw Readers.failure(file, e);
      }
    }
    return new ImageSet(name, SIDE, SIDE, 3, pixels, labels, classNames);
  }

  /** One image from planes R, G, B (each row-major) to pixels RGB, RGB, ... (HWC). */
  static void planarToInterleaved(byte[] src, int srcOffset, byte[] dst, int dstOffset) {
    for (int i = 0, d = dstOffset; i < PLANE; i++, d += 3) {
      dst[d] = src[srcOffset + i];
      dst[d + 1] = src[srcOffset + PLANE + i];
      dst[d + 2] = src[srcOffset + 2 * PLANE + i];
    }
  }
}
