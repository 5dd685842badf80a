package superconv.training.grid;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How to start another JVM that runs superconv's command line as this one does: this JVM's {@code java}, the options
 * it was started with, and the class path superconv's classes came from.
 *
 * <p>Under the launcher ({@code java -cp JAR:CLASSPATH superconv.cli.Main}) and any plain {@code java -cp}, the main
 * class comes from the application class loader, whose class path is {@code java.class.path} (a jar there may list
 * more in its manifest, as Surefire's does), and the JVM's options are the user's ({@code SUPERCONV_JAVA_OPTS}).
 * Under {@code mvn exec:java} the JVM is Maven's: its class path and options are Maven's own, and superconv's class
 * path is the URLs of the plugin's class loader; none of Maven's options are passed on. Agents and debuggers are
 * never passed on: a second JVM would fight the first for the agent's port or output.
 *
 * @param java the {@code java} executable
 * @param options JVM options for the new JVM
 * @param classPath its class path entries
 * @param mainClass the class whose {@code main} the new JVM runs
 */
public record JavaCommand(String java, List<String> options, List<String> classPath, String mainClass) {

  /** The launcher's descriptor for Java's stderr; another JVM has no such descriptor and must not open one. */
  public static final String STDERR_FD_VARIABLE = "SUPERCONV_STDERR_FD";

  public JavaCommand {
    options = List.copyOf(options);
    classPath = List.copyOf(classPath);
  }

  /**
   * The command for another JVM running {@code main}, as this JVM runs it.
   *
   * @throws IllegalStateException when the class path cannot be told (the message says to use the launcher)
   */
  public static JavaCommand of(Class<?> main) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ClassLoader loader = main.getClassLoader();
    if (loader == ClassLoader.getSystemClassLoader()) {
      List<String> options = new ArrayList<>(passedOn(ManagementFactory.getRuntimeMXBean().getInputArguments()));
      return new JavaCommand(java, options, List.of(System.getProperty("java.class.path").split(File.pathSeparator)),
          main.getName());
    }
    Optional<List<String>> urls = loader instanceof URLClassLoader urlLoader ? paths(urlLoader.getURLs())
        : Optional.empty();
    if (urls.isEmpty() || urls.get().isEmpty()) {
      throw new IllegalStateException("cannot tell the class path to start worker JVMs with (superconv was loaded by "
          + (loader == null ? "the boot class loader" : loader.getClass().getName())
          + "): run --workers through ./superconv");
    }
    return new JavaCommand(java, List.of("-Djava.awt.headless=true"), urls.get(), main.getName());
  }

  /** The JVM options worth giving a second JVM: all but agents and debuggers. */
  static List<String> passedOn(List<String> inputArguments) {
    return inputArguments.stream()
        .filter(a -> !a.startsWith("-javaagent:") && !a.startsWith("-agentlib:") && !a.startsWith("-agentpath:")
            && !a.equals("-Xdebug") && !a.startsWith("-Xrunjdwp"))
        .toList();
  }

  /** File URLs as paths; empty when one is not a file (a jar inside a jar, a remote URL). */
  static Optional<List<String>> paths(URL[] urls) {
    List<String> paths = new ArrayList<>();
    for (URL url : urls) {
      if (!url.getProtocol().equals("file")) {
        return Optional.empty();
      }
      try {
        paths.add(Path.of(url.toURI()).toString());
      } catch (URISyntaxException | IllegalArgumentException e) {
        return Optional.empty();
      }
    }
    return Optional.of(paths);
  }

  /** {@code java OPTIONS -cp CLASSPATH MAIN ARGS}. */
  public List<String> command(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(options);
    command.add("-cp");
    command.add(String.join(File.pathSeparator, classPath));
    command.add(mainClass);
    command.addAll(args);
    return command;
  }

  /**
   * A process builder for {@link #command}: nothing on stdin (the other JVM must not take this one's input), and
   * without the launcher's stderr descriptor, which only this JVM has. Output is the caller's to redirect.
   */
  public ProcessBuilder processBuilder(List<String> args) {
    ProcessBuilder builder = new ProcessBuilder(command(args))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().remove(STDERR_FD_VARIABLE);
    return builder;
  }
}
