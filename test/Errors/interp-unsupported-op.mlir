// math is loaded in the interpreter's context (as a dependency of the
// dialects it registers), so math.tanh parses and verifies, but the
// interpreter cannot evaluate it.
// RUN: bnn-opt %s | FileCheck %s --check-prefix=OPT
// RUN: not bnn-interp %s --random-inputs 1 2>&1 | FileCheck %s

// OPT: math.tanh
// CHECK: {{.*}}interp-unsupported-op.mlir:[[# @LINE + 3]]:8: error: reference interpreter: unsupported operation 'math.tanh'
// CHECK-NOT: result #0
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %t = math.tanh %x : tensor<4xf32>
  return %t : tensor<4xf32>
}
