package superconv.training.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import superconv.datasets.Dataset;
import superconv.graph.DataProtocol;
import superconv.graph.InputMode;
import superconv.graph.Network;
import superconv.graph.Precision;

/** The manifest refuses, in words and before any work, what could not be read or could not run. */
class ManifestFrontDoorTest {

  private static final ComponentRules RULES = ComponentRules.standard();

  private static final String SGD = """
      optimizer = { type = "sgd" }
      schedule = { type = "triangular", min = 0.001, max = 1.0, cycle_epochs = 25 }
      """;

  @TempDir Path dir;

  private static Manifest parse(String text) throws ManifestException {
    return Manifest.parse(text, "m.toml", RULES);
  }

  private static String refusal(String text) {
    try {
      parse(text);
    } catch (ManifestException e) {
      return e.getMessage();
    }
    throw new AssertionError("manifest was accepted:\n" + text);
  }

  private String loadRefusal(Path file) {
    ManifestException e = Assertions.assertThrows(ManifestException.class, () -> Manifest.load(file, RULES));
    assertThat(e.problems()).hasSize(1);
    return e.getMessage();
  }

  @Test
  void aMissingManifestSaysNoSuchFile() {
    Path missing = dir.resolve("nope.toml");
    assertThat(loadRefusal(missing)).isEqualTo(missing + ": cannot read the manifest: no such file");
  }

  @Test
  void aDirectoryIsNotAManifest() {
    assertThat(loadRefusal(dir)).isEqualTo(dir + ": cannot read the manifest: it is a directory, not a file");
  }

  @Test
  void aBinaryOrNonUtf8ManifestSaysNotUtf8Text() throws Exception {
    Path latin1 = dir.resolve("latin1.toml");
    Files.write(latin1, "[[experiment]]\nname = \"caf\u00e9\"\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThat(loadRefusal(latin1)).startsWith(latin1 + ": cannot read the manifest: not UTF-8 text")
        .contains("byte 0xe9 at offset 26").doesNotContain("Exception");
    Path binary = dir.resolve("model.toml");
    Files.write(binary, new byte[] {'P', 'K', 3, 4, 0, 0, 'x'});
    assertThat(loadRefusal(binary)).isEqualTo(binary + ": cannot read the manifest: not UTF-8 text (a binary file:"
        + " it holds a NUL byte at offset 4)");
  }

  @Test
  void aPermissionErrorSaysPermissionDenied() throws Exception {
    assertThat(ManifestReader.unreadable(new AccessDeniedException("/x/m.toml"))).isEqualTo("permission denied");
    // As root every file is readable: the mapping above is then all there is to test.
    assumeThat(System.getProperty("user.name")).isNotEqualTo("root");
    Path locked = Files.writeString(dir.resolve("locked.toml"), "[[experiment]]\nname = \"a\"\n");
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    assumeThat(Files.isReadable(locked)).isFalse();
    assertThat(loadRefusal(locked)).isEqualTo(locked + ": cannot read the manifest: permission denied");
  }

  @Test
  void runNamesLongerThanAFileNameAreRefused() {
    String device = "gpu:" + "0".repeat(300);
    assertThat(refusal("[[experiment]]\nname = \"long\"\n" + SGD + "[experiment.grid]\ndevice = [\"" + device
        + "\", \"cpu\"]\n"))
        .contains("[[experiment]] #1 \"long\": a run name is longer than the 255 bytes a file name may have")
        .contains("the longest, 311 bytes: \"device=gpu_000");
    assertThat(refusal("[[experiment]]\nname = \"" + "e".repeat(256) + "\"\n" + SGD))
        .contains("the name is 256 bytes, longer than the 255 bytes a file name may have");
  }

  @Test
  void absurdEpochsAreRefusedWithTheBound() {
    assertThat(refusal("[[experiment]]\nname = \"a\"\nepochs = 1000000000\n" + SGD))
        .contains("epochs is 1000000000 but may be at most 10000 (the thesis trains 100;");
    assertThat(refusal("[[experiment]]\nname = \"a\"\nepochs = 1e9\n" + SGD))
        .contains("epochs is 1000000000 but may be at most 10000");
    assertThat(refusal("[[experiment]]\nname = \"a\"\nepochs = 100000000000\n" + SGD))
        .contains("epochs is 100000000000 but may be at most 10000");
  }

  @Test
  void aNetworkThatCannotFitInMemoryIsRefusedWithItsEstimate() throws Exception {
    assertThat(refusal("[[experiment]]\nname = \"a\"\nwidth = 1000000\n" + SGD))
        .contains("resnet18 of width 1000000 would have about 2.72e+15 parameters and need about")
        .contains("for a batch of 128 in float32, more than the 256 GiB a run may use");
    assertThat(refusal("[[experiment]]\nname = \"a\"\nnetwork = \"resnet50\"\nbatch_size = 50000\n" + SGD))
        .contains("resnet50 of width 64 would have about 2.35e+07 parameters");
    // The thesis's largest runs pass.
    assertThat(parse("[[experiment]]\nname = \"a\"\nnetwork = \"resnet50\"\nbatch_size = 1024\n" + SGD).runs())
        .hasSize(1);
  }

  @Test
  void theParameterCountIsPyTorchs() {
    assertThat(Footprint.of(Network.RESNET18, 64, Dataset.CIFAR10, 128, Precision.FLOAT32).parameters())
        .isEqualTo(11_173_962);
    assertThat(Footprint.of(Network.RESNET50, 64, Dataset.CIFAR10, 128, Precision.FLOAT32).parameters())
        .isEqualTo(23_520_842);
  }

  @Test
  void aGridOfMillionsIsRefusedBeforeItIsExpanded() {
    String values = "[" + IntStream.rangeClosed(1, 10).mapToObj(Integer::toString).collect(Collectors.joining(", "))
        + "]";
    String grid = Arrays.stream(new String[] {"seed", "width", "loss_every", "train_limit", "test_limit",
        "\"optimizer.momentum\"", "epochs"}).map(k -> k + " = " + values + "\n").collect(Collectors.joining());
    String message = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> refusal("[[experiment]]\nname = \"huge\"\n" + SGD + "[experiment.grid]\n" + grid));
    assertThat(message).isEqualTo("m.toml: [[experiment]] #1 \"huge\": the grid gives 10000000 runs"
        + " (10 x 10 x 10 x 10 x 10 x 10 x 10), more than the 100000 runs a manifest may hold; split it or grid over"
        + " fewer values");
  }

