// The LLVM phase records the target: triple on the module, CPU and features
// (the target's defaults plus the user's) on every function with a body.
// RUN: bnn-opt %s --bnn-lower-to-llvm="target=aarch64 cpu=neoverse-n1 features=+sve" | FileCheck %s --check-prefix=ARM
// RUN: bnn-opt %s --bnn-lower-to-llvm | FileCheck %s --check-prefix=X86

// ARM: module attributes {llvm.target_triple = "aarch64-unknown-linux-gnu"}
// ARM: llvm.func @bnn_entry_main({{.*}}target_cpu = "neoverse-n1", target_features = #llvm.target_features<["+neon", "+sve"]>

// X86: module attributes {llvm.target_triple = "x86_64-unknown-linux-gnu"}
// X86: llvm.func @bnn_entry_main({{.*}}target_cpu = "x86-64"
// X86-NOT: target_features

func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = tosa.add %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}
