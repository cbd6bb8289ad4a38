// Malformed IR is a parse error with a location, never a crash.
// RUN: not bnn-opt %s 2>&1 | FileCheck %s
// RUN: not bnn-interp %s 2>&1 | FileCheck %s

// CHECK: {{.*}}syntax-error.mlir:[[# @LINE + 3]]:48: error: expected '>' in tensor type
// CHECK-NOT: error
func.func @main() -> tensor<2xf32> {
  %0 = arith.constant dense<1.0> : tensor<2xf32
  return %0 : tensor<2xf32>
}
