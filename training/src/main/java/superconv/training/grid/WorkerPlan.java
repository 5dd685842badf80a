package superconv.training.grid;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import superconv.training.run.SchedulerContext;

/**
 * What one worker of {@code run --workers N} gets: its number, the device it owns, what {@code CUDA_VISIBLE_DEVICES}
 * its process sees, its TensorFlow threads, and the arguments of the {@code superconv run} it runs. A worker that
 * owns a GPU sees only that GPU, so inside it the GPU is {@code gpu:0} and a run's {@code device = "auto"} or
 * {@code "gpu"} lands on it.
 *
 * @param number 1 to N: log lines and {@code run.json}'s {@code scheduler.worker} name the worker by it
 * @param device {@code gpu:I} (in the parent's numbering), {@code cpu} (shared with the other workers), or {@code
 *     default} (a lone worker keeping the parent's devices)
 * @param cudaVisibleDevices {@code CUDA_VISIBLE_DEVICES} in the worker: the id of its GPU as CUDA knows it, the empty
 *     string to hide every GPU ({@code --devices cpu}), or null to leave the parent's as it is
 * @param threads TensorFlow's intra- and inter-op threads in the worker
 * @param args the worker's command line after the program: {@code run MANIFEST ... --threads T}
 */
public record WorkerPlan(int number, String device, String cudaVisibleDevices, int threads, List<String> args) {

  public static final String CUDA_VISIBLE_DEVICES = "CUDA_VISIBLE_DEVICES";

  public WorkerPlan {
    args = List.copyOf(args);
    if (number < 1 || threads < 1) {
      throw new IllegalArgumentException("a worker's number and threads are 1 or more");
    }
  }

  /**
   * Where the workers go.
   *
   * @param gpus the GPUs the workers own in turn (parent's numbering); empty: the workers share the CPU
   * @param hideGpus whether workers without a GPU get an empty {@code CUDA_VISIBLE_DEVICES} ({@code --devices cpu})
   * @param parentVisible the parent's {@code CUDA_VISIBLE_DEVICES} (null when unset): TensorFlow's {@code gpu:I} in
   *     the parent is its I-th entry, and that entry is what the worker must be given
   * @param shared how a worker without a GPU is shown: {@code cpu}, or {@code default} where the one worker keeps
   *     the parent's devices (a GPU machine without {@code --devices})
   */
  public record Placement(List<Integer> gpus, boolean hideGpus, String parentVisible, String shared) {

    public Placement {
      gpus = List.copyOf(gpus);
    }

    /** Workers on the CPU; {@code hide}: with every GPU hidden from them. */
    public static Placement cpu(boolean hide) {
      return new Placement(List.of(), hide, null, "cpu");
    }

    /**
     * Where {@code workers} workers go for {@code --devices} ({@code devices}, null when not given): each on one of
     * the GPUs it names; on the CPU, every GPU hidden, for {@code cpu}. Without {@code --devices} they share the
     * CPU where TensorFlow lists no GPU; where it lists some, one worker keeps the parent's devices and more are
     * refused, since workers that each took a GPU's memory on the same GPU would fail.
     *
     * @param listing the GPUs TensorFlow lists (called only when needed: it may start a JVM)
     */
    public static Placement decide(WorkerDevices devices, int workers, Supplier<GpuListing> listing,
        String parentVisible) {
      if (devices != null && !devices.wantsGpus()) {
        return cpu(true);
      }
      GpuListing listed = listing.get();
      if (devices != null) {
        return new Placement(devices.resolve(listed.gpus(), listed.whyNone()), false, parentVisible, "cpu");
      }
      if (listed.gpus().isEmpty()) {
        return cpu(false);
      }
      if (workers > 1) {
        throw new IllegalArgumentException("--workers " + workers + " on a machine with GPUs ("
            + String.join(",", listed.gpus().stream().map(i -> "gpu:" + i).toList()) + ") needs --devices: all or"
            + " a list such as gpu:0,gpu:1 (one worker per GPU), or cpu to share the CPU");
      }
      return new Placement(List.of(), false, parentVisible, "default");
    }

    /**
     * Why a run with this {@code device} setting cannot train in these workers, or null when it can. A worker on
     * a GPU sees that GPU alone, as gpu:0, so a run pinned to another index would find none; a worker under
     * {@code --devices cpu} sees no GPU at all.
     */
    public String refusal(String runId, String device) {
      boolean gpu = device.startsWith("gpu");
      if (!gpus.isEmpty() && gpu && !device.equals("gpu") && !device.equals("gpu:0")) {
        return "run " + runId + " asks for device \"" + device + "\", but each worker sees only its own GPU (as"
            + " gpu:0): set device = \"auto\" or \"gpu\" for runs that workers share";
      }
      if (gpus.isEmpty() && hideGpus && gpu) {
        return "run " + runId + " asks for device \"" + device + "\", but --devices cpu hides every GPU from the"
            + " workers";
      }
      return null;
    }
  }

