package superconv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static superconv.cli.CliRun.run;
import static superconv.cli.IdxFiles.idx;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import superconv.datasets.Dataset;
import superconv.datasets.Datasets;
import superconv.datasets.ImageSet;
import superconv.graph.ModelSpec;
import superconv.graph.Network;
import superconv.graph.ImageShape;
import superconv.graph.Predictor;
import superconv.graph.SavedModelExport;
import superconv.graph.TrainingGraph;
import superconv.graph.TrainingGraphSpec;

class GraphCommandsTest {

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({
    "resnet18, 10, 11173962, 62",
    "resnet18, 100, 11220132, 62",
    "resnet50, 10, 23520842, 161",
    "resnet50, 100, 23705252, 161"
  })
  void summaryJsonGivesTheReferenceCounts(String network, int classes, long parameters, int variables) throws Exception {
    CliRun run = run("graph", "summary", "--network", network, "--classes", Integer.toString(classes), "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode row = Json.mapper().readTree(run.lastLine());
    assertThat(row.get("network").asText()).isEqualTo(network);
    assertThat(row.get("classes").asInt()).isEqualTo(classes);
    assertThat(row.get("width").asInt()).isEqualTo(64);
    assertThat(row.get("parameters").asLong()).isEqualTo(parameters);
    assertThat(row.get("trainable_variables").asInt()).isEqualTo(variables);
    assertThat(row.get("ops").asInt()).isPositive();
    // kuangliu's figures: about 0.56 G (ResNet18) and 1.30 G (ResNet50) multiply-adds per 32x32 image
    assertThat(row.get("multiply_adds_per_image").asLong())
        .isBetween(network.equals("resnet18") ? 550_000_000L : 1_290_000_000L, network.equals("resnet18") ? 560_000_000L : 1_310_000_000L);
  }

  @Test
  void summaryTableFollowsTheDatasetShape() {
    CliRun run = run("graph", "summary", "--network", "resnet18", "--dataset", "fashion-mnist", "--width", "8");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("resnet18, 10 classes, width 8, input 28x28x1")
        .containsPattern("stem\\s+28x28x8")
        .containsPattern("stage4\\s+4x4x64")
        .containsPattern("head\\s+10\\s+650");
  }

  @Test
  void badOptionsAreOneLineErrors() {
    CliRun unknown = run("graph", "summary", "--network", "resnet34");
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).contains("unknown network 'resnet34'; valid: resnet18, resnet50");
    CliRun conflict = run("graph", "summary", "--network", "resnet18", "--dataset", "cifar10", "--classes", "100");
    assertThat(conflict.exitCode()).isEqualTo(1);
    assertThat(conflict.err()).contains("--classes 100 contradicts --dataset cifar10 (10 classes)");
  }

  /** A width-2 ResNet18 for 28x28x1 images with seeded (untrained) weights, exported as a SavedModel. */
  private Path exportTinyModel(ImageSet train, ImageSet test) {
    Path model = dir.resolve("model");
    ModelSpec spec = ModelSpec.of(Network.RESNET18, 10, 2, ImageShape.of(train)).withSeed(1);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      TrainingGraph tg = TrainingGraph.build(Ops.create(g), TrainingGraphSpec.of(spec, train, test, 2));
      s.run(tg.initializer());
      SavedModelExport.export(s, tg, train.classNames(), model);
    }
    return model;
  }

  @Test
  void predictMeasuresAccuracyOnADataSetAndClassifiesImageFiles() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("data/mnist"));
    int n = 6;
    byte[] pixels = new byte[n * 784];
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < 784; p++) {
        pixels[i * 784 + p] = (byte) ((p * (i + 3)) % 256);
      }
      labels[i] = (byte) (i % 10);
    }
    for (String split : List.of("train", "t10k")) {
      Files.write(folder.resolve(split + "-images-idx3-ubyte"), idx(new int[] {n, 28, 28}, pixels));
      Files.write(folder.resolve(split + "-labels-idx1-ubyte"), idx(new int[] {n}, labels));
    }
    var data = Datasets.read(Dataset.MNIST, folder);
    Path model = exportTinyModel(data.train(), data.test());

    CliRun accuracy = run("predict", "--model", model.toString(), "--dataset", "mnist", "--data-dir", dir.resolve("data").toString(),
        "--offline", "--limit", "4", "--json");
    assertThat(accuracy.exitCode()).as(accuracy.err()).isZero();
    JsonNode row = Json.mapper().readTree(accuracy.lastLine());
    assertThat(row.get("count").asInt()).isEqualTo(4);
    List<Path> files = new ArrayList<>();
    float[] expectedPixels = new float[4 * 784];
    try (Predictor predictor = Predictor.load(model)) {
      assertThat(row.get("accuracy").asDouble()).isEqualTo(predictor.accuracy(data.test().first(4)).accuracy());
      for (int i = 0; i < 4; i++) {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int p = 0; p < 784; p++) {
          int v = pixels[i * 784 + p] & 0xFF;
          image.getRaster().setSample(p % 28, p / 28, 0, v);
          expectedPixels[i * 784 + p] = v;
        }
        Path file = dir.resolve("image" + i + ".png");
        ImageIO.write(image, "png", file.toFile());
        files.add(file);
      }
      List<Predictor.Prediction> expected = predictor.predict(expectedPixels, 4);
      List<String> args = new ArrayList<>(List.of("predict", "--model", model.toString(), "--json", "--images"));
      files.forEach(f -> args.add(f.toString()));
      CliRun classify = run(args.toArray(String[]::new));
      assertThat(classify.exitCode()).as(classify.err()).isZero();
      JsonNode rows = Json.mapper().readTree(classify.lastLine());
      assertThat(rows).hasSize(4);
      for (int i = 0; i < 4; i++) {
        assertThat(rows.get(i).get("image").asText()).isEqualTo(files.get(i).toString());
        assertThat(rows.get(i).get("class").asInt()).isEqualTo(expected.get(i).classIndex());
        assertThat(rows.get(i).get("label").asText()).isEqualTo(expected.get(i).className());
        assertThat(rows.get(i).get("probability").asDouble()).isCloseTo(expected.get(i).probability(), org.assertj.core.api.Assertions.within(1e-6));
      }
    }

    BufferedImage wrong = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
    Path wrongFile = dir.resolve("wrong.png");
    ImageIO.write(wrong, "png", wrongFile.toFile());
    CliRun bad = run("predict", "--model", model.toString(), "--images", wrongFile.toString());
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err()).contains(wrongFile + ": image is 32x32 (width x height), the model takes 28x28");
    CliRun cifar = run("predict", "--model", model.toString(), "--dataset", "cifar10", "--offline");
    assertThat(cifar.exitCode()).isEqualTo(1);
    assertThat(cifar.err()).contains("cifar10 images are 32x32x3 but " + model + " takes 28x28x1");
    CliRun noModel = run("predict", "--model", dir.resolve("nothing").toString(), "--images", wrongFile.toString());
    assertThat(noModel.err()).contains("no such directory");
  }
}
