package superconv.graph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * ResNet18 / ResNet50 in the CIFAR layout of kuangliu/pytorch-cifar as a static TensorFlow graph.
 *
 * <p>Creating a {@code ResNet} creates its variables (with readable names such as {@code stem/conv/kernel},
 * {@code stage2/block0/shortcut/bn/moving_mean}, {@code head/dense/bias}) and their seeded initializers.
 * {@link #forward} then builds any number of towers over those shared variables: a training tower normalizes with
 * batch statistics and returns the ops that update the moving statistics, an evaluation tower uses the moving
 * statistics.
 *
 * <p>Initialization follows PyTorch's defaults: convolution and linear weights and the linear bias uniform in
 * {@code [-1/sqrt(fan_in), 1/sqrt(fan_in)]} (kaiming-uniform with a = sqrt(5)), batch-norm gamma 1 and beta 0,
 * moving mean 0 and moving variance 1. The random values come from stateless ops seeded by (spec seed, index of the
 * variable), so a seed gives the same weights on any device and in any session.
 *
 * <p>Batch norm uses epsilon 1e-5 and PyTorch's update {@code moving = (1 - 0.1) * moving + 0.1 * batch} with the
 * unbiased batch variance. In float32 it runs as {@code FusedBatchNormV3}; in float64 (which the fused kernels do not
 * support, used by gradient checks) as the same formula from elementary ops.
 *
 * @param <T> float type of activations and weights
 */
public final class ResNet<T extends TFloating> {

  /** Batch-norm epsilon, PyTorch's default. */
  public static final float BATCH_NORM_EPSILON = 1e-5f;
  /** Weight of the batch statistic in the moving average, PyTorch's default momentum. */
  public static final double BATCH_NORM_MOMENTUM = 0.1;

  /** Whether a tower normalizes with batch statistics (and updates the moving ones) or with the moving ones. */
  public enum Mode {
    TRAIN,
    EVAL
  }

  /** One tower's output. {@code batchNormUpdates} is empty for evaluation towers. */
  public record Tower<T extends TFloating>(Operand<T> logits, List<Op> batchNormUpdates) {}

  /** Shapes and sizes of one part of the network (stem, stage1..4, head), for summaries. */
  public record Stage(String name, int height, int width, int channels, long parameters, long multiplyAdds) {}

  // Input channels from which a strided 1x1 convolution stays one op (see conv).

  private record Conv<T extends TFloating>(String scope, Variable<T> kernel, int in, int out, int size, int stride) {}

  private record BatchNorm<T extends TFloating>(
      String scope, Variable<T> gamma, Variable<T> beta, Variable<T> movingMean, Variable<T> movingVariance) {}

  private record Block<T extends TFloating>(
      String scope, List<Conv<T>> convs, List<BatchNorm<T>> norms, Conv<T> shortcutConv, BatchNorm<T> shortcutNorm) {}

  private final Ops tf;
  private final Scopes variableScopes;
  private final ModelSpec spec;
  private final Class<T> type;
  private final List<Variable<T>> trainable = new ArrayList<>();
  private final List<Variable<T>> state = new ArrayList<>();
  private final List<Op> initializers = new ArrayList<>();
  private final List<Stage> stages = new ArrayList<>();
  private final Conv<T> stemConv;
  private final BatchNorm<T> stemNorm;
  private final List<Block<T>> blocks = new ArrayList<>();
  private final Variable<T> headKernel;
  private final Variable<T> headBias;
  private final Op initOp;
  private final boolean withInitializers;
  private int variableIndex;

  private ResNet(Ops tf, ModelSpec spec, Class<T> type, boolean initializers) {
    this.tf = tf;
    this.withInitializers = initializers;
    this.variableScopes = new Scopes(tf);
    this.spec = spec;
    this.type = type;
    int w = spec.width();
    int h = spec.input().height();
    int wd = spec.input().width();

    long before = 0;
    long macs = 0;
    stemConv = conv("stem/conv", spec.input().channels(), w, 3, 1);
    stemNorm = batchNorm("stem/bn", w);
    macs += (long) h * wd * w * spec.input().channels() * 9;
    stages.add(new Stage("stem", h, wd, w, parameters() - before, macs));

    int in = w;
    int expansion = spec.network().expansion();
    for (int s = 0; s < 4; s++) {
      before = parameters();
      macs = 0;
      int planes = w << s;
      int blockCount = spec.network().blocksPerStage().get(s);
      for (int b = 0; b < blockCount; b++) {
        int stride = b == 0 && s > 0 ? 2 : 1;
        String scope = "stage" + (s + 1) + "/block" + b;
        int out = planes * expansion;
        List<Conv<T>> convs = new ArrayList<>();
        List<BatchNorm<T>> norms = new ArrayList<>();
        int outH = (h - 1) / stride + 1;
        int outW = (wd - 1) / stride + 1;
        if (spec.network().bottleneck()) {
          convs.add(conv(scope + "/conv1", in, planes, 1, 1));
          norms.add(batchNorm(scope + "/bn1", planes));
          convs.add(conv(scope + "/conv2", planes, planes, 3, stride));
          norms.add(batchNorm(scope + "/bn2", planes));
          convs.add(conv(scope + "/conv3", planes, out, 1, 1));
          norms.add(batchNorm(scope + "/bn3", out));
          macs += (long) h * wd * planes * in + (long) outH * outW * planes * planes * 9 + (long) outH * outW * out * planes;
        } else {
          convs.add(conv(scope + "/conv1", in, planes, 3, stride));
          norms.add(batchNorm(scope + "/bn1", planes));
          convs.add(conv(scope + "/conv2", planes, planes, 3, 1));
          norms.add(batchNorm(scope + "/bn2", planes));
          macs += (long) outH * outW * planes * in * 9 + (long) outH * outW * planes * planes * 9;
        }
        Conv<T> shortcutConv = null;
        BatchNorm<T> shortcutNorm = null;
        if (stride != 1 || in != out) {
          shortcutConv = conv(scope + "/shortcut/conv", in, out, 1, stride);
          shortcutNorm = batchNorm(scope + "/shortcut/bn", out);
          macs += (long) outH * outW * out * in;
        }
        blocks.add(new Block<>(scope, convs, norms, shortcutConv, shortcutNorm));
        in = out;
        h = outH;
        wd = outW;
      }
      stages.add(new Stage("stage" + (s + 1), h, wd, in, parameters() - before, macs));
    }

    before = parameters();
    double bound = 1 / Math.sqrt(in);
    Ops head = scoped("head/dense");
    headKernel = variable(head, "kernel", Shape.of(in, spec.classes()), uniform(head, Shape.of(in, spec.classes()), bound), trainable);
    headBias = variable(head, "bias", Shape.of(spec.classes()), uniform(head, Shape.of(spec.classes()), bound), trainable);
    stages.add(new Stage("head", 1, 1, spec.classes(), parameters() - before, (long) in * spec.classes()));

    initOp = initializers ? tf.withName("init_model").withControlDependencies(this.initializers).noOp() : null;
  }

  /** Creates the variables of the network described by {@code spec} and their initializers. */
  public static <T extends TFloating> ResNet<T> create(Ops tf, ModelSpec spec, Class<T> type) {
    return new ResNet<>(tf, spec, type, true);
  }

  /**
   * Variables without initializer ops, for graphs whose weights are loaded from elsewhere (the exported inference
   * graph): keeps such graphs free of random ops they never run.
   */
  static ResNet<TFloat32> createUninitialized(Ops tf, ModelSpec spec) {
    return new ResNet<>(tf, spec, TFloat32.class, false);
  }

  /** A float32 network. */
  public static ResNet<TFloat32> create(Ops tf, ModelSpec spec) {
    return new ResNet<>(tf, spec, TFloat32.class, true);
  }

  public ModelSpec spec() {
    return spec;
  }

  public Class<T> type() {
    return type;
  }

  /** Weights, biases and batch-norm gamma/beta in creation order: what an optimizer updates. */
  public List<Variable<T>> trainableVariables() {
    return Collections.unmodifiableList(trainable);
  }

  /** Batch-norm moving means and variances: model state that is not trained but must be checkpointed. */
  public List<Variable<T>> stateVariables() {
    return Collections.unmodifiableList(state);
  }

  /** Trainable and state variables by op name ({@code stage1/block0/conv1/kernel}), in creation order. */
  public Map<String, Variable<T>> variablesByName() {
    Map<String, Variable<T>> byName = new LinkedHashMap<>();
    for (Variable<T> v : trainable) {
      byName.put(v.op().name(), v);
    }
    for (Variable<T> v : state) {
      byName.put(v.op().name(), v);
    }
    return byName;
  }

  /** Runs every variable's seeded initializer. */
  public Op initializer() {
    if (initOp == null) {
      throw new IllegalStateException("this network was built without initializers");
    }
    return initOp;
  }

  /** Number of trainable scalars (PyTorch's {@code sum(p.numel() for p in model.parameters())}). */
  public long parameters() {
    long total = 0;
    for (Variable<T> v : trainable) {
      total += v.shape().size();
    }
    return total;
  }

  /** Output shape, parameters and multiply-adds per image of stem, the four stages and head. */
  public List<Stage> stages() {
    return Collections.unmodifiableList(stages);
  }

  /** Multiply-adds of one forward pass for one image (convolutions and the linear head). */
  public long multiplyAddsPerImage() {
    return stages.stream().mapToLong(Stage::multiplyAdds).sum();
  }

  /**
   * Builds a tower from NHWC {@code images} (already normalized) to logits, with its ops under the name scope
   * {@code name}. A float32 network with a mixed {@link ModelSpec#precision()} computes its activations in that type
   * (weights cast where used, batch norm with float32 parameters and statistics) and returns float32 logits.
   */
  public Tower<T> forward(Operand<T> images, Mode mode, String name) {
    boolean mixed = type == TFloat32.class && spec.precision() != Precision.FLOAT32;
    return mixed ? forwardAs(images, spec.precision().computeType(), mode, name) : forwardAs(images, type, mode, name);
  }

  private <C extends TFloating> Tower<T> forwardAs(Operand<T> images, Class<C> compute, Mode mode, String name) {
    Scopes t = new Scopes(tf.withSubScope(name));
    List<Op> updates = new ArrayList<>();
    Operand<C> x = cast(t.root(), images, compute);
    if (spec.dataFormat() == DataFormat.NCHW) {
      x = t.root().withName("to_nchw").linalg.transpose(x, t.root().constant(new int[] {0, 3, 1, 2}));
    }
    x = t.at("stem").withName("relu").nn.relu(batchNorm(t, stemNorm, conv(t, stemConv, x), mode, updates));
    for (Block<T> block : blocks) {
      x = block(t, block, x, mode, updates);
    }
    Ops head = t.at("head");
    // int32 axes: TensorFlow's C++ gradient of Mean crashes on int64 reduction indices.
    Operand<C> pooled = head.withName("global_avg_pool").math.mean(x, head.constant(spec.dataFormat().spatialAxes()));
    Ops dense = t.at("head/dense");
    Operand<T> logits =
        dense.withName("logits").nn.biasAdd(dense.linalg.matMul(cast(dense, pooled, type), headKernel), headBias);
    return new Tower<>(logits, List.copyOf(updates));
  }

  /** {@code x} as {@code to}; no op when it already is. */
  @SuppressWarnings("unchecked")
  private static <A extends TFloating, B extends TFloating> Operand<B> cast(Ops s, Operand<A> x, Class<B> to) {
    return x.type() == to ? (Operand<B>) x : s.dtypes.cast(x, to);
  }

  private <C extends TFloating> Operand<C> block(Scopes t, Block<T> block, Operand<C> input, Mode mode, List<Op> updates) {
    Operand<C> x = input;
    int last = block.convs().size() - 1;
    for (int i = 0; i <= last; i++) {
      x = batchNorm(t, block.norms().get(i), conv(t, block.convs().get(i), x), mode, updates);
      if (i < last) {
        x = t.at(block.norms().get(i).scope()).withName("relu").nn.relu(x);
      }
    }
    Operand<C> shortcut = input;
    if (block.shortcutConv() != null) {
      shortcut = batchNorm(t, block.shortcutNorm(), conv(t, block.shortcutConv(), input), mode, updates);
    }
    Ops out = t.at(block.scope());
    return out.withName("out").nn.relu(out.withName("residual").math.add(x, shortcut));
  }

  private <C extends TFloating> Operand<C> conv(Scopes t, Conv<T> conv, Operand<C> x) {
    Ops s = t.at(conv.scope());
    return Convolution.apply(s, spec.dataFormat(), x, cast(s, conv.kernel(), x.type()), conv.in(), conv.size(),
        conv.stride());
  }


  @SuppressWarnings("unchecked")
  private <C extends TFloating> Operand<C> batchNorm(Scopes t, BatchNorm<T> bn, Operand<C> x, Mode mode, List<Op> updates) {
    Ops s = t.at(bn.scope());
    DataFormat format = spec.dataFormat();
    if (type == TFloat32.class) {
      // Activations in the compute type, parameters and statistics float32 (the kernel's U type).
      if (mode == Mode.EVAL) {
        return s.nn.fusedBatchNorm(
                x, bn.gamma(), bn.beta(), bn.movingMean(), bn.movingVariance(),
                FusedBatchNorm.epsilon(BATCH_NORM_EPSILON), FusedBatchNorm.isTraining(false),
                FusedBatchNorm.dataFormat(format.attribute()))
            .y();
      }
      Operand<T> empty = s.dtypes.cast(s.constant(new float[0]), type);
      FusedBatchNorm<C, T> fused =
          s.nn.fusedBatchNorm(
              x, bn.gamma(), bn.beta(), empty, empty,
              FusedBatchNorm.epsilon(BATCH_NORM_EPSILON), FusedBatchNorm.isTraining(true),
              FusedBatchNorm.dataFormat(format.attribute()));
      // In training mode FusedBatchNormV3's batch_variance output is already Bessel-corrected (n / (n - 1)).
      updates.add(movingUpdate(s, bn.movingMean(), fused.batchMean(), "update_moving_mean"));
      updates.add(movingUpdate(s, bn.movingVariance(), fused.batchVariance(), "update_moving_variance"));
      return fused.y();
    }
    // float64 (no fused kernel): compute type and variable type are both T. Same formula from elementary ops:
    // y = (x - mean) / sqrt(var + eps) * gamma + beta.
    return (Operand<C>) elementaryBatchNorm(s, bn, (Operand<T>) x, mode, updates, format);
  }

  private Operand<T> elementaryBatchNorm(Ops s, BatchNorm<T> bn, Operand<T> x, Mode mode, List<Op> updates, DataFormat format) {
    Operand<TInt32> axes = s.constant(format == DataFormat.NHWC ? new int[] {0, 1, 2} : new int[] {0, 2, 3});
    Operand<TInt32> paramShape = s.constant(format == DataFormat.NHWC ? new int[] {1, 1, 1, -1} : new int[] {1, -1, 1, 1});
    Operand<T> mean;
    Operand<T> variance;
    if (mode == Mode.TRAIN) {
      Operand<T> batchMean = s.withName("batch_mean").math.mean(x, axes);
      Operand<T> centered = s.math.sub(x, s.reshape(batchMean, paramShape));
      Operand<T> batchVariance = s.withName("batch_variance").math.mean(s.math.square(centered), axes);
      Operand<T> count = s.dtypes.cast(s.math.div(s.size(x), s.size(batchMean)), type);
      Operand<T> unbiased =
          s.math.mul(batchVariance, s.math.div(count, s.math.sub(count, scalar(s, 1))));
      updates.add(movingUpdate(s, bn.movingMean(), batchMean, "update_moving_mean"));
      updates.add(movingUpdate(s, bn.movingVariance(), unbiased, "update_moving_variance"));
      mean = batchMean;
      variance = batchVariance;
    } else {
      mean = bn.movingMean();
      variance = bn.movingVariance();
    }
    Operand<T> scale = s.math.mul(s.math.rsqrt(s.math.add(variance, scalar(s, BATCH_NORM_EPSILON))), bn.gamma());
    Operand<T> shift = s.math.sub(bn.beta(), s.math.mul(mean, scale));
    return s.math.add(s.math.mul(x, s.reshape(scale, paramShape)), s.reshape(shift, paramShape));
  }

  private Op movingUpdate(Ops s, Variable<T> moving, Operand<T> batch, String name) {
    Operand<T> delta = s.math.mul(s.math.sub(moving, s.stopGradient(batch)), scalar(s, BATCH_NORM_MOMENTUM));
    return s.withName(name).assignSub(moving, delta);
  }

  private Operand<T> scalar(Ops s, double value) {
    return s.dtypes.cast(s.constant(value), type);
  }

  private Conv<T> conv(String scope, int in, int out, int size, int stride) {
    Ops s = scoped(scope);
    Shape shape = Shape.of(size, size, in, out);
    double bound = 1 / Math.sqrt((double) in * size * size);
    return new Conv<>(scope, variable(s, "kernel", shape, uniform(s, shape, bound), trainable), in, out, size, stride);
  }

  private BatchNorm<T> batchNorm(String scope, int channels) {
    Ops s = scoped(scope);
    Shape shape = Shape.of(channels);
    return new BatchNorm<>(
        scope,
        variable(s, "gamma", shape, filled(s, shape, 1), trainable),
        variable(s, "beta", shape, filled(s, shape, 0), trainable),
        variable(s, "moving_mean", shape, filled(s, shape, 0), state),
        variable(s, "moving_variance", shape, filled(s, shape, 1), state));
  }

  private Ops scoped(String scope) {
    return variableScopes.at(scope);
  }

  private Variable<T> variable(Ops s, String name, Shape shape, Supplier<Operand<T>> initial, List<Variable<T>> into) {
    Variable<T> v = s.withName(name).variable(shape, type);
    if (withInitializers) {
      initializers.add(s.withName(name + "_init").assign(v, initial.get()));
    }
    into.add(v);
    return v;
  }

  private Supplier<Operand<T>> uniform(Ops s, Shape shape, double bound) {
    long index = variableIndex++;
    return () -> uniformValues(s, shape, bound, index);
  }

  private Operand<T> uniformValues(Ops s, Shape shape, double bound, long index) {
    Operand<T> u =
        s.random.statelessRandomUniform(s.constant(shape.asArray()), s.constant(new long[] {spec.seed(), index}), type);
    // u in [0, 1) -> bound * (2u - 1) in [-bound, bound)
    return s.math.mul(s.math.sub(s.math.mul(u, scalar(s, 2)), scalar(s, 1)), scalar(s, bound));
  }

  private Supplier<Operand<T>> filled(Ops s, Shape shape, double value) {
    variableIndex++;
    return () -> s.fill(s.constant(shape.asArray()), scalar(s, value));
  }
}
