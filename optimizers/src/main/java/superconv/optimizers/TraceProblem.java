package superconv.optimizers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * A small problem to watch an optimizer on ({@code superconv trace}): least squares on the batches of a data set, or
 * a built-in 2-D test function. The parameters are one vector variable w.
 */
public sealed interface TraceProblem permits TraceProblem.Data, TraceProblem.Function {

  /** The number of parameters d. */
  int dimensions();

  /** The parameters at step 0. */
  double[] start();

  /**
   * Least squares on rows {@code x1..xd, y}: batch k is rows [kB, (k+1)B) taken cyclically (the row count is a
   * multiple of B) and loss_k(w) = sum((X_k w - y_k)^2) / (2B); AdaSecant's next batch is k+1. w starts at 0.
   */
  record Data(double[][] x, double[] y, int batch) implements TraceProblem {
    public Data {
      if (x.length == 0 || x.length != y.length) {
        throw new IllegalArgumentException("data: " + x.length + " rows of features but " + y.length + " targets");
      }
      if (batch <= 0 || x.length % batch != 0) {
        throw new IllegalArgumentException(String.format(
            "--batch %d is not allowed: expected a divisor of the row count %d", batch, x.length));
      }
      int d = x[0].length;
      for (int i = 0; i < x.length; i++) {
        if (x[i].length != d) {
          throw new IllegalArgumentException("data row " + (i + 1) + " has " + (x[i].length + 1)
              + " columns but row 1 has " + (d + 1));
        }
      }
    }

    @Override
    public int dimensions() {
      return x[0].length;
    }

    @Override
    public double[] start() {
      return new double[dimensions()];
    }

    /** The number of distinct batches. */
    public int batches() {
      return x.length / batch;
    }
  }

  /** A 2-D test function f(w1, w2) started at {@code start}; there is no data, so the "next batch" is the same f. */
  record Function(Kind kind, double[] start) implements TraceProblem {

    /** The built-in functions and their minima. */
    public enum Kind {
      /** (1 - x)^2 + 100 (y - x^2)^2, minimum 0 at (1, 1). */
      ROSENBROCK,
      /** (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2, minimum 0 at (3, 0.5). */
      BEALE,
      /** x^2 + 10 y^2, minimum 0 at (0, 0): an ill-conditioned bowl. */
      QUADRATIC;

      /** f at (x, y) in plain Java, for plots and tests. */
      public double value(double x, double y) {
        return switch (this) {
          case ROSENBROCK -> (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
          case BEALE -> sq(1.5 - x + x * y) + sq(2.25 - x + x * y * y) + sq(2.625 - x + x * y * y * y);
          case QUADRATIC -> x * x + 10 * y * y;
        };
      }

      private static double sq(double v) {
        return v * v;
      }

      <T extends TFloating> Operand<T> graph(Ops tf, Operand<T> x, Operand<T> y, Class<T> type) {
        java.util.function.DoubleFunction<Operand<T>> c = v -> tf.dtypes.cast(tf.constant(v), type);
        return switch (this) {
          case ROSENBROCK -> tf.math.add(tf.math.square(tf.math.sub(c.apply(1), x)),
              tf.math.mul(c.apply(100), tf.math.square(tf.math.sub(y, tf.math.square(x)))));
          case BEALE -> {
            Operand<T> y2 = tf.math.mul(y, y);
            Operand<T> y3 = tf.math.mul(y2, y);
            List<Operand<T>> terms = List.of(
                tf.math.square(tf.math.add(tf.math.sub(c.apply(1.5), x), tf.math.mul(x, y))),
                tf.math.square(tf.math.add(tf.math.sub(c.apply(2.25), x), tf.math.mul(x, y2))),
                tf.math.square(tf.math.add(tf.math.sub(c.apply(2.625), x), tf.math.mul(x, y3))));
            yield tf.math.addN(terms);
          }
          case QUADRATIC -> tf.math.add(tf.math.square(x), tf.math.mul(c.apply(10), tf.math.square(y)));
        };
      }
    }

    public Function {
      if (start.length != 2) {
        throw new IllegalArgumentException("--start needs 2 coordinates x,y for a 2-D function, got " + start.length);
      }
      start = start.clone();
    }

    @Override
    public int dimensions() {
      return 2;
    }

    @Override
    public double[] start() {
      return start.clone();
    }
  }
}
