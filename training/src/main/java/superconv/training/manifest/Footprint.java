package superconv.training.manifest;

import java.util.List;
import superconv.datasets.Dataset;
import superconv.graph.Network;
import superconv.graph.Precision;

/**
 * A run's size before anything is built: the network's parameter count and an estimate of the memory one training
 * step needs, from the CIFAR ResNet layout (a 3x3 stem of width w; stages of widths w, 2w, 4w, 8w with strides 1,
 * 2, 2, 2; bottlenecks expand x4; a dense head). Parameters grow with the square of the width, activations with
 * width times batch: a typo in either is found here, not after minutes of graph building and an out-of-memory
 * crash. Counted in doubles: an absurd width must overflow nothing.
 *
 * @param parameters trainable weights, counted as PyTorch does (convolutions without bias, batch norm scale and
 *     offset, the head with bias): ResNet18 width 64 on 10 classes is 11,173,962, ResNet50 23,520,842
 * @param bytes weights, gradients and two optimizer slots in float32, plus the activations a training step keeps
 *     for the backward pass (each convolution's output, its batch norm's and its ReLU's) in the compute precision
 */
record Footprint(double parameters, double bytes) {

  /**
   * The most one run may need. Fixed, so that a manifest means the same on every machine ({@code list} on a laptop
   * refuses what a GPU host would); above what any one accelerator holds today (192 GB), so that only a mistake is
   * refused, as the estimate is rough by a factor of about two.
   */
  static final double MAX_BYTES = 256.0 * (1L << 30);

  static Footprint of(Network network, int width, Dataset dataset, int batchSize, Precision precision) {
    int channels = dataset.channels();
    double h = dataset.height();
    double w = dataset.width();
    double parameters = 9.0 * channels * width + 2.0 * width;
    double activations = 3 * h * w * width;
    double in = width;
    List<Integer> blocks = network.blocksPerStage();
    for (int stage = 0; stage < blocks.size(); stage++) {
      double planes = (double) width * (1 << stage);
      double out = planes * network.expansion();
      for (int block = 0; block < blocks.get(stage); block++) {
        boolean downsample = stage > 0 && block == 0;
        if (downsample) {
          h = Math.ceil(h / 2);
          w = Math.ceil(w / 2);
        }
        double pixels = h * w;
        if (network.bottleneck()) {
          parameters += in * planes + 9 * planes * planes + planes * out + 2 * (planes + planes + out);
          activations += 3 * pixels * (planes + planes + out);
        } else {
          parameters += 9 * in * planes + 9 * planes * planes + 2 * (planes + planes);
          activations += 3 * pixels * (planes + planes);
        }
        if (downsample || in != out) {
          parameters += in * out + 2 * out;
          activations += 2 * pixels * out;
        }
        in = out;
      }
    }
    parameters += in * dataset.classes() + dataset.classes();
    double computeBytes = precision == Precision.FLOAT32 ? 4 : 2;
    return new Footprint(parameters, 4 * 4 * parameters + activations * batchSize * computeBytes);
  }

  /** Bytes in binary units, as a message says them: 3.2 GiB, 5.1 TiB. */
  static String format(double bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    int unit = 0;
    while (bytes >= 1024 && unit < units.length - 1) {
      bytes /= 1024;
      unit++;
    }
    return String.format(java.util.Locale.ROOT, bytes >= 100 ? "%.0f %s" : "%.1f %s", bytes, units[unit]);
  }
}
