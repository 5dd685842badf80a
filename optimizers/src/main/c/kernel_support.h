/*
 * What superconv's fused optimizer-update kernels share: fetching a kernel's inputs (the parameter and its state as
 * ref variables, then plain tensors), the float64[3] diagnostics output (sum and sum of squares of the per-element
 * rates, sum of squares of the update) and its blocked summation, and registering an op with its CPU kernels.
 */
#ifndef SUPERCONV_KERNEL_SUPPORT_H_
#define SUPERCONV_KERNEL_SUPPORT_H_

#include "tf_kernel_api.h"

#define MAX_INPUTS 24
/* Elements per block: a block's rates and updates stay in L1 until they are summed. */
#define BLOCK 512
/* Independent partial sums per diagnostic, so that summing does not serialize on one addition chain. */
#define LANES 8

typedef struct {
  TF_Tensor* tensors[MAX_INPUTS];
  int count;
  int64_t n; /* elements of the parameter (input 0) */
} UpdateInputs;

/* An update of one type: given the op's inputs, the state buffers (parameter first), its flags and the sums' output. */
typedef void (*UpdateFloat)(const UpdateInputs* in, float* const* state, bool first, bool apply, double* stats);
typedef void (*UpdateDouble)(const UpdateInputs* in, double* const* state, bool first, bool apply, double* stats);

/*
 * One run of an update kernel: fetches the inputs (refs ref variables, then plain ones ending with the flags "first"
 * and "apply"; the first `same` checked against the parameter), allocates the diagnostics output and calls the update
 * of `type`. Failures are reported to the context; everything fetched is freed.
 */
void run_update(TF_OpKernelContext* ctx, const char* op, int refs, int inputs, int same, TF_DataType type,
    UpdateFloat update_float, UpdateDouble update_double);

/*
 * Registers `op` with attr "T: {float, double}", the given input specs, one output "stats: double" of shape [3], as
 * stateful, and its float and double CPU kernels.
 */
void register_update_op(const char* op, const char* const* input_specs, int count,
    void (*compute_float)(void*, TF_OpKernelContext*), void (*compute_double)(void*, TF_OpKernelContext*));

typedef struct {
  double lanes[3][LANES];
} Sums;

#define DEFINE_SUMS_ADD(T, NAME)                                                                                   \
  static inline void NAME(Sums* sums, const T* rates, const T* updates, int64_t n) {                              \
    for (int64_t i = 0; i < n; i++) {                                                                              \
      const double r = rates[i], d = updates[i];                                                                   \
      sums->lanes[0][i % LANES] += r;                                                                              \
      sums->lanes[1][i % LANES] += r * r;                                                                          \
      sums->lanes[2][i % LANES] += d * d;                                                                          \
    }                                                                                                              \
  }
DEFINE_SUMS_ADD(float, sums_add_float)
DEFINE_SUMS_ADD(double, sums_add_double)

/*
 * The loop of an update over n elements: block by block, BLOCK_CALL(FIRST, APPLY) with both flags constant (each
 * combination compiles to its own branch-free, vectorized loop), then the block's rates and updates added to the
 * diagnostics. BLOCK_CALL sees `start` and `m` (the block's first element and length) and writes the block's rates
 * and updates to `alpha` and `delta` (T[BLOCK] arrays of the caller, beside a Sums `sums`).
 */
#define FOR_EACH_BLOCK(n, first, apply, SUMS_ADD, BLOCK_CALL)                                                      \
  for (int64_t start = 0; start < (n); start += BLOCK) {                                                           \
    const int64_t m = (n) - start < BLOCK ? (n) - start : BLOCK;                                                   \
    if ((first) && (apply)) BLOCK_CALL(true, true);                                                                \
    else if (apply) BLOCK_CALL(false, true);                                                                       \
    else if (first) BLOCK_CALL(true, false);                                                                       \
    else BLOCK_CALL(false, false);                                                                                 \
    SUMS_ADD(&sums, alpha, delta, m);                                                                              \
  }

static inline void sums_finish(const Sums* sums, double* stats) {
  for (int k = 0; k < 3; k++) {
    stats[k] = 0;
    for (int lane = 0; lane < LANES; lane++) {
      stats[k] += sums->lanes[k][lane];
    }
  }
}

#endif
