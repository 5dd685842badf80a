package superconv.training.run;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * An exclusive, advisory lock on one run ({@code .<run>.lock} beside its folder), held while it trains: two
 * {@code superconv run} processes on the same runs directory (two GPUs, two terminals) share a grid instead of
 * training the same run twice. The operating system releases it when the process dies.
 */
public final class RunLock implements AutoCloseable {

  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** The lock, or empty when another process (or this one) holds it. */
  public static Optional<RunLock> tryAcquire(RunFolder folder) throws IOException {
    Path file = lockFile(folder);
    Files.createDirectories(file.getParent());
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock lock = channel.tryLock();
      if (lock != null) {
        return Optional.of(new RunLock(channel, lock));
      }
    } catch (OverlappingFileLockException e) {
      // Held by this very process.
    }
    channel.close();
    return Optional.empty();
  }

  /**
   * Whether a process is training the run now. A shared lock taken for an instant on a read-only channel tells:
   * it fails while a trainer holds its exclusive lock and leaves that lock alone. No lock file means no trainer
   * ever locked the run, and nothing is created (a report must not write into the runs directory). Within one JVM
   * this is not meaningful: closing the channel would release the process's own locks on the file.
   */
  public static boolean isHeld(RunFolder folder) throws IOException {
    Path file = lockFile(folder);
    if (!Files.exists(file)) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      FileLock probe = channel.tryLock(0, Long.MAX_VALUE, true);
      if (probe == null) {
        return true;
      }
      probe.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true;
    }
  }

  private static Path lockFile(RunFolder folder) {
    Path dir = folder.dir().toAbsolutePath();
    return dir.getParent().resolve("." + dir.getFileName() + ".lock");
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
