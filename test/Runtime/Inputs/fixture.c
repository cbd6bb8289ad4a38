/*===- fixture.c - a hand-written artifact for the bnn-run tests ----------===*\
|*                                                                            *|
|* Implements the runtime ABI of bnn-c/Runtime.h by hand, with these entries: *|
|*                                                                            *|
|*   add(f32 2x3, f32 2x3) -> f32 2x3        elementwise sum                  *|
|*   sign(f32 2x3) -> i1 2x3                 1 (meaning -1) where x < 0       *|
|*   sum(f32 2x3) -> f32 (rank 0)            sum of all elements              *|
|*   identity(f32 2x3, i1 4, ui8 5, i8 3, i32 2) -> the same, copied          *|
|*   mismatch(f32 2) -> f32 2                checks against shape [3], so it  *|
|*                                           always fails with "wrong shape"  *|
|*                                                                            *|
|* Macros build the variants of the error tests:                              *|
|*   FIXTURE_ONLY_ADD      only the `add` entry                               *|
|*   FIXTURE_ABI_VERSION   the abi_version to report                          *|
|*   FIXTURE_NO_MODULE     no bnn_module symbol                               *|
|*   FIXTURE_THREADS       exports bnn_set_num_threads, which prints N        *|
|*   FIXTURE_F64           adds an entry `f64` over f64 tensors, a dtype      *|
|*                         outside the ABI                                    *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#include "bnn-c/Runtime.h"

#include <stdio.h>
#include <string.h>

#ifndef FIXTURE_ABI_VERSION
#define FIXTURE_ABI_VERSION BNN_ABI_VERSION
#endif

static const DLDataType f32 = {kDLFloat, 32, 1};
static const DLDataType i1 = {BNN_DL_BOOL, 8, 1};
static const DLDataType ui8 = {kDLUInt, 8, 1};
static const DLDataType i8 = {kDLInt, 8, 1};
static const DLDataType i32 = {kDLInt, 32, 1};

static const int64_t shape2x3[] = {2, 3};
static const int64_t shape2[] = {2};
static const int64_t shape3[] = {3};
static const int64_t shape4[] = {4};
static const int64_t shape5[] = {5};

/* Checks one tensor against its metadata, as the ABI requires. */
static int32_t checkTensor(const DLTensor *t, const bnn_tensor_info *info) {
  if (!t || !t->data)
    return BNN_STATUS_NULL_TENSOR;
  if (t->device.device_type != kDLCPU)
    return BNN_STATUS_BAD_DEVICE;
  if (t->ndim != info->ndim)
    return BNN_STATUS_BAD_RANK;
  if (t->dtype.code != info->dtype.code || t->dtype.bits != info->dtype.bits ||
      t->dtype.lanes != info->dtype.lanes)
    return BNN_STATUS_BAD_DTYPE;
  if (t->ndim > 0 && !t->shape)
    return BNN_STATUS_NULL_TENSOR;
  for (int32_t d = 0; d < t->ndim; ++d)
    if (t->shape[d] != info->shape[d])
      return BNN_STATUS_BAD_SHAPE;
  if (t->strides) {
    int64_t expected = 1;
    for (int32_t d = t->ndim - 1; d >= 0; --d) {
      if (t->shape[d] != 1 && t->strides[d] != expected)
        return BNN_STATUS_BAD_STRIDES;
      expected *= t->shape[d];
    }
  }
  return BNN_STATUS_OK;
}

static int32_t checkAll(DLTensor *const *inputs, int32_t numInputs,
                        const bnn_tensor_info *inputInfo,
                        DLTensor *const *outputs, int32_t numOutputs,
                        const bnn_tensor_info *outputInfo) {
  if (!inputs || !outputs)
    return BNN_STATUS_NULL_TENSOR;
  for (int32_t i = 0; i < numInputs; ++i) {
    int32_t status = checkTensor(inputs[i], &inputInfo[i]);
    if (status != BNN_STATUS_OK)
      return status;
  }
  for (int32_t i = 0; i < numOutputs; ++i) {
    int32_t status = checkTensor(outputs[i], &outputInfo[i]);
    if (status != BNN_STATUS_OK)
      return status;
  }
  return BNN_STATUS_OK;
}

static void *dataOf(const DLTensor *t) {
  return (char *)t->data + t->byte_offset;
}

/* add */
static const bnn_tensor_info addInputs[] = {{2, f32, shape2x3},
                                            {2, f32, shape2x3}};
static const bnn_tensor_info addOutputs[] = {{2, f32, shape2x3}};

int32_t bnn_entry_add(DLTensor *const *inputs, DLTensor *const *outputs) {
  int32_t status = checkAll(inputs, 2, addInputs, outputs, 1, addOutputs);
  if (status != BNN_STATUS_OK)
    return status;
  const float *a = dataOf(inputs[0]), *b = dataOf(inputs[1]);
  float *c = dataOf(outputs[0]);
  for (int i = 0; i < 6; ++i)
    c[i] = a[i] + b[i];
  return BNN_STATUS_OK;
}

#ifndef FIXTURE_ONLY_ADD
/* sign */
static const bnn_tensor_info signInputs[] = {{2, f32, shape2x3}};
static const bnn_tensor_info signOutputs[] = {{2, i1, shape2x3}};

