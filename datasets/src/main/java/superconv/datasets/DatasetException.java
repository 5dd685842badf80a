package superconv.datasets;

/**
 * A data set could not be found, fetched or read. The message is one line that names the file (and byte offset or
 * field) or the folder concerned, so a command line can print it as it is.
 */
public class DatasetException extends RuntimeException {

  public DatasetException(String message) {
    super(message);
  }

  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}
