// REQUIRES: bnn-exec
// RUN: bnn-opt --bnn-lower-to-llvm %s -o %t.mlir
// RUN: mlir-translate --mlir-to-llvmir %t.mlir -o %t.ll
// RUN: llc -filetype=obj -relocation-model=pic %t.ll -o %t.o
// RUN: ld.lld -shared %t.o -o %t.so
// RUN: clang-22 -std=c11 -Wall -Wextra -Werror -I%bnn_include %S/Inputs/batch_strides.c -o %t.exe -ldl
// RUN: %t.exe %t.so | FileCheck %s

// Strides of size-1 dimensions are not checked (numpy and torch put
// anything there); a dynamic batch of 1 counts as size 1; batched tensors
// of different batch sizes are a shape error (Inputs/batch_strides.c).

func.func @one(%a: tensor<1x3xf32>) -> tensor<1x3xf32> {
  %0 = tosa.add %a, %a : (tensor<1x3xf32>, tensor<1x3xf32>) -> tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}

func.func @batch(%a: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %0 = tosa.add %a, %a : (tensor<?x3xf32>, tensor<?x3xf32>) -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

// CHECK:      one: size-1 dimension with stride 7 -> 0 (ok)
// CHECK-NEXT: batch: N = 1, stride 7 on the batch -> 0 (ok)
// CHECK-NEXT: batch: N = 2, stride 7 on the batch -> 6 (strides are not compact row-major)
// CHECK-NEXT: batch: N = 2, row-major -> 0 (ok)
// CHECK-NEXT: batch: input N = 2, output N = 3 -> 5 (wrong shape)
// CHECK-NEXT: 0 failure(s)