int32_t bnn_entry_sign(DLTensor *const *inputs, DLTensor *const *outputs) {
  int32_t status = checkAll(inputs, 1, signInputs, outputs, 1, signOutputs);
  if (status != BNN_STATUS_OK)
    return status;
  const float *x = dataOf(inputs[0]);
  uint8_t *y = dataOf(outputs[0]);
  for (int i = 0; i < 6; ++i)
    y[i] = x[i] < 0.0f;
  return BNN_STATUS_OK;
}

/* sum */
static const bnn_tensor_info sumInputs[] = {{2, f32, shape2x3}};
static const bnn_tensor_info sumOutputs[] = {{0, f32, NULL}};

int32_t bnn_entry_sum(DLTensor *const *inputs, DLTensor *const *outputs) {
  int32_t status = checkAll(inputs, 1, sumInputs, outputs, 1, sumOutputs);
  if (status != BNN_STATUS_OK)
    return status;
  const float *x = dataOf(inputs[0]);
  float s = 0.0f;
  for (int i = 0; i < 6; ++i)
    s += x[i];
  *(float *)dataOf(outputs[0]) = s;
  return BNN_STATUS_OK;
}

/* identity */
static const bnn_tensor_info identityTensors[] = {{2, f32, shape2x3},
                                                  {1, i1, shape4},
                                                  {1, ui8, shape5},
                                                  {1, i8, shape3},
                                                  {1, i32, shape2}};
static const size_t identityBytes[] = {24, 4, 5, 3, 8};

int32_t bnn_entry_identity(DLTensor *const *inputs, DLTensor *const *outputs) {
  int32_t status = checkAll(inputs, 5, identityTensors, outputs, 5,
                            identityTensors);
  if (status != BNN_STATUS_OK)
    return status;
  for (int i = 0; i < 5; ++i)
    memcpy(dataOf(outputs[i]), dataOf(inputs[i]), identityBytes[i]);
  return BNN_STATUS_OK;
}

/* mismatch: the metadata says shape [2], the checks expect [3]. */
static const bnn_tensor_info mismatchInfo[] = {{1, f32, shape2}};
static const bnn_tensor_info mismatchChecked[] = {{1, f32, shape3}};

int32_t bnn_entry_mismatch(DLTensor *const *inputs, DLTensor *const *outputs) {
  int32_t status =
      checkAll(inputs, 1, mismatchChecked, outputs, 1, mismatchChecked);
  if (status != BNN_STATUS_OK)
    return status;
  memcpy(dataOf(outputs[0]), dataOf(inputs[0]), 12);
  return BNN_STATUS_OK;
}
#endif

#ifdef FIXTURE_F64
static const DLDataType f64 = {kDLFloat, 64, 1};
static const bnn_tensor_info f64Info[] = {{1, f64, shape2}};

int32_t bnn_entry_f64(DLTensor *const *inputs, DLTensor *const *outputs) {
  (void)inputs;
  (void)outputs;
  return BNN_STATUS_BAD_DTYPE;
}
#endif

/* The entries need no workspace: their workspace entry points ignore it. */
#define WORKSPACE_ENTRY(name)                                                  \
  int32_t bnn_workspace_entry_##name(DLTensor *const *inputs,                  \
                                     DLTensor *const *outputs,                 \
                                     void *workspace, int64_t bytes) {         \
    (void)workspace;                                                           \
    (void)bytes;                                                               \
    return bnn_entry_##name(inputs, outputs);                                  \
  }
WORKSPACE_ENTRY(add)
#ifndef FIXTURE_ONLY_ADD
WORKSPACE_ENTRY(sign)
WORKSPACE_ENTRY(sum)
WORKSPACE_ENTRY(identity)
WORKSPACE_ENTRY(mismatch)
#endif
#ifdef FIXTURE_F64
WORKSPACE_ENTRY(f64)
#endif

#define ENTRY(name, inputs, outputs, inputInfo, outputInfo)                    \
  {#name,     bnn_entry_##name, inputs, outputs, inputInfo, outputInfo, 0,     \
   bnn_workspace_entry_##name}

static const bnn_entry_info entries[] = {
    ENTRY(add, 2, 1, addInputs, addOutputs),
#ifndef FIXTURE_ONLY_ADD
    ENTRY(sign, 1, 1, signInputs, signOutputs),
    ENTRY(sum, 1, 1, sumInputs, sumOutputs),
    ENTRY(identity, 5, 5, identityTensors, identityTensors),
    ENTRY(mismatch, 1, 1, mismatchInfo, mismatchInfo),
#endif
#ifdef FIXTURE_F64
    ENTRY(f64, 1, 1, f64Info, f64Info),
#endif
};

static const bnn_module_info module = {
    FIXTURE_ABI_VERSION, (int32_t)(sizeof(entries) / sizeof(entries[0])),
    entries};

#ifndef FIXTURE_NO_MODULE
const bnn_module_info *bnn_module(void) { return &module; }
#else
const bnn_module_info *not_bnn_module(void) { return &module; }
#endif

#ifdef FIXTURE_THREADS
void bnn_set_num_threads(int32_t n) {
  fprintf(stderr, "fixture: bnn_set_num_threads(%d)\n", (int)n);
}
#endif
