/* Calls the entry points of abi-batch-strides.mlir with DLTensors the way
 * numpy and torch describe them: the stride of a dimension of size 1 is
 * not checked (numpy calls such arrays C-contiguous whatever it holds), a
 * dynamic batch takes any size, and batched tensors that disagree are a
 * shape error. Prints one line per call for FileCheck; exits with 1 if a
 * status or a result is not the expected one. */

#include "bnn-c/Runtime.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

static int failures;

static DLTensor f32(float *data, int32_t ndim, int64_t *shape,
                    int64_t *strides) {
  DLTensor t;
  memset(&t, 0, sizeof t);
  t.data = data;
  t.device.device_type = kDLCPU;
  t.ndim = ndim;
  t.dtype.code = kDLFloat;
  t.dtype.bits = 32;
  t.dtype.lanes = 1;
  t.shape = shape;
  t.strides = strides;
  return t;
}

static void expect(const char *what, int32_t got, int32_t want) {
  printf("%s -> %d (%s)\n", what, got, bnn_status_string(got));
  if (got != want) {
    ++failures;
    printf("FAIL %s: expected %d\n", what, want);
  }
}

int main(int argc, char **argv) {
  if (argc != 2)
    return 2;
  void *lib = dlopen(argv[1], RTLD_NOW);
  if (!lib) {
    printf("dlopen: %s\n", dlerror());
    return 1;
  }
  bnn_entry_fn one = (bnn_entry_fn)dlsym(lib, "bnn_entry_one");
  bnn_entry_fn batch = (bnn_entry_fn)dlsym(lib, "bnn_entry_batch");
  if (!one || !batch)
    return 1;

  float x[6] = {1, 2, 3, 4, 5, 6}, y[6];
  int64_t shape13[2] = {1, 3}, shape23[2] = {2, 3}, shape33[2] = {3, 3};
  int64_t oddSizeOne[2] = {7, 1}, rowMajor[2] = {3, 1}, bad[2] = {7, 1};

  /* tensor<1x3xf32>: the stride of dimension 0 (size 1) is free. */
  DLTensor a = f32(x, 2, shape13, oddSizeOne), b = f32(y, 2, shape13, NULL);
  DLTensor *ins[] = {&a, NULL}, *outs[] = {&b, NULL};
  memset(y, 0, sizeof y);
  expect("one: size-1 dimension with stride 7", one(ins, outs),
         BNN_STATUS_OK);
  if (y[0] != 2 || y[2] != 6) {
    ++failures;
    printf("FAIL one: y = %g %g %g\n", y[0], y[1], y[2]);
  }

  /* tensor<?x3xf32>: a batch of 1 has a free stride too, a batch of 2
   * does not. */
  a = f32(x, 2, shape13, oddSizeOne);
  b = f32(y, 2, shape13, NULL);
  expect("batch: N = 1, stride 7 on the batch", batch(ins, outs),
         BNN_STATUS_OK);
  a = f32(x, 2, shape23, bad);
  b = f32(y, 2, shape23, NULL);
  expect("batch: N = 2, stride 7 on the batch", batch(ins, outs),
         BNN_STATUS_BAD_STRIDES);
  a = f32(x, 2, shape23, rowMajor);
  memset(y, 0, sizeof y);
  expect("batch: N = 2, row-major", batch(ins, outs), BNN_STATUS_OK);
  if (y[3] != 8 || y[5] != 12) {
    ++failures;
    printf("FAIL batch: y = %g %g %g\n", y[3], y[4], y[5]);
  }
  /* The input's batch of 2 and the output's of 3 disagree; nothing is
   * written. */
  float z[9];
  memset(z, 0, sizeof z);
  b = f32(z, 2, shape33, NULL);
  expect("batch: input N = 2, output N = 3", batch(ins, outs),
         BNN_STATUS_BAD_SHAPE);
  for (int i = 0; i < 9; ++i)
    if (z[i] != 0) {
      ++failures;
      printf("FAIL batch: output written after an error\n");
      break;
    }
  printf("%d failure(s)\n", failures);
  return failures != 0;
}
