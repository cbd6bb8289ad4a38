/*===- bnn-c/Runtime.h - ABI of compiled bnn artifacts ------------*- C -*-===*\
|*                                                                            *|
|* Every object file or shared library produced by bnn-compile exports:       *|
|*                                                                            *|
|*   const bnn_module_info *bnn_module(void);                                 *|
|*     Metadata: every entry point with its name, arity, shapes and dtypes.   *|
|*                                                                            *|
|*   int32_t bnn_entry_<name>(DLTensor *const *inputs,                        *|
|*                            DLTensor *const *outputs);                      *|
|*     One per public func.func <name> of the model. `inputs` holds one      *|
|*     tensor per function argument, `outputs` one per function result, in   *|
|*     order; the caller allocates the outputs with the shapes and dtypes     *|
|*     the metadata reports. Returns BNN_STATUS_OK (0) or a bnn_status code  *|
|*     naming what was wrong; on error no output has been written.           *|
|*                                                                            *|
|*   int32_t bnn_workspace_entry_<name>(DLTensor *const *inputs,              *|
|*                                      DLTensor *const *outputs,             *|
|*                                      void *workspace, int64_t bytes);     *|
|*     The same with the call's temporaries in `workspace` (64-byte aligned, *|
|*     at least bnn_entry_info.workspace_bytes), which the caller owns; NULL  *|
|*     for the artifact's own, as bnn_entry_<name> does.                     *|
|*                                                                            *|
|* Tensors are CPU DLTensors (device kDLCPU) with compact row-major layout   *|
|* (strides NULL or equal to the row-major strides); `byte_offset` is        *|
|* honoured. Element types:                                                   *|
|*                                                                            *|
|*   model type   DLDataType            storage                              *|
|*   f32          {kDLFloat, 32, 1}     IEEE binary32                         *|
|*   i1 (binary)  {BNN_DL_BOOL, 8, 1}   one byte per value, 1 means -1       *|
|*   ui1 .. ui8   {kDLUInt, 8, 1}       one byte per value, within range     *|
|*   i8           {kDLInt, 8, 1}                                              *|
|*   i32          {kDLInt, 32, 1}                                             *|
|*                                                                            *|
|* A dynamic batch: a model whose tensors leave dimension 0 open (`?`)      *|
|* reports -1 there; the caller picks any batch N >= 0, the same for every  *|
|* tensor whose metadata says -1, and the entry point runs the images one   *|
|* after the other (BNN_STATUS_BAD_SHAPE when the tensors disagree).        *|
|*                                                                            *|
|* Constant weights live inside the artifact. Entry points are reentrant.    *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef BNN_C_RUNTIME_H
#define BNN_C_RUNTIME_H

#include <dlpack/dlpack.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Version of this ABI; bnn_module_info.abi_version holds the version an
/// artifact was built for.
#define BNN_ABI_VERSION 2

/// DLDataTypeCode of binary tensors: kDLBool, which DLPack headers before
/// 0.8 (Debian's libdlpack-dev among them) do not define yet.
#define BNN_DL_BOOL 6

/// Status codes of entry points.
typedef enum bnn_status {
  BNN_STATUS_OK = 0,
  BNN_STATUS_NULL_TENSOR = 1, /* a DLTensor pointer or its data is NULL */
  BNN_STATUS_BAD_DEVICE = 2,  /* device_type is not kDLCPU */
  BNN_STATUS_BAD_RANK = 3,    /* ndim differs from the metadata */
  BNN_STATUS_BAD_DTYPE = 4,   /* dtype differs from the metadata */
  BNN_STATUS_BAD_SHAPE = 5,   /* a dimension differs from the metadata */
  BNN_STATUS_BAD_STRIDES = 6, /* strides are not compact row-major */
  BNN_STATUS_BAD_WORKSPACE = 7, /* a supplied workspace is misaligned or
                                   smaller than workspace_bytes */
} bnn_status;

/// The alignment of a workspace the caller supplies.
#define BNN_WORKSPACE_ALIGNMENT 64

