package superconv.cli;

/**
 * A command failed for a reason the user can act on (a folder that must not be overwritten, a missing input): the
 * command line prints its message as the whole one-line error, without "--verbose shows where".
 */
final class UserError extends RuntimeException {

  private final int exitCode;

  UserError(String message) {
    this(message, 1);
  }

  UserError(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
