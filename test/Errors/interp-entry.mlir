// Without --entry the module needs exactly one public function with a body.
// RUN: not bnn-interp %s 2>&1 | FileCheck %s --check-prefix=AMBIGUOUS
// RUN: bnn-interp %s --entry second | FileCheck %s --check-prefix=SECOND
// RUN: not bnn-interp %s --entry external 2>&1 | FileCheck %s --check-prefix=EXTERNAL
// RUN: not bnn-interp %s --entry calls_external 2>&1 | FileCheck %s --check-prefix=CALLEE
// RUN: not bnn-interp %s --entry recursive --random-inputs 1 2>&1 | FileCheck %s --check-prefix=RECURSION
// RUN: not bnn-interp %s --entry dynamic --random-inputs 1 2>&1 | FileCheck %s --check-prefix=DYNAMIC

// AMBIGUOUS: bnn-interp: error: expected exactly one public function with a body, found 5; choose one with --entry

// SECOND: result #0: tensor<1xi32>
// SECOND-NEXT: [2]

// EXTERNAL: {{.*}}interp-entry.mlir:[[# @LINE + 1]]:1: error: reference interpreter: function 'external' has no body
func.func private @external() -> tensor<1xi32>

func.func @first() -> tensor<1xi32> {
  %c = arith.constant dense<1> : tensor<1xi32>
  return %c : tensor<1xi32>
}

func.func @second() -> tensor<1xi32> {
  %c = arith.constant dense<2> : tensor<1xi32>
  return %c : tensor<1xi32>
}

func.func @calls_external() -> tensor<1xi32> {
  // CALLEE: {{.*}}interp-entry.mlir:[[# @LINE + 1]]:8: error: reference interpreter: callee 'external' has no body
  %r = func.call @external() : () -> tensor<1xi32>
  return %r : tensor<1xi32>
}

// Unbounded recursion stops with a diagnostic instead of overflowing the
// stack.
// RECURSION: {{.*}}interp-entry.mlir:[[# @LINE + 1]]:1: error: reference interpreter: call depth exceeds 64
func.func @recursive(%x: tensor<2xf32>) -> tensor<2xf32> {
  %r = func.call @recursive(%x) : (tensor<2xf32>) -> tensor<2xf32>
  return %r : tensor<2xf32>
}

// DYNAMIC: bnn-interp: error: argument #0 must be a tensor of a supported type with a static shape (but for a dynamic batch in dimension 0)
func.func @dynamic(%x: tensor<2x?xf32>) -> tensor<2x?xf32> {
  return %x : tensor<2x?xf32>
}
