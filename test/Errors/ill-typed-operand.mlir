// An operand of the wrong element type is rejected by both tools.
// RUN: not bnn-opt %s 2>&1 | FileCheck %s
// RUN: not bnn-interp %s 2>&1 | FileCheck %s

// CHECK: {{.*}}ill-typed-operand.mlir:[[# @LINE + 4]]:8: error: 'bnn.binary_dense' op operand #0 must be 2D tensor of 1-bit signless integer values, but got 'tensor<1x8xf32>'
func.func @main() -> tensor<1x2xi32> {
  %a = arith.constant dense<1.0> : tensor<1x8xf32>
  %w = arith.constant dense<true> : tensor<2x8xi1>
  %r = bnn.binary_dense %a, %w : tensor<1x8xf32>, tensor<2x8xi1> -> tensor<1x2xi32>
  return %r : tensor<1x2xi32>
}
