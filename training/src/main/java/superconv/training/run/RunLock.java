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
    Path dir = folder.dir().toAbsolutePath();
    Files.createDirectories(dir.getParent());
    Path file = dir.getParent().resolve("." + dir.getFileName() + ".lock");
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

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
