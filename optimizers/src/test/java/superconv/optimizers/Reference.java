package superconv.optimizers;

/**
 * Plain double-precision implementations of the optimizers, written from the formulas of issue 4 and the thesis
 * independently of the graph code (no shared code): the yardstick of {@link OptimizerGraphTest}. Each works on the
 * flat parameter vector; every formula is per element.
 */
final class Reference {

  private Reference() {}

  /** One optimizer's state and step. {@code gNext} is only read by AdaSecant; {@code momentum} is NaN unless fed. */
  interface Stepper {
    /** Applies one step to w in place and returns the update Delta. */
    double[] step(double[] w, double[] g, double[] gNext, double lr, double momentum);

    /** The per-element rates of the last step (AdaSecant variants), else null. */
    default double[] rates() {
      return null;
    }
  }

  static final class Sgd implements Stepper {
    final double mu;
    final boolean nesterov;
    final double wd;
    double[] buffer;

    Sgd(double mu, boolean nesterov, double wd) {
      this.mu = mu;
      this.nesterov = nesterov;
      this.wd = wd;
    }

    @Override
    public double[] step(double[] w, double[] g, double[] gNext, double lr, double momentum) {
      double m = Double.isNaN(momentum) ? mu : momentum;
      boolean useBuffer = mu != 0 || !Double.isNaN(momentum);
      double[] delta = new double[w.length];
      for (int i = 0; i < w.length; i++) {
        double gi = g[i] + wd * w[i];
        double s = gi;
        if (useBuffer) {
          if (buffer == null) {
            buffer = new double[w.length];
            for (int k = 0; k < w.length; k++) {
              buffer[k] = Double.NaN; // set below on the first step, as PyTorch's clone
            }
          }
          buffer[i] = Double.isNaN(buffer[i]) ? gi : m * buffer[i] + gi;
          s = nesterov ? gi + m * buffer[i] : buffer[i];
        }
        delta[i] = -lr * s;
        w[i] = w[i] - lr * s;
      }
      return delta;
    }
  }

  static final class Adam implements Stepper {
    final double b1;
    final double b2;
    final double eps;
    final boolean correct1;
    double[] m;
    double[] v;
    int t;

    Adam(double b1, double b2, double eps, boolean correct1) {
      this.b1 = b1;
      this.b2 = b2;
      this.eps = eps;
      this.correct1 = correct1;
    }

    @Override
    public double[] step(double[] w, double[] g, double[] gNext, double lr, double momentum) {
      double beta1 = Double.isNaN(momentum) ? b1 : momentum;
      if (m == null) {
        m = new double[w.length];
        v = new double[w.length];
      }
      t++;
      double c1 = correct1 ? 1 - Math.pow(beta1, t) : 1;
      double c2 = 1 - Math.pow(b2, t);
      double[] delta = new double[w.length];
      for (int i = 0; i < w.length; i++) {
        m[i] = beta1 * m[i] + (1 - beta1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        delta[i] = -(lr / c1) * m[i] / (Math.sqrt(v[i]) / Math.sqrt(c2) + eps);
        w[i] += delta[i];
      }
      return delta;
    }
  }

  /**
   * With momentum mu: heavy ball on the step, v = mu v + alpha g (v starts at 0), w -= v; the rate's secant takes the
   * last step actually made, -v (the thesis's Delta), and the first step's -g of eq. 3.2 only as the rate's seed.
   */
  static final class SimpleAdaSecant implements Stepper {
    final double threshold;
    final double mu;
    double[] gPrev;
    double[] deltaPrev;
    double[] velocity;
    double[] alpha;

    SimpleAdaSecant(double threshold) {
      this(threshold, 0);
    }

    SimpleAdaSecant(double threshold, double mu) {
      this.threshold = threshold;
      this.mu = mu;
    }

