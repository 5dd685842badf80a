package superconv.cli;

import picocli.CommandLine.Option;

/**
 * {@code --verbose}, mixed into a command with {@code @Mixin}. {@link Failures} reads it from the parse result
 * (by name, so a command may also declare its own {@code --verbose}) to add the stack trace to an error.
 */
final class Verbose {

  @Option(names = "--verbose", description = "Show the stack trace of an error.")
  boolean verbose;
}
