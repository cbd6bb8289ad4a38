/* Loads a shared library built from abi-execution.mlir through the runtime
 * ABI of bnn-c/Runtime.h: reads and prints its metadata, runs its entry
 * points on DLTensors and checks the results and every error status,
 * including that no output is written when a call fails.
 *
 * Usage: abi_check <library.so>. Prints one line per observation for
 * FileCheck; exits with 1 if any check failed. */

#include "bnn-c/Runtime.h"

#include <dlfcn.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* kDLBool of DLPack >= 0.8; older dlpack.h headers lack the enumerator. */
#define DL_BOOL 6

/* The layouts the artifact's metadata is built with (LP64). */
_Static_assert(sizeof(bnn_tensor_info) == 16, "bnn_tensor_info layout");
_Static_assert(offsetof(bnn_tensor_info, shape) == 8, "bnn_tensor_info");
_Static_assert(sizeof(bnn_entry_info) == 56, "bnn_entry_info layout");
_Static_assert(offsetof(bnn_entry_info, inputs) == 24, "bnn_entry_info");
_Static_assert(offsetof(bnn_entry_info, workspace_bytes) == 40,
               "bnn_entry_info");
_Static_assert(offsetof(bnn_entry_info, fn_workspace) == 48, "bnn_entry_info");
_Static_assert(sizeof(bnn_module_info) == 16, "bnn_module_info layout");
_Static_assert(offsetof(DLTensor, byte_offset) == 40, "DLTensor layout");

static int failures;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      ++failures;                                                              \
      printf("FAIL line %d: %s\n", __LINE__, #cond);                           \
    }                                                                          \
  } while (0)

static void expect_status(const char *what, int32_t got, int32_t want) {
  printf("%s -> %d (%s)\n", what, got, bnn_status_string(got));
  if (got != want) {
    ++failures;
    printf("FAIL %s: expected status %d\n", what, want);
  }
}

static DLDataType dtype(uint8_t code, uint8_t bits, uint16_t lanes) {
  DLDataType t = {code, bits, lanes};
  return t;
}

static DLTensor tensor(void *data, int32_t ndim, int64_t *shape,
                       DLDataType type) {
  DLTensor t;
  memset(&t, 0, sizeof t);
  t.data = data;
  t.device.device_type = kDLCPU;
  t.device.device_id = 0;
  t.ndim = ndim;
  t.dtype = type;
  t.shape = shape;
  t.strides = NULL;
  t.byte_offset = 0;
  return t;
}

static void print_tensor_info(const char *kind, int i,
                              const bnn_tensor_info *info) {
  printf("  %s %d: ndim %d dtype {%d, %d, %d} shape [", kind, i, info->ndim,
         info->dtype.code, info->dtype.bits, info->dtype.lanes);
  for (int d = 0; d < info->ndim; ++d)
    printf("%s%lld", d ? ", " : "", (long long)info->shape[d]);
  printf("]\n");
}

static void print_metadata(void *lib, const bnn_module_info *module) {
  printf("abi_version %d, %d entries\n", module->abi_version,
         module->num_entries);
  CHECK(module->abi_version == BNN_ABI_VERSION);
  for (int e = 0; e < module->num_entries; ++e) {
    const bnn_entry_info *entry = &module->entries[e];
    printf("entry %s: %d inputs, %d outputs, workspace %lld bytes\n",
           entry->name, entry->num_inputs, entry->num_outputs,
           (long long)entry->workspace_bytes);
    char symbol[128];
    snprintf(symbol, sizeof symbol, BNN_ENTRY_PREFIX "%s", entry->name);
    void *fn = dlsym(lib, symbol);
    CHECK(fn != NULL && fn == (void *)entry->fn);
    snprintf(symbol, sizeof symbol, BNN_WORKSPACE_ENTRY_PREFIX "%s",
             entry->name);
    fn = dlsym(lib, symbol);
    CHECK(fn != NULL && fn == (void *)entry->fn_workspace);
    CHECK(entry->workspace_bytes >= 0);
    for (int i = 0; i < entry->num_inputs; ++i)
      print_tensor_info("input", i, &entry->inputs[i]);
    for (int i = 0; i < entry->num_outputs; ++i)
      print_tensor_info("output", i, &entry->outputs[i]);
  }
}

