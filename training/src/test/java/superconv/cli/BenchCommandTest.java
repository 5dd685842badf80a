package superconv.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {

  private static String[] bench(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    String[] full = new String[args.length + 1];
    full[0] = "bench";
    System.arraycopy(args, 0, full, 1, args.length);
    int code = cli.execute(full);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  @Test
  void jsonLastLineHasTheIssuesFields() throws Exception {
    String[] r = bench("--network", "resnet18", "--width", "1", "--batch", "4", "--steps", "2", "--warmup", "1",
        "--threads", "1", "--synthetic", "--json");
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    String[] lines = r[1].strip().split("\n");
    JsonNode json = Json.mapper().readTree(lines[lines.length - 1]);
    for (String field : new String[] {"network", "width", "batch", "device", "threads", "steps",
        "ms_per_step_median", "images_per_s", "pipeline_share", "graph_build_ms", "session_start_ms",
        "peak_rss_mib"}) {
      assertThat(json.has(field)).as(field).isTrue();
    }
    assertThat(json.get("network").asText()).isEqualTo("resnet18");
    assertThat(json.get("batch").asInt()).isEqualTo(4);
    assertThat(json.get("threads").asInt()).isEqualTo(1);
    assertThat(json.get("synthetic").asBoolean()).isTrue();
    assertThat(json.get("images_per_s").asDouble())
        .isCloseTo(4000 / json.get("ms_per_step_median").asDouble(), org.assertj.core.api.Assertions.withinPercentage(0.1));
  }

  @Test
  void badOptionsNameTheOptionAndTheChoices() {
    assertThat(bench("--network", "resnet34", "--batch", "4")[2]).contains("resnet34").contains("resnet18, resnet50");
    assertThat(bench("--network", "resnet18", "--batch", "1")[2]).contains("--batch must be >= 2");
    assertThat(bench("--network", "resnet18", "--batch", "4", "--device", "tpu")[2]).contains("cpu, gpu, gpu:N");
    assertThat(bench("--network", "resnet18", "--batch", "4", "--threads", "-1")[2]).contains(">= 0");
    assertThat(bench("--network", "resnet18", "--batch", "4", "--optimizer", "{ type = \"lamb\" }")[2])
        .contains("lamb");
    assertThat(bench("--network", "resnet18", "--batch", "4", "--optimizer", "sgd")[2])
        .contains("inline TOML table");
    assertThat(bench("--network", "resnet18", "--batch", "4", "--device", "tpu")[0]).isEqualTo("2");
  }
}
