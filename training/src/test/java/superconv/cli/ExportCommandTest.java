package superconv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import superconv.datasets.ImageSet;
import superconv.training.manifest.ComponentRules;
import superconv.training.manifest.Manifest;
import superconv.training.manifest.RunSpec;
import superconv.training.run.RunFolder;
import superconv.training.session.Trainer;

/** {@code export --out}: what it may replace, and that it replaces atomically (one tiny run, trained once). */
class ExportCommandTest {

  @TempDir static Path root;
  static Path runs;
  static RunFolder run;

  @BeforeAll
  static void trainOneTinyRun() throws Exception {
    RunSpec spec = Manifest.parse("""
        [[experiment]]
        name = "tiny"
        dataset = "mnist"
        width = 2
        epochs = 1
        batch_size = 16
        device = "cpu"
        optimizer = { type = "sgd" }
        schedule = { type = "constant", lr = 0.01 }
        """, "test.toml", ComponentRules.standard()).runs().get(0);
    runs = root.resolve("runs");
    run = RunFolder.of(runs, spec);
    new Trainer(spec, run, new Trainer.RunData(images("train", 32, 1), images("test", 16, 2)),
        new Trainer.Options(false, null)).train();
  }

  static ImageSet images(String name, int count, long seed) {
    Random random = new Random(seed);
    byte[] pixels = new byte[count * 64];
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      labels[i] = i % 3;
      for (int p = 0; p < 64; p++) {
        pixels[i * 64 + p] = (byte) random.nextInt(256);
      }
    }
    return new ImageSet(name, 8, 8, 1, pixels, labels, List.of("a", "b", "c"));
  }

  static List<String> tree(Path dir) throws Exception {
    try (Stream<Path> paths = Files.walk(dir)) {
      return paths.map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }

  private static void assertRefused(CliRun export, String why) {
    assertThat(export.exitCode()).as(export.err()).isEqualTo(1);
    assertThat(export.errLines()).hasSize(1);
    assertThat(export.err()).startsWith("superconv export: ").contains(why);
  }

  @Test
  void neverReplacesTheRunsTheRunOrAFolderAboveIt() throws Exception {
    List<String> before = tree(root);
    for (Path out : List.of(runs, run.dir(), run.dir().getParent(), root)) {
      assertRefused(CliRun.run("export", run.dir().toString(), "--out", out.toString(), "--force"),
          "it is never replaced");
    }
    assertRefused(CliRun.run("export", run.dir().toString(), "--out", run.dir().resolve("checkpoint").toString(),
        "--force"), "inside the run being exported");
    assertThat(tree(root)).isEqualTo(before);
  }

  @Test
  void neverReplacesAnotherFolderHoldingRunsEvenWithForce() throws Exception {
    Path other = root.resolve("other-runs");
    Files.createDirectories(other.resolve("e/r"));
    Files.writeString(other.resolve("e/r/run.json"), "{}");
    assertRefused(CliRun.run("export", run.dir().toString(), "--out", other.toString(), "--force"), "holds runs");
    assertThat(other.resolve("e/r/run.json")).exists();
  }

  @Test
  void aNonEmptyFolderOrAFileNeedsForceAndIsThenReplacedWhole() throws Exception {
    Path out = root.resolve("models/m");
    Files.createDirectories(out);
    Files.writeString(out.resolve("notes.txt"), "mine");
    assertRefused(CliRun.run("export", run.dir().toString(), "--out", out.toString()), "--force replaces it");
    assertThat(out.resolve("notes.txt")).hasContent("mine");

    Path file = root.resolve("models/file");
    Files.writeString(file, "mine");
    assertRefused(CliRun.run("export", run.dir().toString(), "--out", file.toString()), "is not a folder");
    assertThat(file).hasContent("mine");

    CliRun forced = CliRun.run("export", run.dir().toString(), "--out", out.toString(), "--force");
    assertThat(forced.exitCode()).as(forced.err()).isZero();
    assertThat(out.resolve("saved_model.pb")).exists();
    assertThat(out.resolve("notes.txt")).doesNotExist();
    // The model was written beside the target and renamed: no temporary folder is left.
    try (Stream<Path> siblings = Files.list(out.getParent())) {
      assertThat(siblings.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("m", "file");
    }
  }

  @Test
  void aNewPathOrAnEmptyFolderIsWrittenWithoutForce() throws Exception {
    Path empty = root.resolve("empty");
    Files.createDirectories(empty);
    CliRun export = CliRun.run("export", run.dir().toString(), "--out", empty.toString());
    assertThat(export.exitCode()).as(export.err()).isZero();
    assertThat(empty.resolve("saved_model.pb")).exists();
  }
}