/*===--- add: f32[2x3] + f32[2x3] -> f32[2x3] --------------------------===*/

enum { kSentinel = -1234 };

static int64_t shape23[2] = {2, 3};
static float lhs[6] = {1, 2, 3, 4, 5, 6};
/* Two leading floats, skipped through byte_offset. */
static float rhsStorage[8] = {-1, -1, 10, 20, 30, 40, 50, 60};
static float out[6];
static DLTensor a, b, c;
static DLTensor *ins[2], *outs[1];

static void reset_add(void) {
  a = tensor(lhs, 2, shape23, dtype(kDLFloat, 32, 1));
  b = tensor(rhsStorage, 2, shape23, dtype(kDLFloat, 32, 1));
  b.byte_offset = 2 * sizeof(float);
  c = tensor(out, 2, shape23, dtype(kDLFloat, 32, 1));
  ins[0] = &a;
  ins[1] = &b;
  outs[0] = &c;
  for (int i = 0; i < 6; ++i)
    out[i] = kSentinel;
}

static int add_output_untouched(void) {
  for (int i = 0; i < 6; ++i)
    if (out[i] != kSentinel)
      return 0;
  return 1;
}

/* Calls add after reset_add() and `mutate`, expecting `want`; a failing call
 * must leave the output as it was. */
#define ADD_CASE(what, want, mutate)                                           \
  do {                                                                         \
    reset_add();                                                               \
    mutate;                                                                    \
    expect_status("add: " what, add(ins, outs), want);                         \
    CHECK(add_output_untouched());                                             \
  } while (0)

static void check_add(bnn_entry_fn add) {
  reset_add();
  expect_status("add: valid", add(ins, outs), BNN_STATUS_OK);
  for (int i = 0; i < 6; ++i)
    CHECK(out[i] == lhs[i] + rhsStorage[i + 2]);
  printf("add: out = [%g %g %g %g %g %g]\n", out[0], out[1], out[2], out[3],
         out[4], out[5]);

  /* Explicit compact row-major strides are accepted like NULL ones. */
  int64_t rowMajor[2] = {3, 1};
  reset_add();
  a.strides = rowMajor;
  c.strides = rowMajor;
  expect_status("add: explicit row-major strides", add(ins, outs),
                BNN_STATUS_OK);
  CHECK(out[5] == 66);

  int64_t wrongShape[2] = {3, 2};
  int64_t columnMajor[2] = {1, 2};
  int64_t padded[2] = {4, 1};
  ADD_CASE("null input tensor", BNN_STATUS_NULL_TENSOR, ins[0] = NULL);
  ADD_CASE("null output tensor", BNN_STATUS_NULL_TENSOR, outs[0] = NULL);
  ADD_CASE("null input data", BNN_STATUS_NULL_TENSOR, a.data = NULL);
  ADD_CASE("null output data", BNN_STATUS_NULL_TENSOR, c.data = NULL);
  ADD_CASE("device cuda", BNN_STATUS_BAD_DEVICE,
           b.device.device_type = kDLCUDA);
  ADD_CASE("rank 1", BNN_STATUS_BAD_RANK, a.ndim = 1);
  ADD_CASE("output rank 3", BNN_STATUS_BAD_RANK, c.ndim = 3);
  ADD_CASE("dtype int32", BNN_STATUS_BAD_DTYPE, a.dtype = dtype(kDLInt, 32, 1));
  ADD_CASE("dtype float64", BNN_STATUS_BAD_DTYPE,
           a.dtype = dtype(kDLFloat, 64, 1));
  ADD_CASE("dtype 2 lanes", BNN_STATUS_BAD_DTYPE,
           a.dtype = dtype(kDLFloat, 32, 2));
  ADD_CASE("shape 3x2", BNN_STATUS_BAD_SHAPE, a.shape = wrongShape);
  ADD_CASE("output shape 3x2", BNN_STATUS_BAD_SHAPE, c.shape = wrongShape);
  ADD_CASE("null shape", BNN_STATUS_BAD_SHAPE, b.shape = NULL);
  ADD_CASE("column-major strides", BNN_STATUS_BAD_STRIDES,
           a.strides = columnMajor);
  ADD_CASE("padded output strides", BNN_STATUS_BAD_STRIDES, c.strides = padded);
  /* The first failing check wins, in the order of the status codes. */
  ADD_CASE("device cuda and rank 1", BNN_STATUS_BAD_DEVICE,
           (a.device.device_type = kDLCUDA, a.ndim = 1));
  ADD_CASE("dtype int32 and shape 3x2", BNN_STATUS_BAD_DTYPE,
           (a.dtype = dtype(kDLInt, 32, 1), a.shape = wrongShape));
  ADD_CASE("shape 3x2 and column-major strides", BNN_STATUS_BAD_SHAPE,
           (a.shape = wrongShape, a.strides = columnMajor));
}

