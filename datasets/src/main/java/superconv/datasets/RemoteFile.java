package superconv.datasets;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * One file of a data set's official distribution and its published MD5 checksum (lower-case hex).
 *
 * @param name the file name, appended to the download base URL
 * @param md5 the expected MD5 of the downloaded bytes
 */
public record RemoteFile(String name, String md5) {

  public RemoteFile {
    checkArgument(!name.isEmpty() && !name.contains("/") && !name.contains("\\"), "not a plain file name: %s", name);
    checkArgument(md5.matches("[0-9a-f]{32}"), "not a lower-case hex MD5: %s", md5);
  }
}
