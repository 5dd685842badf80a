package superconv.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import superconv.training.manifest.ComponentRules;
import superconv.training.manifest.Manifest;
import superconv.training.manifest.ManifestException;
import superconv.training.manifest.RunSpec;

/** The manifest a command reads and its {@code --only} selection, mixed in with {@code @Mixin}. */
final class ManifestSelection {

  @Parameters(index = "0", paramLabel = "MANIFEST", description = "The experiment manifest (TOML).")
  Path manifest;

  @Option(names = "--only", paramLabel = "PATTERN",
      description = "Comma-separated globs over experiment or experiment/run names.")
  String only;

  /** {@code given} (a {@code --runs-dir}), else the default: {@code runs/} beside the manifest. */
  Path runsDir(Path given) {
    return given != null ? given : manifest.toAbsolutePath().getParent().resolve("runs");
  }

  /** The selected runs, in manifest order; the whole manifest is validated first. */
  List<RunSpec> runs() throws ManifestException {
    return Manifest.load(manifest, ComponentRules.standard()).select(only);
  }
}
