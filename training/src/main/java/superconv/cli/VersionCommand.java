package superconv.cli;

import org.tensorflow.TensorFlow;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import superconv.training.session.Provenance;

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
      String commit = Provenance.gitCommit();
      return new String[] {
        "superconv " + Provenance.version() + (commit == null ? "" : " (commit " + commit + ")"),
        "TensorFlow " + TensorFlow.version()
      };
    }
  }
}
