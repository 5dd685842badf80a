/*
 * SuperconvAdaSecantUpdate: AdaSecant's whole per-element update (AdaSecantOptimizer's steps 1-10) in one pass over
 * memory, in place on the parameter and its twelve state variables.
 *
 * Built from TensorFlow ops the update is about a hundred elementwise kernels, each streaming whole tensors through
 * memory; on a CPU that made an AdaSecant step 2.5x an SGD step where the two forward/backward passes alone cost
 * 1.9x. Here every element is read once and written once, in vectorized blocks. The arithmetic is the ops'
 * arithmetic as AdaSecantOptimizer writes it, operation for operation in the variable's own type (correctly rounded
 * division and sqrt, no fused multiply-adds: built with -ffp-contract=off). The two paths still round differently
 * where grappler rewrites the ops (Reciprocal, Square), and AdaSecant's ratios amplify that: over 14 adversarial
 * steps they agree to 1e-10 in float64, and in float32 the kernel stays as close to the float64 result as the ops
 * do (NativeKernelsTest).
 *
 * Inputs: thirteen float or double ref variables of one shape (the parameter, then its state in the order of the enum below),
 * the gradients g and g' of the step's two batches, "first" (the optimizer's first step) and "apply" (false: a
 * loss-scaled step whose gradients overflowed; compute, write nothing). Output "stats", float64[3]: the sum and the
 * sum of squares of the per-element rates alpha, and the sum of squares of the update, for the diagnostics.
 */
#include <math.h>

#include "kernel_support.h"

#define OP_NAME "SuperconvAdaSecantUpdate"

enum {
  VAR, TAU, MEAN_G, MEAN_G2, NUMERATOR, DENOMINATOR, MEAN_DELTA, MEAN_DELTA2, MEAN_A_DELTA, MEAN_A, MEAN_A2,
  PREVIOUS_GRADIENT, PREVIOUS_UPDATE, REFS
};
enum { GRADIENT = REFS, NEXT_GRADIENT, FIRST, APPLY, INPUTS };

static const char* const INPUT_SPECS[INPUTS] = {
  "var: Ref(T)", "tau: Ref(T)", "mean_g: Ref(T)", "mean_g2: Ref(T)", "numerator: Ref(T)", "denominator: Ref(T)",
  "mean_delta: Ref(T)", "mean_delta2: Ref(T)", "mean_a_delta: Ref(T)", "mean_a: Ref(T)", "mean_a2: Ref(T)",
  "previous_gradient: Ref(T)", "previous_update: Ref(T)", "gradient: T", "next_gradient: T", "first: bool",
  "apply: bool"
};
/* Maximum and minimum as Eigen's scalar ops compute them (a NaN first argument passes through). */
#define MAXIMUM(a, b) ((a) < (b) ? (b) : (a))
#define MINIMUM(a, b) ((b) < (a) ? (b) : (a))

/*
 * The update of elements [0, n) of one block, n <= BLOCK, keeping every rate and update in alpha_out / delta_out.
 * Every pointer is its own restrict parameter so that the compiler can vectorize without alias checks; `first` and
 * `apply` are constants at every call (see FOR_EACH_BLOCK), the per-element branches become selects. T is float or double,
 * SQRT and FABS the functions of that type (IEEE: correctly rounded, as TensorFlow's own kernels).
 */
