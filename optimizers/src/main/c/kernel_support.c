#include "kernel_support.h"

#include <stdio.h>

/*
 * Fetches inputs [0, refs) as ref variables (their buffers, to update in place) and [refs, inputs) as tensors, and
 * checks that inputs [0, same) have the parameter's element count and `type`. On failure it reports to the context
 * and returns false; release_update_inputs frees what was fetched either way.
 */
static bool fetch_update_inputs(TF_OpKernelContext* ctx, TF_Status* status, const char* op, int refs, int inputs, int same,
    TF_DataType type, UpdateInputs* in) {
  in->count = 0;
  in->n = 0;
  for (; in->count < inputs; in->count++) {
    TF_Tensor** slot = &in->tensors[in->count];
    if (in->count < refs) {
      /* Reports its own failures to the context. */
      TF_GetInputTensorFromVariable(ctx, in->count, false, false, false, NULL, slot, status);
      if (TF_GetCode(status) != TF_OK) {
        return false;
      }
    } else {
      TF_GetInput(ctx, in->count, slot, status);
      if (TF_GetCode(status) != TF_OK) {
        TF_OpKernelContext_Failure(ctx, status);
        return false;
      }
    }
  }
  in->n = TF_TensorElementCount(in->tensors[0]);
  for (int i = 0; i < same; i++) {
    const TF_Tensor* t = in->tensors[i];
    if (TF_TensorElementCount(t) != in->n || TF_TensorType(t) != type) {
      char message[200];
      snprintf(message, sizeof message, "%s: input %d has %lld elements of type %d, the parameter %lld of type %d", op,
          i, (long long) TF_TensorElementCount(t), (int) TF_TensorType(t), (long long) in->n, (int) type);
      TF_SetStatus(status, TF_INVALID_ARGUMENT, message);
      TF_OpKernelContext_Failure(ctx, status);
      return false;
    }
  }
  return true;
}

static void release_update_inputs(UpdateInputs* in) {
  for (int i = 0; i < in->count; i++) {
    TF_DeleteTensor(in->tensors[i]);
  }
  in->count = 0;
}

/* The op's output 0, float64[3]; NULL after reporting a failure. The caller deletes *stats. */
static double* allocate_stats(TF_OpKernelContext* ctx, TF_Status* status, TF_Tensor** stats) {
  const int64_t dims[1] = {3};
  *stats = TF_AllocateOutput(ctx, 0, TF_DOUBLE, dims, 1, 3 * sizeof(double), status);
  if (TF_GetCode(status) != TF_OK) {
    TF_OpKernelContext_Failure(ctx, status);
    *stats = NULL;
    return NULL;
  }
  return (double*) TF_TensorData(*stats);
}

void run_update(TF_OpKernelContext* ctx, const char* op, int refs, int inputs, int same, TF_DataType type,
    UpdateFloat update_float, UpdateDouble update_double) {
  TF_Status* status = TF_NewStatus();
  UpdateInputs in;
  TF_Tensor* stats = NULL;
  double* out;
  if (fetch_update_inputs(ctx, status, op, refs, inputs, same, type, &in)
      && (out = allocate_stats(ctx, status, &stats)) != NULL) {
    const bool first = *(const bool*) TF_TensorData(in.tensors[inputs - 2]);
    const bool apply = *(const bool*) TF_TensorData(in.tensors[inputs - 1]);
    if (type == TF_FLOAT) {
      float* state[MAX_INPUTS];
      for (int i = 0; i < refs; i++) {
        state[i] = (float*) TF_TensorData(in.tensors[i]);
      }
      update_float(&in, state, first, apply, out);
    } else {
      double* state[MAX_INPUTS];
      for (int i = 0; i < refs; i++) {
        state[i] = (double*) TF_TensorData(in.tensors[i]);
      }
      update_double(&in, state, first, apply, out);
    }
  }
  if (stats != NULL) {
    TF_DeleteTensor(stats);
  }
  release_update_inputs(&in);
  TF_DeleteStatus(status);
}

static void stats_shape(TF_ShapeInferenceContext* ctx, TF_Status* status) {
  TF_ShapeHandle* shape = TF_ShapeInferenceContextVectorFromSize(ctx, 3);
  TF_ShapeInferenceContextSetOutput(ctx, 0, shape, status);
  TF_DeleteShapeHandle(shape);
}

static void register_kernel(const char* op, TF_DataType type, void (*compute)(void*, TF_OpKernelContext*),
    TF_Status* status) {
  TF_KernelBuilder* builder = TF_NewKernelBuilder(op, "CPU", NULL, compute, NULL);
  TF_KernelBuilder_TypeConstraint(builder, "T", type, status);
  if (TF_GetCode(status) == TF_OK) {
    TF_RegisterKernelBuilder(op, builder, status); /* takes the builder */
  } else {
    TF_DeleteKernelBuilder(builder);
  }
}

void register_update_op(const char* op, const char* const* input_specs, int count,
    void (*compute_float)(void*, TF_OpKernelContext*), void (*compute_double)(void*, TF_OpKernelContext*)) {
  TF_Status* status = TF_NewStatus();
  TF_OpDefinitionBuilder* builder = TF_NewOpDefinitionBuilder(op);
  TF_OpDefinitionBuilderAddAttr(builder, "T: {float, double}");
  for (int i = 0; i < count; i++) {
    TF_OpDefinitionBuilderAddInput(builder, input_specs[i]);
  }
  TF_OpDefinitionBuilderAddOutput(builder, "stats: double");
  TF_OpDefinitionBuilderSetIsStateful(builder, true);
  TF_OpDefinitionBuilderSetShapeInferenceFunction(builder, stats_shape);
  TF_RegisterOpDefinition(builder, status);
  if (TF_GetCode(status) == TF_OK) {
    register_kernel(op, TF_FLOAT, compute_float, status);
  }
  if (TF_GetCode(status) == TF_OK) {
    register_kernel(op, TF_DOUBLE, compute_double, status);
  }
  if (TF_GetCode(status) != TF_OK) {
    fprintf(stderr, "%s: registration failed (code %d)\n", op, (int) TF_GetCode(status));
  }
  TF_DeleteStatus(status);
}
