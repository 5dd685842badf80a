package superconv.datasets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Byte-level files in the official formats, written by the tests themselves. */
final class Fixtures {

  private Fixtures() {}

  /** Value of pixel {@code i} (0..1023, row-major) of plane {@code c} (0 R, 1 G, 2 B) of image {@code k}. */
  static int cifarPixel(int k, int c, int i) {
    return (k * 37 + c * 101 + i * 7 + (i >> 5)) & 0xFF;
  }

  /**
   * CIFAR records for images {@code first..first+labels.length-1}: {@code [coarse] <label> <R plane><G plane><B plane>}.
   *
   * @param coarse coarse labels for CIFAR-100 records, or null for CIFAR-10 records
   */
  static byte[] cifarRecords(int first, int[] coarse, int[] labels) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int r = 0; r < labels.length; r++) {
      if (coarse != null) {
        out.write(coarse[r]);
      }
      out.write(labels[r]);
      for (int c = 0; c < 3; c++) {
        for (int i = 0; i < 1024; i++) {
          out.write(cifarPixel(first + r, c, i));
        }
      }
    }
    return out.toByteArray();
  }

  /** An unsigned-byte IDX file: magic {@code 00 00 08 <dims.length>}, big-endian sizes, data. */
  static byte[] idx(int[] dims, byte[] data) {
    ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    buffer.put(new byte[] {0, 0, 8, (byte) dims.length});
    for (int d : dims) {
      buffer.putInt(d);
    }
    buffer.put(data);
    return buffer.array();
  }

  static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  /** Pixel value of image {@code k}, pixel {@code i} of an IDX images fixture. */
  static int idxPixel(int k, int i) {
    return (k * 13 + i * 3) & 0xFF;
  }

  /** An IDX images file of {@code count} images of 28x28 with values {@link #idxPixel}. */
  static byte[] idxImages(int count) {
    byte[] data = new byte[count * 784];
    for (int k = 0; k < count; k++) {
      for (int i = 0; i < 784; i++) {
        data[k * 784 + i] = (byte) idxPixel(k, i);
      }
    }
    return idx(new int[] {count, 28, 28}, data);
  }

  static byte[] idxLabels(int... labels) {
    byte[] data = new byte[labels.length];
    for (int i = 0; i < labels.length; i++) {
      data[i] = (byte) labels[i];
    }
    return idx(new int[] {labels.length}, data);
  }

  static Path write(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.write(file, bytes);
  }

  /** A small complete CIFAR-10 folder: batch k holds 2 images, the test batch 3; labels cycle 0..9. */
  static Path cifar10Folder(Path root) throws IOException {
    Path folder = root.resolve("cifar-10-batches-bin");
    for (int b = 1; b <= 5; b++) {
      int first = (b - 1) * 2;
      write(folder.resolve("data_batch_" + b + ".bin"), cifarRecords(first, null, new int[] {first % 10, (first + 1) % 10}));
    }
    write(folder.resolve("test_batch.bin"), cifarRecords(100, null, new int[] {9, 0, 4}));
    return folder;
  }

  /** A small complete IDX folder: 12 training images (labels i % 10) and 5 test images (labels 9 - i). */
  static Path idxFolder(Path folder, boolean gzipped) throws IOException {
    int[] trainLabels = new int[12];
    for (int i = 0; i < 12; i++) {
      trainLabels[i] = i % 10;
    }
    String gz = gzipped ? ".gz" : "";
    write(folder.resolve("train-images-idx3-ubyte" + gz), maybeGzip(idxImages(12), gzipped));
    write(folder.resolve("train-labels-idx1-ubyte" + gz), maybeGzip(idxLabels(trainLabels), gzipped));
    write(folder.resolve("t10k-images-idx3-ubyte" + gz), maybeGzip(idxImages(5), gzipped));
    write(folder.resolve("t10k-labels-idx1-ubyte" + gz), maybeGzip(idxLabels(9, 8, 7, 6, 5), gzipped));
    return folder;
  }

  private static byte[] maybeGzip(byte[] bytes, boolean gzipped) throws IOException {
    return gzipped ? gzip(bytes) : bytes;
  }

  /** One tar entry to write: a regular file with content, a folder (content null), or a symbolic link. */
  record TarEntry(String name, byte[] content, String linkTarget) {
    static TarEntry file(String name, byte[] content) {
      return new TarEntry(name, content, null);
    }

    static TarEntry folder(String name) {
      return new TarEntry(name, null, null);
    }

    static TarEntry symlink(String name, String target) {
      return new TarEntry(name, null, target);
    }
  }

  static byte[] tarGz(TarEntry... entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream gz = new GzipCompressorOutputStream(bytes);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (TarEntry e : entries) {
        TarArchiveEntry entry;
        if (e.linkTarget() != null) {
          entry = new TarArchiveEntry(e.name(), TarArchiveEntry.LF_SYMLINK);
          entry.setLinkName(e.linkTarget());
        } else if (e.content() == null) {
          entry = new TarArchiveEntry(e.name().endsWith("/") ? e.name() : e.name() + "/");
        } else {
          // preserveAbsolutePath keeps "/x" and "../x" names as given, as a hostile archive would hold them.
          entry = new TarArchiveEntry(e.name(), true);
          entry.setSize(e.content().length);
        }
        tar.putArchiveEntry(entry);
        if (e.content() != null) {
          tar.write(e.content());
        }
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  static String md5(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
  }
}