/// Rank, element type and shape of one argument or result.
typedef struct bnn_tensor_info {
  int32_t ndim;
  DLDataType dtype;
  const int64_t *shape; /* ndim entries; shape[0] == -1: a dynamic batch */
} bnn_tensor_info;

typedef int32_t (*bnn_entry_fn)(DLTensor *const *inputs,
                                DLTensor *const *outputs);
typedef int32_t (*bnn_entry_workspace_fn)(DLTensor *const *inputs,
                                          DLTensor *const *outputs,
                                          void *workspace, int64_t bytes);

/// One public function of the model.
typedef struct bnn_entry_info {
  const char *name; /* the func.func name, NUL-terminated */
  bnn_entry_fn fn;  /* the same function as bnn_entry_<name> */
  int32_t num_inputs;
  int32_t num_outputs;
  const bnn_tensor_info *inputs;  /* num_inputs entries */
  const bnn_tensor_info *outputs; /* num_outputs entries */
  /* Bytes of temporaries one call needs (0: none). Calls through `fn` take
     them from a buffer the artifact keeps between calls (allocated by the
     first call, one more per concurrent call); `fn_workspace` takes them
     from the caller. */
  int64_t workspace_bytes;
  bnn_entry_workspace_fn fn_workspace; /* = &bnn_workspace_entry_<name> */
} bnn_entry_info;

typedef struct bnn_module_info {
  int32_t abi_version; /* BNN_ABI_VERSION */
  int32_t num_entries;
  const bnn_entry_info *entries; /* num_entries entries */
} bnn_module_info;

/// The metadata of the artifact this symbol belongs to.
const bnn_module_info *bnn_module(void);

/// Name of a NUL-terminated string the artifact exports: the target
/// features its code may use, comma-separated LLVM names ("avx2,avx512f,
/// popcnt,..."), everything its CPU and -mattr enable. Loaders check it
/// against the CPU before calling in (the runtime refuses an artifact that
/// needs what the CPU lacks instead of faulting). Absent in artifacts of
/// earlier compilers.
#define BNN_TARGET_FEATURES_SYMBOL "bnn_target_features"

/// The symbols every artifact exports.
#define BNN_MODULE_SYMBOL "bnn_module"
#define BNN_ENTRY_PREFIX "bnn_entry_"
#define BNN_WORKSPACE_ENTRY_PREFIX "bnn_workspace_entry_"

/// Multi-variant artifacts (the x86-64 default, docs/RuntimeABI.md#code-
/// variants) hold code for several CPUs and select one when loaded. They
/// export, besides the above:
///
///   const char bnn_variants[];  the variants' names, lowest first,
///                               comma-separated ("x86-64-v2,x86-64-v3,...")
///   int32_t bnn_variant(void);  the index of the selected variant
///   int32_t bnn_force_variant(int32_t index);
///                               selects variant `index` for every later
///                               call: 0, or -1 (and no change) when the CPU
///                               cannot run it or there is no such variant.
///                               Not to be called while an entry runs.
///
/// bnn_target_features (above) then names the lowest variant's features.
#define BNN_VARIANTS_SYMBOL "bnn_variants"
#define BNN_VARIANT_SYMBOL "bnn_variant"
#define BNN_FORCE_VARIANT_SYMBOL "bnn_force_variant"

/// A readable name of a status code ("bad shape", ...); never NULL.
static inline const char *bnn_status_string(int32_t status) {
  switch (status) {
  case BNN_STATUS_OK:
    return "ok";
  case BNN_STATUS_NULL_TENSOR:
    return "null tensor or data pointer";
  case BNN_STATUS_BAD_DEVICE:
    return "tensor is not on the CPU";
  case BNN_STATUS_BAD_RANK:
    return "wrong rank";
  case BNN_STATUS_BAD_DTYPE:
    return "wrong dtype";
  case BNN_STATUS_BAD_SHAPE:
    return "wrong shape";
  case BNN_STATUS_BAD_STRIDES:
    return "strides are not compact row-major";
  case BNN_STATUS_BAD_WORKSPACE:
    return "workspace misaligned or too small";
  default:
    return "unknown status";
  }
}

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* BNN_C_RUNTIME_H */