    @Override
    public double[] step(double[] w, double[] g, double[] gNext, double lr, double momentum) {
      boolean first = gPrev == null;
      if (first) {
        gPrev = new double[w.length];
        deltaPrev = new double[w.length];
        velocity = new double[w.length];
      }
      alpha = new double[w.length];
      double[] delta = new double[w.length];
      for (int i = 0; i < w.length; i++) {
        double a = g[i] - gPrev[i];
        double dp = first ? -g[i] : deltaPrev[i];
        double r = a == 0 ? 0 : Math.abs(dp / a);
        if (r >= threshold) {
          r = 0;
        }
        alpha[i] = r;
        velocity[i] = mu * velocity[i] + r * g[i];
        delta[i] = -velocity[i];
        w[i] += delta[i];
        gPrev[i] = g[i];
        deltaPrev[i] = delta[i];
      }
      return delta;
    }

    @Override
    public double[] rates() {
      return alpha;
    }
  }

  static final class AdaSecant implements Stepper {
    double[] tau;
    double[] eg;
    double[] eg2;
    double[] num;
    double[] den;
    double[] ed;
    double[] ed2;
    double[] ead;
    double[] ea;
    double[] ea2;
    double[] gPrev;
    double[] deltaPrev;
    double[] alpha;
    boolean started;

    private static double ma(double m, double x, double tau) {
      return (1 - 1 / tau) * m + x / tau;
    }

    @Override
    public double[] step(double[] w, double[] g, double[] gNext, double lr, double momentum) {
      int n = w.length;
      boolean first = !started;
      if (first) {
        tau = new double[n];
        java.util.Arrays.fill(tau, 1.0);
        eg = new double[n];
        eg2 = new double[n];
        num = new double[n];
        den = new double[n];
        ed = new double[n];
        ed2 = new double[n];
        ead = new double[n];
        ea = new double[n];
        ea2 = new double[n];
        gPrev = new double[n];
        deltaPrev = new double[n];
        started = true;
      }
      alpha = new double[n];
      double[] delta = new double[n];
      for (int i = 0; i < n; i++) {
        double t = tau[i];
        eg[i] = ma(eg[i], g[i], t);
        eg2[i] = ma(eg2[i], g[i] * g[i], t);
        double a = first ? 0 : g[i] - gPrev[i];
        num[i] = ma(num[i], (g[i] - gNext[i]) * (g[i] - eg[i]), t);
        den[i] = ma(den[i], (g[i] - eg[i]) * (gNext[i] - eg[i]), t);
        double gamma = num[i] / (den[i] + 1e-7);
        double gt = (g[i] + gamma * eg[i]) / (1 + gamma + 1e-7);
        double dp = first ? -gt : deltaPrev[i];
        ed[i] = ma(ed[i], dp, t);
        ed2[i] = ma(ed2[i], dp * dp, t);
        ead[i] = ma(ead[i], a * dp, t);
        ea[i] = ma(ea[i], a, t);
        ea2[i] = ma(ea2[i], a * a, t);
        double r = Math.sqrt(ed2[i]) / Math.sqrt(ea2[i]) - ead[i] / ea2[i];
        if (!Double.isFinite(r)) {
          r = 0;
        }
        double nt = (1 - ed[i] * ed[i] / (ed2[i] + 1e-7)) * t + 1;
        nt = Math.min(Math.max(nt, 1.5), 1e7);
        boolean outlierG = Math.abs(g[i] - eg[i]) > 2 * Math.sqrt(Math.abs(eg2[i] - eg[i] * eg[i]));
        boolean outlierA = Math.abs(a - ea[i]) > 2 * Math.sqrt(Math.abs(ea2[i] - ea[i] * ea[i]));
        tau[i] = outlierG || outlierA ? 2.2 : nt;
        alpha[i] = r;
        delta[i] = -r * gt;
        w[i] += delta[i];
        gPrev[i] = g[i];
        deltaPrev[i] = delta[i];
      }
      return delta;
    }

    @Override
    public double[] rates() {
      return alpha;
    }
  }
}