/*===--- mixed: i8, i32 scalar, i1, ui8 -> i32, i1, i32 scalar, ui8 -----===*/

static void check_mixed(bnn_entry_fn mixed) {
  int64_t shape4[1] = {4}, shape22[2] = {2, 2}, shape3[1] = {3};
  int8_t i8in[4] = {-3, 0, 5, 127};
  int32_t scalar = 21;
  uint8_t bools[4] = {1, 0, 0, 1};
  uint8_t u8in[3] = {0, 7, 255};
  int32_t o0[4];
  uint8_t o1[4];
  int32_t o2;
  uint8_t o3[3];

  DLTensor t[8];
  DLTensor *in[4], *out[4];
#define RESET_MIXED()                                                          \
  do {                                                                         \
    for (int i = 0; i < 4; ++i) {                                              \
      in[i] = &t[i];                                                           \
      out[i] = &t[4 + i];                                                      \
    }                                                                          \
    t[0] = tensor(i8in, 1, shape4, dtype(kDLInt, 8, 1));                       \
    t[1] = tensor(&scalar, 0, NULL, dtype(kDLInt, 32, 1));                     \
    t[2] = tensor(bools, 2, shape22, dtype(DL_BOOL, 8, 1));                    \
    t[3] = tensor(u8in, 1, shape3, dtype(kDLUInt, 8, 1));                      \
    t[4] = tensor(o0, 1, shape4, dtype(kDLInt, 32, 1));                        \
    t[5] = tensor(o1, 2, shape22, dtype(DL_BOOL, 8, 1));                       \
    t[6] = tensor(&o2, 0, NULL, dtype(kDLInt, 32, 1));                         \
    t[7] = tensor(o3, 1, shape3, dtype(kDLUInt, 8, 1));                        \
    memset(o0, 0x5a, sizeof o0);                                               \
    memset(o1, 0x5a, sizeof o1);                                               \
    memset(&o2, 0x5a, sizeof o2);                                              \
    memset(o3, 0x5a, sizeof o3);                                               \
  } while (0)
#define MIXED_UNTOUCHED()                                                      \
  (o0[0] == 0x5a5a5a5a && o0[3] == 0x5a5a5a5a && o1[0] == 0x5a &&              \
   o1[3] == 0x5a && o2 == 0x5a5a5a5a && o3[0] == 0x5a && o3[2] == 0x5a)
#define MIXED_CASE(what, want, mutate)                                         \
  do {                                                                         \
    RESET_MIXED();                                                             \
    mutate;                                                                    \
    expect_status("mixed: " what, mixed(in, out), want);                       \
    CHECK(MIXED_UNTOUCHED());                                                  \
  } while (0)

  RESET_MIXED();
  expect_status("mixed: valid", mixed(in, out), BNN_STATUS_OK);
  printf("mixed: cast = [%d %d %d %d]\n", o0[0], o0[1], o0[2], o0[3]);
  printf("mixed: not = [%d %d %d %d]\n", o1[0], o1[1], o1[2], o1[3]);
  printf("mixed: double = %d\n", o2);
  printf("mixed: copy = [%d %d %d]\n", o3[0], o3[1], o3[2]);
  CHECK(o0[0] == -3 && o0[1] == 0 && o0[2] == 5 && o0[3] == 127);
  CHECK(o1[0] == 0 && o1[1] == 1 && o1[2] == 1 && o1[3] == 0);
  CHECK(o2 == 42);
  CHECK(o3[0] == 0 && o3[1] == 7 && o3[2] == 255);

  /* The last output is wrong: the three before it must not be written. */
  MIXED_CASE("last output dtype int8", BNN_STATUS_BAD_DTYPE,
             t[7].dtype = dtype(kDLInt, 8, 1));
  MIXED_CASE("last output null", BNN_STATUS_NULL_TENSOR, out[3] = NULL);
  MIXED_CASE("bool as uint8", BNN_STATUS_BAD_DTYPE,
             t[2].dtype = dtype(kDLUInt, 8, 1));
  MIXED_CASE("uint8 as int8", BNN_STATUS_BAD_DTYPE,
             t[3].dtype = dtype(kDLInt, 8, 1));
  MIXED_CASE("int8 as uint8", BNN_STATUS_BAD_DTYPE,
             t[0].dtype = dtype(kDLUInt, 8, 1));
  MIXED_CASE("scalar as rank 1", BNN_STATUS_BAD_RANK,
             (t[1].ndim = 1, t[1].shape = shape4));
  MIXED_CASE("scalar output on cuda", BNN_STATUS_BAD_DEVICE,
             t[6].device.device_type = kDLCUDA);
  MIXED_CASE("bool output as rank 1", BNN_STATUS_BAD_RANK,
             (t[5].ndim = 1, t[5].shape = shape4));
  MIXED_CASE("uint8 shape 4", BNN_STATUS_BAD_SHAPE, t[3].shape = shape4);
  /* Rank 0 has no strides to check. */
  int64_t noStrides[1] = {7};
  RESET_MIXED();
  t[1].strides = noStrides;
  expect_status("mixed: scalar with strides", mixed(in, out), BNN_STATUS_OK);
}

