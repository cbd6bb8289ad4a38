// The named pipeline, stopped after each phase.
// RUN: bnn-opt %s --bnn-lower-to-llvm="stop-after=input" | FileCheck %s --check-prefix=INPUT
// RUN: bnn-opt %s --bnn-lower-to-llvm="stop-after=packed" | FileCheck %s --check-prefix=PACKED
// RUN: bnn-opt %s --bnn-lower-to-llvm="stop-after=linalg" | FileCheck %s --check-prefix=LINALG
// RUN: bnn-opt %s --bnn-lower-to-llvm="stop-after=bufferized" | FileCheck %s --check-prefix=BUF
// RUN: bnn-opt %s --bnn-lower-to-llvm="stop-after=loops" | FileCheck %s --check-prefix=LOOPS
// RUN: bnn-opt %s --bnn-lower-to-llvm="target=aarch64 stop-after=linalg" | FileCheck %s --check-prefix=LINALG

// INPUT: module attributes {bnn.abi = [{inputs = [tensor<1x4x4x8xf32>], name = "main", outputs = [tensor<1x4x4x4xf32>]}]}
// INPUT: func.func @main{{.+}} attributes {llvm.emit_c_interface}
// INPUT: bnn.binary_conv2d

// Weights are packed words now; activations are packed at run time.
// PACKED-DAG: arith.constant dense<{{.+}}> : tensor<1x1x3x3x1x4xi64>
// PACKED: bnn.binarize
// PACKED: bnn.pack
// PACKED-NOT: bnn.binary_conv2d
// PACKED: bnn.packed_conv <xor>
// PACKED: bnn.acc_to_float

// LINALG-LABEL: func.func @main
// LINALG-NOT: bnn.
// LINALG: linalg.generic
// LINALG: math.ctpop

// Results became a caller-provided out-parameter.
// BUF: func.func @main(%{{.+}}: memref<1x4x4x8xf32>, %{{.+}}: memref<1x4x4x4xf32>)
// BUF-NOT: tensor<

// LOOPS-NOT: linalg.
// LOOPS: cf.cond_br
// LOOPS: math.ctpop

func.func @main(%x: tensor<1x4x4x8xf32>) -> tensor<1x4x4x4xf32> {
  %w = arith.constant dense<true> : tensor<4x3x3x8xi1>
  %m = arith.constant dense<0.5> : tensor<4xf32>
  %b = arith.constant dense<1.0> : tensor<4xf32>
  %a = bnn.binarize %x : tensor<1x4x4x8xf32> -> tensor<1x4x4x8xi1>
  %acc = bnn.binary_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>, pad_value = #bnn.pad_value<minus_one>} : tensor<1x4x4x8xi1>, tensor<4x3x3x8xi1> -> tensor<1x4x4x4xi32>
  %f = bnn.acc_to_float %acc, %m, %b : tensor<1x4x4x4xi32>, tensor<4xf32>, tensor<4xf32> -> tensor<1x4x4x4xf32>
  return %f : tensor<1x4x4x4xf32>
}
