package superconv.cli;

import org.tensorflow.TensorFlow;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** Prints superconv's and TensorFlow's versions. */
@Command(name = "version", description = "Print superconv's and TensorFlow's versions.")
final class VersionCommand implements Runnable {

  @Override
  public void run() {
    for (String line : new Provider().getVersion()) {
      System.out.println(line);
    }
  }

  static final class Provider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {
        "superconv " + (version == null ? "development build" : version),
        "TensorFlow " + TensorFlow.version()
      };
    }
  }
}