/*===--- conv: a binary convolution, whose temporaries need a workspace --===*/

static int64_t convInShape[4] = {1, 4, 4, 64}, convOutShape[4] = {1, 2, 2, 8};
static float convIn[4 * 4 * 64];
static int32_t convOut[2 * 2 * 8];
static DLTensor convX, convY;
static DLTensor *convIns[1], *convOuts[1];

static void reset_conv(float value) {
  for (int i = 0; i < 4 * 4 * 64; ++i)
    convIn[i] = value;
  for (int i = 0; i < 2 * 2 * 8; ++i)
    convOut[i] = kSentinel;
  convX = tensor(convIn, 4, convInShape, dtype(kDLFloat, 32, 1));
  convY = tensor(convOut, 4, convOutShape, dtype(kDLInt, 32, 1));
  convIns[0] = &convX;
  convOuts[0] = &convY;
}

/* Every output is the sum over a 3x3x64 window of sign(x) * (+1). */
static int conv_output_is(int32_t value) {
  for (int i = 0; i < 2 * 2 * 8; ++i)
    if (convOut[i] != value)
      return 0;
  return 1;
}

/* Calls conv with a workspace of exactly workspace_bytes in every code
 * variant this CPU runs (a multi-variant artifact's metadata gives the
 * largest of them). */
static void check_conv_variants(void *lib, const bnn_entry_info *entry) {
  int32_t (*force)(int32_t) =
      (int32_t(*)(int32_t))dlsym(lib, BNN_FORCE_VARIANT_SYMBOL);
  int32_t (*selected)(void) = (int32_t(*)(void))dlsym(lib, BNN_VARIANT_SYMBOL);
  int64_t bytes = entry->workspace_bytes;
  unsigned char *workspace =
      aligned_alloc(BNN_WORKSPACE_ALIGNMENT, (size_t)bytes);
  CHECK(workspace != NULL);
  if (!workspace)
    return;
  int32_t original = selected ? selected() : 0;
  for (int32_t v = 0; v < 16; ++v) {
    if (force ? force(v) != 0 : v > 0)
      continue;
    reset_conv(1.0f);
    int32_t status = entry->fn_workspace(convIns, convOuts, workspace, bytes);
    if (status != BNN_STATUS_OK || !conv_output_is(576)) {
      ++failures;
      printf("FAIL conv: variant %d with %lld bytes: status %d\n", v,
             (long long)bytes, status);
    }
  }
  if (force)
    CHECK(force(original) == 0);
  printf("conv: workspace_bytes suffices in every variant\n");
  free(workspace);
}

