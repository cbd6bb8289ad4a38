// A bnn op that fails its verifier is rejected by both tools at its
// location, and the interpreter does not run it.
// RUN: not bnn-opt %s 2>&1 | FileCheck %s
// RUN: not bnn-interp %s 2>&1 | FileCheck %s

// CHECK: {{.*}}ill-typed-op.mlir:[[# @LINE + 5]]:8: error: 'bnn.binary_conv2d' op result shape [1, 4, 4, 8] does not match the expected shape [1, 2, 2, 8]
// CHECK-NOT: result #0
func.func @main() -> tensor<1x4x4x8xi32> {
  %a = arith.constant dense<false> : tensor<1x4x4x8xi1>
  %w = arith.constant dense<true> : tensor<8x3x3x8xi1>
  %r = bnn.binary_conv2d %a, %w : tensor<1x4x4x8xi1>, tensor<8x3x3x8xi1> -> tensor<1x4x4x8xi32>
  return %r : tensor<1x4x4x8xi32>
}
