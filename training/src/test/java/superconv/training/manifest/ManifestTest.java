package superconv.training.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import superconv.datasets.Dataset;
import superconv.graph.DataProtocol;
import superconv.graph.InputMode;
import superconv.graph.Network;
import superconv.graph.Precision;

class ManifestTest {

  private static final ComponentRules RULES = ComponentRules.standard();

  @TempDir Path dir;

  private static Manifest parse(String text) throws ManifestException {
    return Manifest.parse(text, "m.toml", RULES);
  }

  /** The problems a refused manifest reports, joined. */
  private static String refusal(String text) {
    try {
      parse(text);
    } catch (ManifestException e) {
      return e.getMessage();
    }
    throw new AssertionError("manifest was accepted:\n" + text);
  }

  private static final String SGD = """
      optimizer = { type = "sgd" }
      schedule = { type = "triangular", min = 0.001, max = 1.0, cycle_epochs = 25 }
      """;

  @Test
  void defaultsApplyAndExperimentsOverride() throws Exception {
    Manifest manifest = parse("""
        [defaults]
        dataset = "fashion-mnist"
        width = 8
        epochs = 3

        [[experiment]]
        name = "a"
        """ + SGD + """

        [[experiment]]
        name = "b"
        width = 16
        batch_size = 32
        optimizer = { type = "adam", beta1 = 0.8 }
        schedule = { type = "constant", lr = 0.001 }
        """);
    List<RunSpec> runs = manifest.runs();
    assertThat(runs).hasSize(2);
    RunSpec a = runs.get(0);
    assertThat(a.id()).isEqualTo("a/a");
    assertThat(a.dataset()).isEqualTo(Dataset.FASHION_MNIST);
    assertThat(a.network()).isEqualTo(Network.RESNET18);
    assertThat(a.width()).isEqualTo(8);
    assertThat(a.batchSize()).isEqualTo(128);
    assertThat(a.epochs()).isEqualTo(3);
    assertThat(a.dataProtocol()).isEqualTo(DataProtocol.THESIS);
    assertThat(a.device()).isEqualTo("auto");
    assertThat(a.precision()).isEqualTo(Precision.FLOAT32);
    assertThat(a.xla()).isFalse();
    assertThat(a.schedule().table())
        .containsExactly(Map.entry("type", "triangular"), Map.entry("min", 0.001), Map.entry("max", 1.0),
            Map.entry("cycle_epochs", 25L));
    RunSpec b = runs.get(1);
    assertThat(b.width()).isEqualTo(16);
    assertThat(b.batchSize()).isEqualTo(32);
    assertThat(b.optimizer()).isEqualTo(new Component("adam", Map.of("beta1", 0.8)));
    assertThat(b.phases()).containsExactly(new Phase(0, 3, b.optimizer(), b.schedule()));
  }

  @Test
  void precisionAndXlaAreRunSettingsAndCanBeGridded() throws Exception {
    Manifest manifest = parse("""
        [defaults]
        xla = true

        [[experiment]]
        name = "mp"
        """ + SGD + """
        [experiment.grid]
        precision = ["bfloat16", "float16"]
        """);
    assertThat(manifest.runs()).extracting(RunSpec::precision).containsExactly(Precision.BFLOAT16, Precision.FLOAT16);
    assertThat(manifest.runs()).extracting(RunSpec::xla).containsOnly(true);
  }

  @Test
  void gridIsTheCartesianProductWithReadableNames() throws Exception {
    Manifest manifest = parse("""
        [[experiment]]
        name = "sgd"
        """ + SGD + """
        [experiment.grid]
        batch_size = [32, 128, 512]
        "schedule.max" = [1.0, 3.0]
        """);
    assertThat(manifest.runs()).extracting(RunSpec::run).containsExactly(
        "batch_size=32,max=1", "batch_size=32,max=3", "batch_size=128,max=1", "batch_size=128,max=3",
        "batch_size=512,max=1", "batch_size=512,max=3");
    RunSpec last = manifest.runs().get(5);
    assertThat(last.batchSize()).isEqualTo(512);
    assertThat(last.schedule().params()).containsEntry("max", 3.0).containsEntry("min", 0.001);
    assertThat(last.grid()).containsExactly(Map.entry("batch_size", 512L), Map.entry("schedule.max", 3.0));
  }

