/*
 * The part of TensorFlow's C kernel and op-definition API (tensorflow/c/kernels.h, kernels_experimental.h, ops.h,
 * tf_tensor.h, tf_status.h) that superconv's kernels use, declared here because TensorFlow Java ships the shared
 * libraries but not the headers. These are stable extern "C" entry points of libtensorflow_framework.so.2; the
 * declarations follow TensorFlow 2.18's headers exactly.
 */
#ifndef SUPERCONV_TF_KERNEL_API_H_
#define SUPERCONV_TF_KERNEL_API_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum TF_DataType { TF_FLOAT = 1, TF_DOUBLE = 2, TF_BOOL = 10 } TF_DataType;
typedef enum TF_Code { TF_OK = 0, TF_INVALID_ARGUMENT = 3 } TF_Code;

typedef struct TF_Status TF_Status;
typedef struct TF_Tensor TF_Tensor;
typedef struct TF_KernelBuilder TF_KernelBuilder;
typedef struct TF_OpKernelConstruction TF_OpKernelConstruction;
typedef struct TF_OpKernelContext TF_OpKernelContext;
typedef struct TF_OpDefinitionBuilder TF_OpDefinitionBuilder;
typedef struct TF_ShapeInferenceContext TF_ShapeInferenceContext;
typedef struct TF_ShapeHandle TF_ShapeHandle;

TF_Status* TF_NewStatus(void);
void TF_DeleteStatus(TF_Status*);
TF_Code TF_GetCode(const TF_Status*);
void TF_SetStatus(TF_Status*, TF_Code, const char*);

TF_DataType TF_TensorType(const TF_Tensor*);
int64_t TF_TensorElementCount(const TF_Tensor*);
void* TF_TensorData(const TF_Tensor*);
void TF_DeleteTensor(TF_Tensor*);

TF_OpDefinitionBuilder* TF_NewOpDefinitionBuilder(const char* op_name);
void TF_OpDefinitionBuilderAddAttr(TF_OpDefinitionBuilder*, const char* attr_spec);
void TF_OpDefinitionBuilderAddInput(TF_OpDefinitionBuilder*, const char* input_spec);
void TF_OpDefinitionBuilderAddOutput(TF_OpDefinitionBuilder*, const char* output_spec);
void TF_OpDefinitionBuilderSetIsStateful(TF_OpDefinitionBuilder*, bool is_stateful);
void TF_OpDefinitionBuilderSetShapeInferenceFunction(
    TF_OpDefinitionBuilder*, void (*shape_inference_func)(TF_ShapeInferenceContext*, TF_Status*));
void TF_RegisterOpDefinition(TF_OpDefinitionBuilder*, TF_Status*);
TF_ShapeHandle* TF_ShapeInferenceContextVectorFromSize(TF_ShapeInferenceContext*, size_t size);
void TF_ShapeInferenceContextSetOutput(TF_ShapeInferenceContext*, int i, TF_ShapeHandle*, TF_Status*);
void TF_DeleteShapeHandle(TF_ShapeHandle*);

TF_KernelBuilder* TF_NewKernelBuilder(const char* op_name, const char* device_name,
    void* (*create_func)(TF_OpKernelConstruction*), void (*compute_func)(void*, TF_OpKernelContext*),
    void (*delete_func)(void*));
void TF_KernelBuilder_TypeConstraint(TF_KernelBuilder*, const char* attr_name, TF_DataType, TF_Status*);
void TF_RegisterKernelBuilder(const char* kernel_name, TF_KernelBuilder*, TF_Status*);
void TF_DeleteKernelBuilder(TF_KernelBuilder*);

int TF_NumInputs(TF_OpKernelContext*);
void TF_GetInput(TF_OpKernelContext*, int i, TF_Tensor**, TF_Status*);
void TF_GetInputTensorFromVariable(TF_OpKernelContext*, int input, bool lock_held, bool isVariantType, bool sparse,
    void (*copyFunc)(TF_OpKernelContext*, TF_Tensor* source, TF_Tensor* dest), TF_Tensor** out, TF_Status*);
TF_Tensor* TF_AllocateOutput(TF_OpKernelContext*, int index, TF_DataType, const int64_t* dims, int num_dims,
    size_t len, TF_Status*);
void TF_OpKernelContext_Failure(TF_OpKernelContext*, TF_Status*);

#endif
