// REQUIRES: bnn-exec
// RUN: bnn-opt --bnn-lower-to-llvm="parallel=false" %s -o %t.mlir
// RUN: mlir-translate --mlir-to-llvmir %t.mlir -o %t.ll
// RUN: llc -filetype=obj -relocation-model=pic %t.ll -o %t.o
// RUN: ld.lld -shared %t.o -o %t.so
// RUN: clang-22 -std=c11 -Wall -Wextra -Werror -I%bnn_include %S/Inputs/abi_check.c -o %t.exe -ldl
// RUN: %t.exe %t.so | FileCheck %s
// The artifact as bnn-compile builds it: threaded code (per-iteration
// workspace slots) and, on x86-64, every code variant behind the entries.
// RUN: bnn-compile %s -o %t.default.so
// RUN: %t.exe %t.default.so | FileCheck %s

// End to end through the runtime ABI: the lowered module becomes a shared
// library, which Inputs/abi_check.c loads and calls with DLTensors. The C
// program itself checks results and that failed calls write no output; it
// prints what it observed and ends with its count of failed checks.

func.func @add(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = tosa.add %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// Every element type of the ABI, a rank-0 tensor, and an input returned as
// it is (a copy into the caller's output).
func.func @mixed(%a: tensor<4xi8>, %b: tensor<i32>, %c: tensor<2x2xi1>, %d: tensor<3xui8>) -> (tensor<4xi32>, tensor<2x2xi1>, tensor<i32>, tensor<3xui8>) {
  %0 = tosa.cast %a : (tensor<4xi8>) -> tensor<4xi32>
  %true = arith.constant dense<true> : tensor<2x2xi1>
  %1 = arith.xori %c, %true : tensor<2x2xi1>
  %2 = arith.addi %b, %b : tensor<i32>
  return %0, %1, %2, %d : tensor<4xi32>, tensor<2x2xi1>, tensor<i32>, tensor<3xui8>
}

// Temporaries (the packed input and filter): a workspace, the artifact's
// own or the caller's.
func.func @conv(%x: tensor<1x4x4x64xf32>) -> tensor<1x2x2x8xi32> {
  %w = arith.constant dense<false> : tensor<8x3x3x64xi1>
  %b = bnn.binarize %x : tensor<1x4x4x64xf32> -> tensor<1x4x4x64xi1>
  %c = bnn.binary_conv2d %b, %w : tensor<1x4x4x64xi1>, tensor<8x3x3x64xi1> -> tensor<1x2x2x8xi32>
  return %c : tensor<1x2x2x8xi32>
}

// CHECK:      abi_version 2, 3 entries
// CHECK-NEXT: entry add: 2 inputs, 1 outputs, workspace 0 bytes
// CHECK-NEXT:   input 0: ndim 2 dtype {2, 32, 1} shape [2, 3]
// CHECK-NEXT:   input 1: ndim 2 dtype {2, 32, 1} shape [2, 3]
// CHECK-NEXT:   output 0: ndim 2 dtype {2, 32, 1} shape [2, 3]
// CHECK-NEXT: entry mixed: 4 inputs, 4 outputs, workspace 0 bytes
// CHECK-NEXT:   input 0: ndim 1 dtype {0, 8, 1} shape [4]
// CHECK-NEXT:   input 1: ndim 0 dtype {0, 32, 1} shape []
// CHECK-NEXT:   input 2: ndim 2 dtype {6, 8, 1} shape [2, 2]
// CHECK-NEXT:   input 3: ndim 1 dtype {1, 8, 1} shape [3]
// CHECK-NEXT:   output 0: ndim 1 dtype {0, 32, 1} shape [4]
// CHECK-NEXT:   output 1: ndim 2 dtype {6, 8, 1} shape [2, 2]
// CHECK-NEXT:   output 2: ndim 0 dtype {0, 32, 1} shape []
// CHECK-NEXT:   output 3: ndim 1 dtype {1, 8, 1} shape [3]
// CHECK-NEXT: entry conv: 1 inputs, 1 outputs, workspace {{[1-9][0-9]*}} bytes
// CHECK-NEXT:   input 0: ndim 4 dtype {2, 32, 1} shape [1, 4, 4, 64]
// CHECK-NEXT:   output 0: ndim 4 dtype {0, 32, 1} shape [1, 2, 2, 8]

// CHECK-NEXT: add: valid -> 0 (ok)
// CHECK-NEXT: add: out = [11 22 33 44 55 66]
// CHECK-NEXT: add: explicit row-major strides -> 0 (ok)
// CHECK-NEXT: add: null input tensor -> 1 (null tensor or data pointer)
// CHECK-NEXT: add: null output tensor -> 1 (null tensor or data pointer)
// CHECK-NEXT: add: null input data -> 1 (null tensor or data pointer)
// CHECK-NEXT: add: null output data -> 1 (null tensor or data pointer)
// CHECK-NEXT: add: device cuda -> 2 (tensor is not on the CPU)
// CHECK-NEXT: add: rank 1 -> 3 (wrong rank)
// CHECK-NEXT: add: output rank 3 -> 3 (wrong rank)
// CHECK-NEXT: add: dtype int32 -> 4 (wrong dtype)
// CHECK-NEXT: add: dtype float64 -> 4 (wrong dtype)
// CHECK-NEXT: add: dtype 2 lanes -> 4 (wrong dtype)
// CHECK-NEXT: add: shape 3x2 -> 5 (wrong shape)
// CHECK-NEXT: add: output shape 3x2 -> 5 (wrong shape)
// CHECK-NEXT: add: null shape -> 5 (wrong shape)
// CHECK-NEXT: add: column-major strides -> 6 (strides are not compact row-major)
// CHECK-NEXT: add: padded output strides -> 6 (strides are not compact row-major)
// CHECK-NEXT: add: device cuda and rank 1 -> 2 (tensor is not on the CPU)
// CHECK-NEXT: add: dtype int32 and shape 3x2 -> 4 (wrong dtype)
// CHECK-NEXT: add: shape 3x2 and column-major strides -> 5 (wrong shape)

// CHECK-NEXT: mixed: valid -> 0 (ok)
// CHECK-NEXT: mixed: cast = [-3 0 5 127]
// CHECK-NEXT: mixed: not = [0 1 1 0]
// CHECK-NEXT: mixed: double = 42
// CHECK-NEXT: mixed: copy = [0 7 255]
// CHECK-NEXT: mixed: last output dtype int8 -> 4 (wrong dtype)
// CHECK-NEXT: mixed: last output null -> 1 (null tensor or data pointer)
// CHECK-NEXT: mixed: bool as uint8 -> 4 (wrong dtype)
// CHECK-NEXT: mixed: uint8 as int8 -> 4 (wrong dtype)
// CHECK-NEXT: mixed: int8 as uint8 -> 4 (wrong dtype)
// CHECK-NEXT: mixed: scalar as rank 1 -> 3 (wrong rank)
// CHECK-NEXT: mixed: scalar output on cuda -> 2 (tensor is not on the CPU)
// CHECK-NEXT: mixed: bool output as rank 1 -> 3 (wrong rank)
// CHECK-NEXT: mixed: uint8 shape 4 -> 5 (wrong shape)
// CHECK-NEXT: mixed: scalar with strides -> 0 (ok)

// CHECK-NEXT: conv: own workspace -> 0 (ok)
// CHECK-NEXT: conv: null workspace -> 0 (ok)
// CHECK-NEXT: conv: supplied workspace -> 0 (ok)
// CHECK-NEXT: conv: supplied workspace again -> 0 (ok)
// CHECK-NEXT: conv: workspace one byte short -> 7 (workspace misaligned or too small)
// CHECK-NEXT: conv: misaligned workspace -> 7 (workspace misaligned or too small)
// CHECK-NEXT: conv: negative workspace size -> 7 (workspace misaligned or too small)
// CHECK-NEXT: conv: null input and short workspace -> 1 (null tensor or data pointer)
// CHECK-NEXT: conv: workspace_bytes suffices in every variant
// CHECK-NEXT: add: no workspace needed, one supplied -> 0 (ok)
// CHECK-NEXT: 0 failures