  @Test
  void unquotedDottedGridKeysAndWholeTablesAndInfinity() throws Exception {
    Manifest manifest = parse("""
        [[experiment]]
        name = "s"
        optimizer = { type = "simple-adasecant" }
        [experiment.grid]
        optimizer.threshold = [3, 1e1, inf]

        [[experiment]]
        name = "t"
        """ + SGD + """
        [experiment.grid]
        schedule = [{ type = "constant", lr = 0.01 }, { type = "exponential", start = 1.0, gamma = 0.9998 }]
        """);
    assertThat(manifest.runs()).extracting(RunSpec::id).containsExactly("s/threshold=3", "s/threshold=10",
        "s/threshold=inf", "t/constant_lr0.01", "t/exponential_start1_gamma0.9998");
    assertThat(manifest.runs().get(2).optimizer().params().get("threshold")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(manifest.runs().get(2).schedule()).isNull();
  }

  @Test
  void clashingLastSegmentsUseTheWholeKey() throws Exception {
    Manifest manifest = parse("""
        [[experiment]]
        name = "p"
        phases = [
          { epochs = 1, optimizer = { type = "sgd" }, schedule = { type = "constant", lr = 0.1 } },
          { optimizer = { type = "adam" }, schedule = { type = "constant", lr = 0.001 } },
        ]
        epochs = 3
        [experiment.grid]
        "phases.0.schedule.lr" = [0.1, 0.2]
        "phases.1.schedule.lr" = [0.001]
        """);
    assertThat(manifest.runs()).extracting(RunSpec::run).containsExactly(
        "phases.0.schedule.lr=0.1,phases.1.schedule.lr=0.001", "phases.0.schedule.lr=0.2,phases.1.schedule.lr=0.001");
  }

  @Test
  void phasesSwitchOptimizersAndCoverTheRun() throws Exception {
    RunSpec run = parse("""
        [[experiment]]
        name = "switch"
        phases = [
          { epochs = 13, optimizer = { type = "sgd" }, schedule = { type = "triangular", min = 0.001, max = 1.0, cycle_epochs = 25 } },
          { optimizer = { type = "simple-adasecant", threshold = 10.0 } },
        ]
        """).runs().get(0);
    assertThat(run.phases()).hasSize(2);
    assertThat(run.phases().get(0).fromEpoch()).isZero();
    assertThat(run.phases().get(0).epochs()).isEqualTo(13);
    assertThat(run.phases().get(1).fromEpoch()).isEqualTo(13);
    assertThat(run.phases().get(1).epochs()).isEqualTo(87);
    assertThat(run.phaseAt(12).optimizer().type()).isEqualTo("sgd");
    assertThat(run.phaseAt(13).optimizer().type()).isEqualTo("simple-adasecant");
    assertThat(run.phaseAt(99).schedule()).isNull();
  }

  @Test
  void everyProblemOfAnExperimentIsReportedAtOnce() {
    ManifestException e = org.junit.jupiter.api.Assertions.assertThrows(ManifestException.class, () -> parse("""
        [[experiment]]
        name = "a"
        data_protocol = "thesys"
        device = "tpu"
        optimizer = { type = "sgdd" }
        schedule = { type = "constant", lr = 0.1 }
        """));
    assertThat(e.problems()).hasSize(3);
    assertThat(e.problems().get(0)).contains("unknown data_protocol \"thesys\"");
    assertThat(e.problems().get(1)).contains("device \"tpu\" is not one of");
    assertThat(e.problems().get(2)).contains("unknown optimizer \"sgdd\"");

    e = org.junit.jupiter.api.Assertions.assertThrows(ManifestException.class, () -> parse("""
        [[experiment]]
        name = "a b"
        width = 0
        colour = "red"
        optimizer = { type = "sgd", momentum = 3 }
        schedule = { type = "constant", lr = -1.0 }
        """));
    assertThat(e.problems()).hasSize(5);
    assertThat(String.join("\n", e.problems())).contains("name may hold only").contains("unknown key \"colour\"")
        .contains("width is 0").contains("momentum = 3").contains("lr = -1.0");
  }

  @Test
  void inputIsResidentUnlessTheManifestSaysHost() throws Exception {
    assertThat(parse("[[experiment]]\nname = \"a\"\n" + SGD).runs().get(0).input()).isEqualTo(InputMode.RESIDENT);
    assertThat(parse("[[experiment]]\nname = \"a\"\ninput = \"host\"\n" + SGD).runs().get(0).input())
        .isEqualTo(InputMode.HOST_FED);
    assertThat(refusal("[[experiment]]\nname = \"a\"\ninput = \"disk\"\n" + SGD))
        .contains("unknown input \"disk\"").contains("valid: resident, host");
  }

  @Test
  void aSwitchingOptimizerTableIsTheSameRunAsPhases() throws Exception {
    String phaseList = """
        [
          { epochs = 13, optimizer = { type = "sgd" }, schedule = { type = "triangular", min = 0.001, max = 1.0, cycle_epochs = 25 } },
          { optimizer = { type = "simple-adasecant", threshold = 10.0 } },
        ]""";
    RunSpec viaPhases = parse("[[experiment]]\nname = \"s\"\nphases = " + phaseList + "\n").runs().get(0);
    RunSpec viaSwitching = parse("[[experiment]]\nname = \"s\"\noptimizer = { type = \"switching\", phases = "
        + phaseList.replace("\n", " ") + " }\n").runs().get(0);
    assertThat(viaSwitching.phases()).isEqualTo(viaPhases.phases());
    assertThat(viaSwitching).isEqualTo(viaPhases);
    assertThat(refusal("[[experiment]]\nname = \"a\"\noptimizer = { type = \"switching\", phases = "
        + phaseList.replace("\n", " ") + " }\nschedule = { type = \"constant\", lr = 0.1 }\n"))
        .contains("optimizer switching takes no schedule");
    assertThat(refusal("[[experiment]]\nname = \"a\"\noptimizer = { type = \"switching\" }\n"))
        .contains("optimizer switching: phases is missing");
  }

  @Test
  void anExperimentThatSaysHowItTrainsTakesNothingOfThatFromDefaults() throws Exception {
    RunSpec run = parse("""
        [defaults]
        optimizer = { type = "sgd" }
        schedule = { type = "constant", lr = 0.01 }
        [[experiment]]
        name = "a"
        optimizer = { type = "adasecant" }
        [[experiment]]
        name = "b"
        """).runs().get(0);
    assertThat(run.optimizer().type()).isEqualTo("adasecant");
    assertThat(run.schedule()).isNull();
  }

  @Test
  void onlySelectsByExperimentOrRunGlob() throws Exception {
    Manifest manifest = parse("""
        [[experiment]]
        name = "t4.1-a"
        """ + SGD + """
        [experiment.grid]
        "schedule.max" = [1.0, 3.0]
        [[experiment]]
        name = "t4.2-b"
        """ + SGD);
    assertThat(manifest.select("t4.1-a")).hasSize(2);
    assertThat(manifest.select("t4.1-a/max=3")).extracting(RunSpec::id).containsExactly("t4.1-a/max=3");
    assertThat(manifest.select("t4.*")).hasSize(3);
    assertThat(manifest.select("t4.2-b, t4.1-a/max=1")).extracting(RunSpec::id)
        .containsExactly("t4.1-a/max=1", "t4.2-b/t4.2-b");
    assertThatThrownBy(() -> manifest.select("nope"))
        .hasMessageContaining("\"nope\" matches no run; experiments: t4.1-a, t4.2-b");
  }

  @Test
  void listJsonCarriesTheResolvedTables() throws Exception {
    RunSpec run = parse("[[experiment]]\nname = \"a\"\n" + SGD).runs().get(0);
    String json = superconv.cli.Json.line(run);
    assertThat(json).contains("\"experiment\":\"a\"", "\"run\":\"a\"", "\"dataset\":\"cifar10\"",
        "\"network\":\"resnet18\"", "\"batch_size\":128", "\"epochs\":100", "\"optimizer\":{\"type\":\"sgd\"}",
        "\"schedule\":{\"type\":\"triangular\",\"min\":0.001,\"max\":1.0,\"cycle_epochs\":25}");
  }

  // --- every validation message ---

  @Test
  void syntaxErrorNamesTheLine() {
    assertThat(refusal("[defaults]\nwidth = 8\n\n[[experiment]]\nname = \"a\"\nepochs = = 3\n"))
        .startsWith("m.toml:6: TOML syntax error:").contains("   6 | epochs = = 3");
    assertThat(refusal("[defaults]\nwidth = 8\nwidth = 9\n"))
        .startsWith("m.toml:3-4: TOML syntax error: Duplicate key").contains("   3 | width = 9");
  }

  @Test
  void unknownKeysNameTheKeyAndTheChoices() {
    assertThat(refusal("[defaults]\nbatchsize = 3\n[[experiment]]\nname = \"a\"\n" + SGD))
        .contains("m.toml: [defaults]: unknown key \"batchsize\" (did you mean \"batch_size\"?); valid keys: dataset,");
    assertThat(refusal("[[experiment]]\nname = \"a\"\nepoch = 3\n" + SGD))
        .contains("[[experiment]] #1 \"a\": unknown key \"epoch\" (did you mean \"epochs\"?)");
    assertThat(refusal("[default]\n[[experiment]]\nname = \"a\"\n" + SGD))
        .contains("top level: unknown key \"default\" (did you mean \"defaults\"?); valid keys: defaults, experiment");
    assertThat(refusal("[[experiment]]\nname = \"a\"\n" + SGD + "[experiment.grid]\nbatch = [1]\n"))
        .contains("grid key \"batch\" does not start with a setting");
  }

  @Test
  void unknownNamesListTheValidChoices() {
    assertThat(refusal("[[experiment]]\nname = \"a\"\ndataset = \"cifar-10\"\n" + SGD))
        .contains("unknown dataset \"cifar-10\" (did you mean \"cifar10\"?); valid: cifar10, cifar100, fashion-mnist, mnist");
    assertThat(refusal("[[experiment]]\nname = \"a\"\nnetwork = \"resnet34\"\n" + SGD))
        .contains("unknown network \"resnet34\"").contains("valid: resnet18, resnet50");
    assertThat(refusal("[[experiment]]\nname = \"a\"\noptimizer = { type = \"rmsprop\" }\n"
        + "schedule = { type = \"constant\", lr = 0.1 }\n"))
        .contains("unknown optimizer \"rmsprop\"; valid: sgd, adam, cus-adam, simple-adasecant, adasecant");
    assertThat(refusal("[[experiment]]\nname = \"a\"\noptimizer = { type = \"rmsprop\" }\n"
        + "schedule = { type = \"triangular\", min = 0.1, cycle_epochs = 4 }\n"))
        .as("the schedule beside an unknown optimizer is checked too")
        .contains("unknown optimizer \"rmsprop\"").contains("schedule triangular: ").contains("max");
    assertThat(refusal("[[experiment]]\nname = \"a\"\noptimizer = { type = \"sgd\" }\n"
        + "schedule = { type = \"triangle\", min = 0.1, max = 1.0 }\n"))
        .contains("unknown schedule \"triangle\" (did you mean \"triangular\"?); valid: constant, triangular,");
    assertThat(refusal("[[experiment]]\nname = \"a\"\ndata_protocol = \"raw\"\n" + SGD))
        .contains("unknown data_protocol \"raw\"; valid: thesis, standard");
    assertThat(refusal("[[experiment]]\nname = \"a\"\ndevice = \"tpu\"\n" + SGD))
        .contains("device \"tpu\" is not one of auto, cpu, gpu, gpu:N");
    assertThat(refusal("[[experiment]]\nname = \"a\"\nprecision = \"fp16\"\n" + SGD))
        .contains("unknown precision \"fp16\"").contains("valid: float32, bfloat16, float16");
    assertThat(refusal("[[experiment]]\nname = \"a\"\nxla = \"yes\"\n" + SGD))
        .contains("xla must be true or false");
    assertThat(refusal("[[experiment]]\nname = \"a\"\noptimizer = { type = \"sgd\", momentun = 0.9 }\n"
        + "schedule = { type = \"constant\", lr = 0.1 }\n"))
        .contains("optimizer sgd: unknown key 'momentun'; valid keys: momentum, nesterov, type, weight_decay");
  }

  @Test
  void impossibleValuesSaySo() {
    assertThat(refusal("[[experiment]]\nname = \"a\"\noptimizer = { type = \"sgd\" }\n"
        + "schedule = { type = \"triangular\", min = 3.0, max = 1.0, cycle_epochs = 25 }\n"))
        .contains("schedule triangular: max = 1.0 is not allowed: expected a finite rate > min (3.0)");
    assertThat(refusal("[[experiment]]\nname = \"a\"\nbatch_size = 512\ntrain_limit = 100\n" + SGD))
        .contains("batch_size 512 is larger than the training set (100 images with train_limit = 100)");
    assertThat(refusal("[[experiment]]\nname = \"a\"\nepochs = 0\n" + SGD))
        .contains("epochs is 0 but must be at least 1");
    assertThat(refusal("[[experiment]]\nname = \"a\"\nwidth = \"wide\"\n" + SGD))
        .contains("width must be an integer, got \"wide\"");
    assertThat(refusal("[[experiment]]\nname = \"a\"\ntrain_limit = 70000\ndataset = \"mnist\"\n" + SGD))
        .contains("train_limit 70000 exceeds the 60000 training images of mnist");
    assertThat(refusal("[[experiment]]\nname = \"a\"\noptimizer = { type = \"sgd\" }\n"
        + "schedule = { type = \"triangular\", min = 0.1, max = 1.0, cycle_iterations = 1 }\n"))
        .contains("schedule triangular: cycle_iterations = 1 is not allowed: expected a cycle of at least 2 iterations");
    assertThat(refusal("[[experiment]]\nname = \"a\"\noptimizer = { type = \"sgd\" }\n"
        + "schedule = { type = \"constant\", lr = -1.0 }\n"))
        .contains("schedule constant: lr = -1.0 is not allowed: expected a finite rate >= 0");
  }

  @Test
  void structuralMistakesSaySo() {
    assertThat(refusal("[defaults]\nwidth = 8\n")).contains("no experiments; add at least one [[experiment]]");
    assertThat(refusal("[experiment]\nname = \"a\"\n")).contains("write [[experiment]], not [experiment]");
    assertThat(refusal("[[experiment]]\n" + SGD)).contains("#1: name is missing");
    assertThat(refusal("[[experiment]]\nname = \"a b\"\n" + SGD)).contains("name may hold only letters");
    assertThat(refusal("[[experiment]]\nname = \"a\"\n" + SGD + "[[experiment]]\nname = \"a\"\n" + SGD))
        .contains("#2 \"a\": the name is used by an earlier experiment");
    assertThat(refusal("[[experiment]]\nname = \"a\"\n")).contains("optimizer is missing; e.g. optimizer = { type = \"sgd\" }");
    assertThat(refusal("[[experiment]]\nname = \"a\"\noptimizer = { type = \"sgd\" }\n"))
        .contains("schedule is missing");
    assertThat(refusal("[[experiment]]\nname = \"a\"\noptimizer = { type = \"adasecant\" }\n"
        + "schedule = { type = \"constant\", lr = 0.1 }\n"))
        .contains("optimizer adasecant calculates its own rates and takes no schedule");
    assertThat(refusal("[[experiment]]\nname = \"a\"\n" + SGD + "[experiment.grid]\nbatch_size = []\n"))
        .contains("grid key \"batch_size\" needs a non-empty array of values");
    assertThat(refusal("[[experiment]]\nname = \"a\"\n" + SGD + "[experiment.grid]\n\"schedule.max\" = [1, 1.0]\n"))
        .contains("two grid combinations give the same run name");
    assertThat(refusal("[[experiment]]\nname = \"a\"\noptimizer = { type = \"adasecant\" }\n"
        + "[experiment.grid]\n\"schedule.max\" = [1.0]\n"))
        .contains("grid key \"schedule.max\": the experiment has no table \"schedule\" to set it in");
    assertThat(refusal("[[experiment]]\nname = \"a\"\n" + SGD + "phases = [{ optimizer = { type = \"sgd\" } }]\n"))
        .contains("give either optimizer + schedule or phases, not both");
    assertThat(refusal("[[experiment]]\nname = \"a\"\nepochs = 10\nphases = [\n"
        + "{ optimizer = { type = \"adasecant\" } },\n{ optimizer = { type = \"adasecant\" } }]\n"))
        .contains("phases[0]: epochs is missing; every phase but the last says how many epochs it trains");
    assertThat(refusal("[[experiment]]\nname = \"a\"\nepochs = 10\nphases = [\n"
        + "{ epochs = 12, optimizer = { type = \"adasecant\" } },\n{ optimizer = { type = \"adasecant\" } }]\n"))
        .contains("phases[0]: the phases take more than the run's 10 epochs");
    assertThat(refusal("[[experiment]]\nname = \"a\"\nepochs = 10\nphases = [\n"
        + "{ epochs = 4, optimizer = { type = \"adasecant\" } },\n{ epochs = 5, optimizer = { type = \"adasecant\" } }]\n"))
        .contains("phases[1]: the last phase must end with the run: its epochs would be 6, not 5");
    assertThat(refusal("[[experiment]]\nname = \"a\"\nphases = [{ optimizer = { type = \"adasecant\" }, lr = 1 }]\n"))
        .contains("phases[0]: unknown key \"lr\"; valid keys: epochs, optimizer, schedule");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    ManifestException e = org.junit.jupiter.api.Assertions.assertThrows(ManifestException.class, () -> parse("""
        [[experiment]]
        name = "a"
        width = 0
        network = "vgg"
        optimizer = { type = "sgd" }
        schedule = { type = "constant", lr = 0.1 }
        """));
    assertThat(e.problems()).hasSize(2);
  }

  @Test
  void theRepositoryManifestCoversTheThesisTables() throws Exception {
    Path manifest = Path.of("..", "experiments.toml");
    Manifest parsed = Manifest.load(manifest, RULES);
    List<RunSpec> thesis = parsed.runs().stream().filter(r -> r.experiment().startsWith("t4.")).toList();
    // Tables 4.1-4.5 have 28 + 16 + 4 + 6 + 7 rows; the Adam 25- and 10-cycles run both printed ranges
    // (+2 in 4.2, +1 each in 4.4 and 4.5).
    assertThat(thesis.stream().filter(r -> r.experiment().startsWith("t4.1"))).hasSize(28);
    assertThat(thesis.stream().filter(r -> r.experiment().startsWith("t4.2"))).hasSize(18);
    assertThat(thesis.stream().filter(r -> r.experiment().startsWith("t4.3"))).hasSize(4);
    assertThat(thesis.stream().filter(r -> r.experiment().startsWith("t4.4"))).hasSize(7);
    assertThat(thesis.stream().filter(r -> r.experiment().startsWith("t4.5"))).hasSize(8);
    assertThat(thesis).allSatisfy(r -> {
      assertThat(r.epochs()).isEqualTo(100);
      assertThat(r.dataProtocol()).isEqualTo(DataProtocol.THESIS);
    });
    assertThat(parsed.select("quickstart")).singleElement().satisfies(r -> {
      assertThat(r.dataset()).isEqualTo(Dataset.FASHION_MNIST);
      assertThat(r.dataProtocol()).isEqualTo(DataProtocol.STANDARD);
      assertThat(r.device()).isEqualTo("cpu");
    });
    assertThat(parsed.select("f4.21-*").get(0).phases()).hasSize(2);
    // RESULTS.md's laptop-scale replication: 15 configurations over seeds 1-3, all in the thesis protocol.
    List<RunSpec> mini = parsed.select("mini-*");
    assertThat(mini).hasSize(45).allSatisfy(r -> {
      assertThat(r.dataset()).isEqualTo(Dataset.FASHION_MNIST);
      assertThat(r.dataProtocol()).isEqualTo(DataProtocol.THESIS);
      assertThat(r.epochs()).isEqualTo(20);
      assertThat(r.trainLimit()).isEqualTo(2048);
      assertThat(r.device()).isEqualTo("cpu");
    });
    Map<List<Object>, List<Long>> seedsPerConfiguration = new java.util.LinkedHashMap<>();
    for (RunSpec r : mini) {
      seedsPerConfiguration.computeIfAbsent(List.of(r.experiment(), r.phases()), k -> new java.util.ArrayList<>())
          .add(r.seed());
    }
    assertThat(seedsPerConfiguration).hasSize(15)
        .allSatisfy((config, seeds) -> assertThat(seeds).containsExactlyInAnyOrder(1L, 2L, 3L));
    assertThat(Files.exists(dir)).isTrue();
  }
}