#define DEFINE_BLOCK(T, NAME, SQRT, FABS)                                                                          \
  static inline __attribute__((always_inline)) void NAME(int64_t n, bool first, bool apply,                       \
      T* restrict var, T* restrict tau_, T* restrict mean_g_, T* restrict mean_g2_, T* restrict numerator_,         \
      T* restrict denominator_, T* restrict mean_delta_, T* restrict mean_delta2_, T* restrict mean_a_delta_,       \
      T* restrict mean_a_, T* restrict mean_a2_, T* restrict previous_gradient, T* restrict previous_update,        \
      const T* restrict gs, const T* restrict gns, T* restrict alpha_out, T* restrict delta_out) {                 \
    const T one = (T) 1.0, two = (T) 2.0, tiny = (T) 1e-7, low = (T) 1.5, high = (T) 1e7, reset = (T) 2.2;      \
    for (int64_t i = 0; i < n; i++) {                                                                              \
      const T tau = tau_[i], g = gs[i], gn = gns[i];                                                               \
      const T keep = one - one / tau;                                                                              \
      const T mean_g = keep * mean_g_[i] + g / tau;                                                                \
      const T mean_g2 = keep * mean_g2_[i] + (g * g) / tau;                                                        \
      const T a = first ? (T) 0 : g - previous_gradient[i];                                                        \
      const T centred = g - mean_g;                                                                                \
      const T numerator = keep * numerator_[i] + ((g - gn) * centred) / tau;                                       \
      const T denominator = keep * denominator_[i] + (centred * (gn - mean_g)) / tau;                              \
      const T gamma = numerator / (denominator + tiny);                                                            \
      const T corrected = (g + gamma * mean_g) / ((one + gamma) + tiny);                                           \
      const T delta_previous = first ? -corrected : previous_update[i];                                            \
      const T mean_delta = keep * mean_delta_[i] + delta_previous / tau;                                           \
      const T mean_delta2 = keep * mean_delta2_[i] + (delta_previous * delta_previous) / tau;                      \
      const T mean_a_delta = keep * mean_a_delta_[i] + (a * delta_previous) / tau;                                 \
      const T mean_a = keep * mean_a_[i] + a / tau;                                                                \
      const T mean_a2 = keep * mean_a2_[i] + (a * a) / tau;                                                        \
      const T ratio = SQRT(mean_delta2) / SQRT(mean_a2) - mean_a_delta / mean_a2;                                  \
      const T alpha = FABS(ratio) < (T) INFINITY ? ratio : (T) 0; /* isfinite: false for +-inf and NaN */              \
      T new_tau = (one - (mean_delta * mean_delta) / (mean_delta2 + tiny)) * tau + one;                            \
      new_tau = MINIMUM(MAXIMUM(new_tau, low), high);                                                              \
      const bool outlier_g = FABS(centred) > two * SQRT(FABS(mean_g2 - mean_g * mean_g));                          \
      const bool outlier_a = FABS(a - mean_a) > two * SQRT(FABS(mean_a2 - mean_a * mean_a));                       \
      new_tau = outlier_g | outlier_a ? reset : new_tau;                                                           \
      const T delta = -(alpha * corrected);                                                                        \
      alpha_out[i] = alpha;                                                                                        \
      delta_out[i] = delta;                                                                                        \
      if (apply) {                                                                                                 \
        mean_g_[i] = mean_g;                                                                                       \
        mean_g2_[i] = mean_g2;                                                                                     \
        numerator_[i] = numerator;                                                                                 \
        denominator_[i] = denominator;                                                                             \
        mean_delta_[i] = mean_delta;                                                                               \
        mean_delta2_[i] = mean_delta2;                                                                             \
        mean_a_delta_[i] = mean_a_delta;                                                                           \
        mean_a_[i] = mean_a;                                                                                       \
        mean_a2_[i] = mean_a2;                                                                                     \
        tau_[i] = new_tau;                                                                                         \
        previous_gradient[i] = g;                                                                                  \
        previous_update[i] = delta;                                                                                \
        var[i] = var[i] + delta;                                                                                   \
      }                                                                                                            \
    }                                                                                                              \
  }

#define BLOCK_CALL(BLOCK_NAME, FIRST, APPLY)                                                                       \
  BLOCK_NAME(m, FIRST, APPLY, s[VAR] + start, s[TAU] + start, s[MEAN_G] + start, s[MEAN_G2] + start,               \
      s[NUMERATOR] + start, s[DENOMINATOR] + start, s[MEAN_DELTA] + start, s[MEAN_DELTA2] + start,                 \
      s[MEAN_A_DELTA] + start, s[MEAN_A] + start, s[MEAN_A2] + start, s[PREVIOUS_GRADIENT] + start,                \
      s[PREVIOUS_UPDATE] + start, gs + start, gns + start, alpha, delta)

/*
 * The whole tensor, block by block, and the diagnostics' sums in double. Cloned for AVX-512, AVX2 and baseline
 * x86-64; the loader picks the best the CPU has.
 */
#define DEFINE_UPDATE(T, NAME, CALL, SUMS_ADD)                                                                     \
  __attribute__((target_clones("avx512f", "avx2", "default")))                                                    \
  static void NAME(T* const* s, const T* gs, const T* gns, int64_t n, bool first, bool apply, double* stats) {    \
    Sums sums = {{{0}}};                                                                                           \
    T alpha[BLOCK], delta[BLOCK];                                                                                  \
    FOR_EACH_BLOCK(n, first, apply, SUMS_ADD, CALL);                                                               \
    sums_finish(&sums, stats);                                                                                     \
  }

DEFINE_BLOCK(float, block_float, sqrtf, fabsf)
DEFINE_BLOCK(double, block_double, sqrt, fabs)
#define CALL_FLOAT(FIRST, APPLY) BLOCK_CALL(block_float, FIRST, APPLY)
#define CALL_DOUBLE(FIRST, APPLY) BLOCK_CALL(block_double, FIRST, APPLY)
DEFINE_UPDATE(float, update_float, CALL_FLOAT, sums_add_float)
DEFINE_UPDATE(double, update_double, CALL_DOUBLE, sums_add_double)

static void run_float(const UpdateInputs* in, float* const* state, bool first, bool apply, double* stats) {
  update_float(state, (const float*) TF_TensorData(in->tensors[GRADIENT]),
      (const float*) TF_TensorData(in->tensors[NEXT_GRADIENT]), in->n, first, apply, stats);
}

static void run_double(const UpdateInputs* in, double* const* state, bool first, bool apply, double* stats) {
  update_double(state, (const double*) TF_TensorData(in->tensors[GRADIENT]),
      (const double*) TF_TensorData(in->tensors[NEXT_GRADIENT]), in->n, first, apply, stats);
}

static void compute_float(void* kernel, TF_OpKernelContext* ctx) {
  run_update(ctx, OP_NAME, REFS, INPUTS, FIRST, TF_FLOAT, run_float, run_double);
}

static void compute_double(void* kernel, TF_OpKernelContext* ctx) {
  run_update(ctx, OP_NAME, REFS, INPUTS, FIRST, TF_DOUBLE, run_float, run_double);
}

__attribute__((constructor)) static void register_adasecant_update(void) {
  register_update_op(OP_NAME, INPUT_SPECS, INPUTS, compute_float, compute_double);
}
