/*
 * SuperconvSimpleAdaSecantUpdate: Simple AdaSecant's per-element update (SimpleAdaSecantOptimizer) in one pass, in
 * place on the parameter and its two state variables:
 *
 *   a = g - g_prev;  Delta_prev = first ? -g : the previous update;  alpha = |Delta_prev / a| (0 where a = 0);
 *   alpha = 0 where alpha >= threshold;  Delta = -(alpha g);  theta += Delta;  keep g and Delta.
 *
 * With momentum mu != 0 (heavy ball): Delta = mu * previous_update - alpha g, the stored previous update being 0
 * before the first step. mu = 0 takes the first formula, so the update without momentum stays bit for bit what it
 * was.
 *
 * As TensorFlow ops that is ~20 passes over every parameter (and three copies into the state); here each element is
 * read and written once. The arithmetic is the ops', operation for operation in the variable's type.
 *
 * Inputs: the parameter, previous_gradient and previous_update (float or double ref variables of one shape), the
 * gradient g, the threshold and the momentum (scalars of the same type), "first" and "apply" (as in
 * adasecant_update.c). Output "stats", float64[3]: sum and sum of squares of the rates alpha, sum of squares of
 * the update.
 */
#include <math.h>

#include "kernel_support.h"

#define OP_NAME "SuperconvSimpleAdaSecantUpdate"

enum { VAR, PREVIOUS_GRADIENT, PREVIOUS_UPDATE, REFS };
enum { GRADIENT = REFS, THRESHOLD, MOMENTUM, FIRST, APPLY, INPUTS };

static const char* const INPUT_SPECS[INPUTS] = {
  "var: Ref(T)", "previous_gradient: Ref(T)", "previous_update: Ref(T)", "gradient: T", "threshold: T",
  "momentum: T", "first: bool", "apply: bool"
};

/* One block of at most BLOCK elements; see adasecant_update.c for why every pointer is a restrict parameter. */
#define DEFINE_BLOCK(T, NAME, FABS)                                                                                \
  static inline __attribute__((always_inline)) void NAME(int64_t n, bool first, bool apply, T threshold,          \
      T momentum, T* restrict var, T* restrict previous_gradient, T* restrict previous_update,                     \
      const T* restrict gs, T* restrict alpha_out, T* restrict delta_out) {                                        \
    for (int64_t i = 0; i < n; i++) {                                                                              \
      const T g = gs[i];                                                                                           \
      const T a = g - previous_gradient[i];                                                                        \
      const T delta_previous = first ? -g : previous_update[i];                                                    \
      const T ratio = FABS(a == (T) 0 ? (T) 0 : delta_previous / a); /* DivNoNan */                                \
      const T alpha = ratio >= threshold ? (T) 0 : ratio;                                                          \
      const T delta = momentum == (T) 0 ? -(alpha * g) : momentum * previous_update[i] - alpha * g;                \
      alpha_out[i] = alpha;                                                                                        \
      delta_out[i] = delta;                                                                                        \
      if (apply) {                                                                                                 \
        previous_gradient[i] = g;                                                                                  \
        previous_update[i] = delta;                                                                                \
        var[i] = var[i] + delta;                                                                                   \
      }                                                                                                            \
    }                                                                                                              \
  }

#define BLOCK_CALL(BLOCK_NAME, FIRST, APPLY)                                                                       \
  BLOCK_NAME(m, FIRST, APPLY, threshold, momentum, s[VAR] + start, s[PREVIOUS_GRADIENT] + start,                 \
      s[PREVIOUS_UPDATE] + start, gs + start, alpha, delta)

#define DEFINE_UPDATE(T, NAME, CALL, SUMS_ADD)                                                                     \
  __attribute__((target_clones("avx512f", "avx2", "default")))                                                    \
  static void NAME(T* const* s, const T* gs, T threshold, T momentum, int64_t n, bool first, bool apply,          \
      double* stats) {                                                                                             \
    Sums sums = {{{0}}};                                                                                           \
    T alpha[BLOCK], delta[BLOCK];                                                                                  \
    FOR_EACH_BLOCK(n, first, apply, SUMS_ADD, CALL);                                                               \
    sums_finish(&sums, stats);                                                                                     \
  }

DEFINE_BLOCK(float, block_float, fabsf)
DEFINE_BLOCK(double, block_double, fabs)
#define CALL_FLOAT(FIRST, APPLY) BLOCK_CALL(block_float, FIRST, APPLY)
#define CALL_DOUBLE(FIRST, APPLY) BLOCK_CALL(block_double, FIRST, APPLY)
DEFINE_UPDATE(float, update_float, CALL_FLOAT, sums_add_float)
DEFINE_UPDATE(double, update_double, CALL_DOUBLE, sums_add_double)

static void run_float(const UpdateInputs* in, float* const* state, bool first, bool apply, double* stats) {
  update_float(state, (const float*) TF_TensorData(in->tensors[GRADIENT]),
      *(const float*) TF_TensorData(in->tensors[THRESHOLD]), *(const float*) TF_TensorData(in->tensors[MOMENTUM]),
      in->n, first, apply, stats);
}

static void run_double(const UpdateInputs* in, double* const* state, bool first, bool apply, double* stats) {
  update_double(state, (const double*) TF_TensorData(in->tensors[GRADIENT]),
      *(const double*) TF_TensorData(in->tensors[THRESHOLD]), *(const double*) TF_TensorData(in->tensors[MOMENTUM]),
      in->n, first, apply, stats);
}

static void compute_float(void* kernel, TF_OpKernelContext* ctx) {
  run_update(ctx, OP_NAME, REFS, INPUTS, THRESHOLD, TF_FLOAT, run_float, run_double);
}

static void compute_double(void* kernel, TF_OpKernelContext* ctx) {
  run_update(ctx, OP_NAME, REFS, INPUTS, THRESHOLD, TF_DOUBLE, run_float, run_double);
}

__attribute__((constructor)) static void register_simple_adasecant_update(void) {
  register_update_op(OP_NAME, INPUT_SPECS, INPUTS, compute_float, compute_double);
}
