package superconv.datasets;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads unsigned-byte IDX files (LeCun's MNIST format), gzipped when the name ends in {@code .gz}, else plain.
 *
 * <p>Layout: a magic number {@code 0x00 0x00 0x08 D} (type 0x08 = unsigned byte, D dimensions), D big-endian int32
 * sizes, then the data, row-major. Byte offsets in messages count bytes of the IDX content (after decompression).
 */
final class IdxReader {

  /** The uncompressed content of an IDX file: its dimensions and data bytes. */
  record Idx(Path file, int[] dims, byte[] data) {
    int count() {
      return dims[0];
    }
  }

  private static final int BUFFER_BYTES = 1 << 20;

  private IdxReader() {}

  /** Reads a file that must have {@code expectedDims} dimensions (3 for images, 1 for labels). */
  static Idx read(Path file, int expectedDims) {
    boolean gzip = file.getFileName().toString().endsWith(".gz");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        InputStream raw = Channels.newInputStream(channel);
        InputStream in = gzip ? new GZIPInputStream(raw, BUFFER_BYTES) : new BufferedInputStream(raw, BUFFER_BYTES)) {
      byte[] magic = in.readNBytes(4);
      if (magic.length < 4) {
        throw new DatasetException(file + ": ends at byte offset " + magic.length + " inside the 4-byte IDX magic number");
      }
      int magicValue = ((magic[0] & 0xFF) << 24) | ((magic[1] & 0xFF) << 16) | ((magic[2] & 0xFF) << 8) | (magic[3] & 0xFF);
      if (magic[0] != 0 || magic[1] != 0 || magic[2] != 0x08 || magic[3] != expectedDims) {
        throw new DatasetException(String.format(
            "%s: bad IDX magic number 0x%08X at byte offset 0, expected 0x%08X (unsigned bytes, %d dimension%s)",
            file, magicValue, 0x0800 | expectedDims, expectedDims, expectedDims == 1 ? "" : "s"));
      }
      int headerBytes = 4 + 4 * expectedDims;
      byte[] header = in.readNBytes(4 * expectedDims);
      if (header.length < 4 * expectedDims) {
        throw new DatasetException(String.format("%s: ends at byte offset %d inside the %d-byte IDX header",
            file, 4 + header.length, headerBytes));
      }
      int[] dims = new int[expectedDims];
      long dataBytes = 1;
      for (int d = 0; d < expectedDims; d++) {
        int at = 4 * d;
        dims[d] = ((header[at] & 0xFF) << 24) | ((header[at + 1] & 0xFF) << 16) | ((header[at + 2] & 0xFF) << 8)
            | (header[at + 3] & 0xFF);
        if (dims[d] <= 0) {
          throw new DatasetException(String.format("%s: dimension %d (byte offset %d) is %d, must be positive",
              file, d, 4 + at, dims[d]));
        }
        dataBytes *= dims[d];
        if (dataBytes > Integer.MAX_VALUE - 8) {
          throw new DatasetException(file + ": header sizes " + Arrays.toString(Arrays.copyOf(dims, d + 1))
              + " describe more data than one Java array holds");
        }
      }
      if (!gzip) {
        // A plain file's size is known before reading: check the header's count against it first.
        long size = Readers.size(file);
        if (size != headerBytes + dataBytes) {
          throw new DatasetException(String.format(
              "%s: header count %d (byte offset 4) with sizes %s needs %d bytes after the %d-byte header, the file has %d",
              file, dims[0], Arrays.toString(dims), dataBytes, headerBytes, size - headerBytes));
        }
      }
      byte[] data = in.readNBytes((int) dataBytes);
      if (data.length < dataBytes) {
        throw new DatasetException(String.format(
            "%s: header count %d (byte offset 4) with sizes %s needs %d bytes after the %d-byte header, the data ends after %d",
            file, dims[0], Arrays.toString(dims), dataBytes, headerBytes, data.length));
      }
      if (in.read() >= 0) {
        throw new DatasetException(String.format(
            "%s: more data than header count %d (byte offset 4) with sizes %s describes: extra bytes from byte offset %d",
            file, dims[0], Arrays.toString(dims), headerBytes + dataBytes));
      }
      return new Idx(file, dims, data);
    } catch (IOException e) {
      throw Readers.failure(file, e);
    }
  }

  /** Reads an images file and its labels file into one set, checking shapes, counts and label range. */
  static ImageSet readSet(String name, Path imagesFile, Path labelsFile, int height, int width, List<String> classNames) {
    Idx images = read(imagesFile, 3);
    if (images.dims()[1] != height || images.dims()[2] != width) {
      throw new DatasetException(String.format("%s: images are %dx%d (header byte offsets 8 and 12), expected %dx%d",
          imagesFile, images.dims()[1], images.dims()[2], height, width));
    }
    Idx labels = read(labelsFile, 1);
    if (labels.count() != images.count()) {
      throw new DatasetException(String.format("%s: holds %d labels but %s holds %d images",
          labelsFile, labels.count(), imagesFile, images.count()));
    }
    byte[] labelBytes = labels.data();
    int[] labelValues = new int[labelBytes.length];
    for (int i = 0; i < labelBytes.length; i++) {
      int label = labelBytes[i] & 0xFF;
      if (label >= classNames.size()) {
        throw new DatasetException(String.format("%s: label %d at byte offset %d is outside 0..%d",
            labelsFile, label, 8 + i, classNames.size() - 1));
      }
      labelValues[i] = label;
    }
    return new ImageSet(name, height, width, 1, images.data(), labelValues, classNames);
  }
}