  /**
   * One plan per worker that has work: {@code workers} of them, or fewer when fewer runs are left to train (each
   * worker trains one run at a time, so more would only start and stop).
   *
   * @param workers how many workers were asked for; at most one per GPU when the placement has GPUs
   * @param runsToTrain how many of the selected runs are not finished or diverged
   * @param cores the cores to divide between the workers started when {@code threads} is null
   * @param threads every worker's threads ({@code --threads}), or null to divide {@code cores}
   * @param runArgs the arguments every worker's {@code superconv run} shares
   */
  public static List<WorkerPlan> of(int workers, int runsToTrain, Placement placement, int cores, Integer threads,
      List<String> runArgs) {
    List<Integer> gpus = placement.gpus();
    if (workers < 1) {
      throw new IllegalArgumentException("--workers must be 1 or more, not " + workers);
    }
    if (!gpus.isEmpty() && workers > gpus.size()) {
      throw new IllegalArgumentException("--workers " + workers + " but " + gpus.size() + " GPU"
          + (gpus.size() == 1 ? "" : "s") + " (" + String.join(",", gpus.stream().map(i -> "gpu:" + i).toList())
          + "): each worker owns one GPU, so give at most " + gpus.size() + " workers, or leave --workers out");
    }
    int started = Math.min(workers, runsToTrain);
    List<Integer> split = threads == null ? splitCores(cores, Math.max(1, started)) : null;
    List<WorkerPlan> plans = new ArrayList<>();
    for (int k = 1; k <= started; k++) {
      int workerThreads = threads != null ? threads : split.get(k - 1);
      List<String> args = new ArrayList<>(runArgs);
      args.add("--threads");
      args.add(Integer.toString(workerThreads));
      if (gpus.isEmpty()) {
        plans.add(new WorkerPlan(k, placement.shared(), placement.hideGpus() ? "" : null, workerThreads, args));
      } else {
        int gpu = gpus.get(k - 1);
        plans.add(new WorkerPlan(k, "gpu:" + gpu, cudaId(gpu, placement.parentVisible()), workerThreads, args));
      }
    }
    return plans;
  }

  /**
   * {@code cores} divided between {@code workers}: as evenly as whole threads allow, the first workers taking one
   * more (16 cores for 3 workers: 6, 5, 5); at least one thread each when there are more workers than cores.
   */
  public static List<Integer> splitCores(int cores, int workers) {
    List<Integer> split = new ArrayList<>();
    for (int k = 0; k < workers; k++) {
      split.add(Math.max(1, cores / workers + (k < cores % workers ? 1 : 0)));
    }
    return split;
  }

  /** The id CUDA knows {@code gpu:index} by: the index itself, or the index-th entry of the parent's list. */
  static String cudaId(int index, String parentVisible) {
    if (parentVisible == null || parentVisible.isBlank()) {
      return Integer.toString(index);
    }
    String[] visible = parentVisible.split(",");
    if (index >= visible.length) {
      throw new IllegalArgumentException("gpu:" + index + " is not among CUDA_VISIBLE_DEVICES=" + parentVisible
          + " (" + visible.length + " visible)");
    }
    return visible[index].strip();
  }

  /** The variables the worker's process gets on top of the parent's environment. */
  public Map<String, String> environment() {
    Map<String, String> variables = new LinkedHashMap<>();
    variables.put(SchedulerContext.WORKER_VARIABLE, Integer.toString(number));
    if (cudaVisibleDevices != null) {
      variables.put(CUDA_VISIBLE_DEVICES, cudaVisibleDevices);
    }
    return variables;
  }

  /** One line for {@code --dry-run} and the start of a pool: "worker 2: gpu:1 (CUDA_VISIBLE_DEVICES=1), 8 threads". */
  public String describe() {
    String visible = cudaVisibleDevices == null ? ""
        : " (" + CUDA_VISIBLE_DEVICES + "=" + (cudaVisibleDevices.isEmpty() ? "\"\"" : cudaVisibleDevices) + ")";
    return "worker " + number + ": " + device + visible + ", " + threads + " thread" + (threads == 1 ? "" : "s");
  }
}