static void check_conv(const bnn_entry_info *entry) {
  int64_t bytes = entry->workspace_bytes;
  CHECK(bytes > 0);
  reset_conv(1.0f);
  expect_status("conv: own workspace", entry->fn(convIns, convOuts),
                BNN_STATUS_OK);
  CHECK(conv_output_is(576));

  reset_conv(-1.0f);
  expect_status("conv: null workspace",
                entry->fn_workspace(convIns, convOuts, NULL, 0), BNN_STATUS_OK);
  CHECK(conv_output_is(-576));

  /* A workspace of the caller's, full of garbage; used twice (the second
     time said to be larger than needed), with results that do not depend
     on what it held. */
  size_t size = (size_t)(bytes + BNN_WORKSPACE_ALIGNMENT);
  unsigned char *workspace = aligned_alloc(BNN_WORKSPACE_ALIGNMENT, size);
  CHECK(workspace != NULL);
  if (!workspace)
    return;
  memset(workspace, 0xab, size);
  reset_conv(1.0f);
  expect_status("conv: supplied workspace",
                entry->fn_workspace(convIns, convOuts, workspace, bytes),
                BNN_STATUS_OK);
  CHECK(conv_output_is(576));
  reset_conv(-1.0f);
  expect_status("conv: supplied workspace again",
                entry->fn_workspace(convIns, convOuts, workspace, bytes + 1),
                BNN_STATUS_OK);
  CHECK(conv_output_is(-576));

  /* Refused before anything is written. */
  reset_conv(1.0f);
  expect_status("conv: workspace one byte short",
                entry->fn_workspace(convIns, convOuts, workspace, bytes - 1),
                BNN_STATUS_BAD_WORKSPACE);
  CHECK(conv_output_is(kSentinel));
  expect_status("conv: misaligned workspace",
                entry->fn_workspace(convIns, convOuts, workspace + 8, bytes),
                BNN_STATUS_BAD_WORKSPACE);
  CHECK(conv_output_is(kSentinel));
  expect_status("conv: negative workspace size",
                entry->fn_workspace(convIns, convOuts, workspace, -1),
                BNN_STATUS_BAD_WORKSPACE);
  CHECK(conv_output_is(kSentinel));
  /* Tensors are checked first. */
  convIns[0] = NULL;
  expect_status("conv: null input and short workspace",
                entry->fn_workspace(convIns, convOuts, workspace, 0),
                BNN_STATUS_NULL_TENSOR);
  CHECK(conv_output_is(kSentinel));
  free(workspace);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s <library.so>\n", argv[0]);
    return 2;
  }
  void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    fprintf(stderr, "dlopen: %s\n", dlerror());
    return 2;
  }
  const bnn_module_info *(*get_module)(void) =
      (const bnn_module_info *(*)(void))dlsym(lib, "bnn_module");
  if (!get_module) {
    fprintf(stderr, "no bnn_module: %s\n", dlerror());
    return 2;
  }
  const bnn_module_info *module = get_module();
  print_metadata(lib, module);
  CHECK(module->num_entries == 3);
  if (module->num_entries == 3) {
    CHECK(strcmp(module->entries[0].name, "add") == 0);
    CHECK(strcmp(module->entries[1].name, "mixed") == 0);
    CHECK(strcmp(module->entries[2].name, "conv") == 0);
    check_add(module->entries[0].fn);
    check_mixed(module->entries[1].fn);
    check_conv(&module->entries[2]);
    check_conv_variants(lib, &module->entries[2]);
    /* Without temporaries a workspace is not read, but still checked. */
    reset_add();
    expect_status("add: no workspace needed, one supplied",
                  module->entries[0].fn_workspace(ins, outs, out, 0),
                  BNN_STATUS_OK);
    CHECK(out[5] == 66);
  }
  printf("%d failures\n", failures);
  return failures ? 1 : 0;
}
