// scf is registered in bnn-opt but not in the interpreter, where its ops
// are a parse error.
// RUN: bnn-opt %s | FileCheck %s --check-prefix=OPT
// RUN: not bnn-interp %s --random-inputs 1 2>&1 | FileCheck %s

// OPT: scf.for
// CHECK: {{.*}}interp-unregistered-dialect.mlir:[[# @LINE + 5]]:8: error: Dialect `scf' not found for custom op 'scf.for'
// CHECK-NOT: result #0
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %c1 step %c1 iter_args(%a = %x) -> (tensor<4xf32>) {
    scf.yield %a : tensor<4xf32>
  }
  return %r : tensor<4xf32>
}