  @Test
  void gridsTogetherOverTheBoundAreRefused() {
    String values = "[" + IntStream.rangeClosed(1, 300).mapToObj(Integer::toString).collect(Collectors.joining(", "))
        + "]";
    String experiment = "[[experiment]]\nname = \"%s\"\n" + SGD + "[experiment.grid]\nseed = " + values
        + "\nloss_every = " + values + "\n";
    String message = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> refusal(experiment.formatted("a") + experiment.formatted("b")));
    assertThat(message)
        .isEqualTo("m.toml: the experiments' grids give 180000 runs together (a: 90000, b: 90000), more than the"
            + " 100000 runs a manifest may hold; split the manifest or grid over fewer values");
  }

  @Test
  void anUnknownOptimizerListsSwitching() {
    assertThat(refusal("[[experiment]]\nname = \"a\"\noptimizer = { type = \"rmsprop\" }\n"
        + "schedule = { type = \"constant\", lr = 0.1 }\n"))
        .contains("unknown optimizer \"rmsprop\"; valid: sgd, adam, cus-adam, simple-adasecant, adasecant, switching");
    assertThat(refusal("[[experiment]]\nname = \"a\"\nphases = [{ optimizer = { type = \"switching\" } }]\n"))
        .contains("phases[0]: unknown optimizer \"switching\" (a phase cannot itself switch")
        .contains("valid: sgd, adam, cus-adam, simple-adasecant, adasecant")
        .doesNotContain("adasecant, switching");
  }

  @Test
  void anOnlyPatternThatMatchesNothingSuggestsTheClosestNames() throws Exception {
    Manifest manifest = Manifest.load(Path.of("..", "experiments.toml"), RULES);
    assertThat(manifest.experiments()).hasSizeGreaterThan(8);
    assertThatThrownBy(() -> manifest.select("t4.1-sgd-25cycle"))
        .hasMessage(Path.of("..", "experiments.toml") + ": --only pattern \"t4.1-sgd-25cycle\" matches no run; did you"
            + " mean t4.1-sgd-25-cycle? (superconv list " + Path.of("..", "experiments.toml") + " lists them)");
    assertThatThrownBy(() -> manifest.select("t4.1-sgd-25cycle/max=3"))
        .hasMessageContaining("did you mean t4.1-sgd-25-cycle?");
    assertThatThrownBy(() -> manifest.select("zzzz"))
        .hasMessageEndingWith("matches no run; no experiment of the " + manifest.experiments().size()
            + " has a close name (superconv list " + Path.of("..", "experiments.toml") + " lists them)");
  }

  @Test
  void everyChoiceListIsItsEnumsIds() throws Exception {
    for (Network network : Network.values()) {
      assertThat(parse("[[experiment]]\nname = \"a\"\nwidth = 8\nnetwork = \"" + network.id() + "\"\n" + SGD)
          .runs().get(0).network()).isEqualTo(network);
    }
    for (Dataset dataset : Dataset.values()) {
      assertThat(parse("[[experiment]]\nname = \"a\"\ndataset = \"" + dataset.id() + "\"\n" + SGD)
          .runs().get(0).dataset()).isEqualTo(dataset);
    }
    for (DataProtocol protocol : DataProtocol.values()) {
      assertThat(parse("[[experiment]]\nname = \"a\"\ndata_protocol = \"" + protocol.id() + "\"\n" + SGD)
          .runs().get(0).dataProtocol()).isEqualTo(protocol);
    }
    for (Precision precision : Precision.values()) {
      assertThat(parse("[[experiment]]\nname = \"a\"\nprecision = \"" + precision.id() + "\"\n" + SGD)
          .runs().get(0).precision()).isEqualTo(precision);
    }
    for (InputMode mode : InputMode.values()) {
      assertThat(parse("[[experiment]]\nname = \"a\"\ninput = \"" + mode.id() + "\"\n" + SGD)
          .runs().get(0).input()).isEqualTo(mode);
    }
    assertThat(refusal("[[experiment]]\nname = \"a\"\nnetwork = \"vgg\"\n" + SGD)).contains("valid: "
        + Arrays.stream(Network.values()).map(Network::id).collect(Collectors.joining(", ")));
    assertThat(refusal("[[experiment]]\nname = \"a\"\ndataset = \"imagenet\"\n" + SGD)).contains("valid: "
        + Dataset.ids());
  }

  @Test
  void theDataSetSizesAreTheOfficialSplits() throws Exception {
    assertThat(refusal("[[experiment]]\nname = \"a\"\ndataset = \"cifar100\"\ntest_limit = 10001\n" + SGD))
        .contains("test_limit 10001 exceeds the 10000 test images of cifar100");
    assertThat(parse("[[experiment]]\nname = \"a\"\ndataset = \"fashion-mnist\"\ntrain_limit = 60000\n" + SGD)
        .runs()).hasSize(1);
  }

  @Test
  void theSpecWritesItsEnumsAsTheManifestSpellsThem() throws Exception {
    RunSpec run = parse("[[experiment]]\nname = \"a\"\ndataset = \"fashion-mnist\"\nnetwork = \"resnet50\"\n"
        + "width = 8\ndata_protocol = \"standard\"\nprecision = \"bfloat16\"\ninput = \"host\"\n" + SGD).runs().get(0);
    assertThat(superconv.cli.Json.line(run)).startsWith("{\"experiment\":\"a\",\"run\":\"a\",\"dataset\":\"fashion-mnist\","
        + "\"network\":\"resnet50\",\"width\":8,\"batch_size\":128,\"epochs\":100,\"seed\":1,\"data_protocol\":\"standard\","
        + "\"device\":\"auto\",\"precision\":\"bfloat16\",\"xla\":false,\"train_limit\":0,\"test_limit\":0,"
        + "\"loss_every\":10,\"label_smoothing\":0.0,\"input\":\"host\",\"optimizer\":{\"type\":\"sgd\"},");
  }
}
