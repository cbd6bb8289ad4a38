// Bad pipeline options are errors, not an empty pipeline.
// RUN: not bnn-opt %s --bnn-lower-to-llvm="target=riscv" 2>&1 | FileCheck %s --check-prefix=TARGET
// RUN: not bnn-opt %s --bnn-lower-to-llvm="stop-after=assembly" 2>&1 | FileCheck %s --check-prefix=PHASE
// RUN: not bnn-opt %s --bnn-lower-to-llvm="no-such-option=1" 2>&1 | FileCheck %s --check-prefix=OPTION

// TARGET: error: bnn-lower-to-llvm: unknown target 'riscv' (expected x86_64, aarch64)
// PHASE: error: bnn-lower-to-llvm: unknown phase 'assembly' (expected input, packed, linalg, bufferized, loops, llvm)
// OPTION: no-such-option

func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}

// RUN: not bnn-opt %s --bnn-lower-to-llvm="target=aarch64 cpu=pentium" 2>&1 | FileCheck %s --check-prefix=CPU
// RUN: not bnn-opt %s --bnn-lower-to-llvm="features=+foo" 2>&1 | FileCheck %s --check-prefix=FEATURE
// CPU: error: bnn-lower-to-llvm: unknown CPU 'pentium' for target aarch64
// FEATURE: error: bnn-lower-to-llvm: unknown feature '+foo' for target x86_64
