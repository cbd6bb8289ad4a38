// An op the bnn dialect does not define.
// RUN: not bnn-opt %s 2>&1 | FileCheck %s
// RUN: not bnn-interp %s 2>&1 | FileCheck %s

// CHECK: {{.*}}unknown-bnn-op.mlir:[[# @LINE + 2]]:8: error: custom op 'bnn.frobnicate' is unknown
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = bnn.frobnicate %x : tensor<4xf32>
  return %r : tensor<4xf32>
}
