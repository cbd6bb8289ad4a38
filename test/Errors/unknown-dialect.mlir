// An op of a dialect neither tool registers.
// RUN: not bnn-opt %s 2>&1 | FileCheck %s
// RUN: not bnn-interp %s 2>&1 | FileCheck %s

// CHECK: {{.*}}unknown-dialect.mlir:[[# @LINE + 2]]:17: error: operation being parsed with an unregistered dialect
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = "foo.bar"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}
