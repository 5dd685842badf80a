package superconv.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import superconv.graph.DataFormat;
import superconv.graph.Network;
import superconv.graph.Precision;
import superconv.training.bench.Bench;
import superconv.training.session.SessionOptions;

/** {@code superconv bench}: times the training step a run takes and reports ms/step, images/s and memory. */
@Command(
    name = "bench",
    description = {
      "Time the training step of a run: the same graph, optimizer and per-step feeding, with the in-graph input"
          + " pipeline gathering batches from 50,000 resident random images of CIFAR shape. Reports the median"
          + " ms/step after warm-up, images/s, the pipeline's share of a step, graph build and session start times"
          + " and peak resident memory.",
      "Example: superconv bench --network resnet18 --width 64 --batch 32 --threads 2 --json"
    })
final class BenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Option(names = "--network", required = true, paramLabel = "NAME", description = "resnet18 or resnet50.")
  String network;

  @Option(names = "--width", paramLabel = "W", defaultValue = "64",
      description = "Base width (default: ${DEFAULT-VALUE}, the reference).")
  int width;

  @Option(names = "--batch", required = true, paramLabel = "B", description = "Training batch size.")
  int batch;

  @Option(names = "--steps", paramLabel = "N", defaultValue = "20",
      description = "Timed steps after warm-up (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--warmup", paramLabel = "K", defaultValue = "3",
      description = "Untimed steps first (default: ${DEFAULT-VALUE}; the first step also optimizes the graph).")
  int warmup;

  @Option(names = "--threads", paramLabel = "T", defaultValue = "0",
      description = "Intra- and inter-op threads (default: ${DEFAULT-VALUE} = TensorFlow's choice, all cores).")
  int threads;

  @Option(names = "--inter-op-threads", paramLabel = "T",
      description = "Ops run side by side (default: as --threads).")
  Integer interOpThreads;

  @Option(names = "--optimizer", paramLabel = "TABLE", defaultValue = "{ type = \"sgd\" }",
      description = "The optimizer as an inline TOML table (default: ${DEFAULT-VALUE}); optimizers with a fed rate"
          + " get a constant 0.01.")
  String optimizer;

  @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "cpu",
      description = "auto, cpu, gpu or gpu:N as in a manifest (default: ${DEFAULT-VALUE}; a GPU needs the -Pgpu"
          + " build with CUDA 12 and cuDNN 9, which -Pgpu,cuda takes from Maven).")
  String device;

  @Option(names = "--synthetic",
      description = "Leave the input pipeline out: train on one fixed batch held in a variable.")
  boolean synthetic;

  @Option(names = "--xla", description = "Compile the graph with XLA JIT (global jit level ON_1; on a CPU TensorFlow clusters only with"
          + " TF_XLA_FLAGS=--tf_xla_cpu_global_jit, and ran slower there: see BENCHMARKS.md).")
  boolean xla;

  @Option(names = "--precision", paramLabel = "TYPE", defaultValue = "float32",
      description = "float32, bfloat16 or float16 activations (weights and batch-norm statistics stay float32;"
          + " float16 adds dynamic loss scaling); default: ${DEFAULT-VALUE}.")
  String precision;

  @Option(names = "--data-format", paramLabel = "NHWC|NCHW", defaultValue = "NHWC",
      description = "Activation layout (default: ${DEFAULT-VALUE}; NCHW is cuDNN's).")
  DataFormat dataFormat;

  @Option(names = "--memory-check",
      description = "Also run to step " + 10 * Bench.MEMORY_FIRST + " and compare resident memory there with step "
          + Bench.MEMORY_FIRST + " (use a small --width).")
  boolean memoryCheck;

  @Option(names = "--profile", description = "Trace one more step and print the time per op type, largest first.")
  boolean profile;

  @Option(names = "--json", description = "Print one JSON object as the last line.")
  boolean json;

  @Mixin Verbose verbose;

  @Override
  public Integer call() throws Exception {
    Bench.Spec benchSpec;
    try {
      benchSpec = new Bench.Spec(Network.parse(network), width, batch, steps, warmup,
          new SessionOptions(threads, interOpThreads == null ? threads : interOpThreads, xla),
          InlineTables.parse(spec, "--optimizer", optimizer), device, synthetic, dataFormat,
          Precision.parse(precision), memoryCheck,
          profile, Bench.CIFAR_TRAIN);
      superconv.optimizers.Optimizers.fromTable(benchSpec.optimizer());
      Bench.deviceName(device);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    Bench.Measurement r = Bench.run(benchSpec);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "%s width %d, batch %d, %s, %s threads, %s%s%n", r.network(), r.width(), r.batch(),
        r.device(), threads == 0 ? "default" : Integer.toString(threads), r.optimizer(),
        r.synthetic() ? ", synthetic (no pipeline)" : "");
    if (!r.precision().equals("float32")) {
      out.printf("precision     %s compute, float32 weights%s%n", r.precision(),
          r.precision().equals("float16") ? ", dynamic loss scaling" : "");
    }
    out.printf(Locale.ROOT, "step          %.1f ms median (min %.1f) over %d steps: %.1f images/s%n",
        r.msPerStepMedian(), r.msPerStepMin(), r.steps(), r.imagesPerS());
    if (!r.synthetic()) {
      out.printf(Locale.ROOT, "pipeline      %.2f ms alone, %.1f%% of a step%n", r.pipelineMs(),
          100 * r.pipelineShare());
    }
    out.printf(Locale.ROOT, "graph build   %.0f ms, session start %.0f ms, first step %.0f ms%n",
        r.graphBuildMs(), r.sessionStartMs(), r.firstStepMs());
    out.printf(Locale.ROOT, "peak memory   %.0f MiB resident%n", r.peakRssMiB());
    if (memoryCheck) {
      out.printf(Locale.ROOT, "memory check  %.0f MiB after %d steps, %.0f MiB after %d: %+.2f%%%n",
          r.rssAfterFirstMiB(), Bench.MEMORY_FIRST, r.rssAfterLastMiB(), 10 * Bench.MEMORY_FIRST,
          100 * r.rssGrowth());
    }
    if (profile) {
      out.printf("%-32s %6s %10s%n", "op (traced step)", "nodes", "ms");
      for (Bench.OpTime t : r.profile()) {
        out.printf(Locale.ROOT, "%-32s %6d %10.2f%n", t.op(), t.nodes(), t.ms());
      }
    }
    if (json) {
      out.println(Json.line(row(r, threads)));
    }
    out.flush();
    return 0;
  }

  static Map<String, Object> row(Bench.Measurement r, int threads) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("network", r.network());
    row.put("width", r.width());
    row.put("batch", r.batch());
    row.put("device", r.device());
    row.put("threads", threads);
    row.put("steps", r.steps());
    row.put("ms_per_step_median", round(r.msPerStepMedian()));
    row.put("images_per_s", round(r.imagesPerS()));
    row.put("pipeline_share", Math.round(r.pipelineShare() * 10000) / 10000.0);
    row.put("optimizer", r.optimizer());
    row.put("precision", r.precision());
    row.put("synthetic", r.synthetic());
    row.put("ms_per_step_min", round(r.msPerStepMin()));
    row.put("pipeline_ms", round(r.pipelineMs()));
    row.put("graph_build_ms", round(r.graphBuildMs()));
    row.put("session_start_ms", round(r.sessionStartMs()));
    row.put("first_step_ms", round(r.firstStepMs()));
    row.put("peak_rss_mib", round(r.peakRssMiB()));
    if (r.rssAfterFirstMiB() > 0) {
      row.put("rss_after_200_mib", round(r.rssAfterFirstMiB()));
      row.put("rss_after_2000_mib", round(r.rssAfterLastMiB()));
      row.put("rss_growth", Math.round(r.rssGrowth() * 10000) / 10000.0);
    }
    row.put("tensorflow", r.tensorflow());
    return row;
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
