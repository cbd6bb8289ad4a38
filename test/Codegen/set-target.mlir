// RUN: bnn-opt %s --bnn-set-target="triple=aarch64-unknown-linux-gnu cpu=neoverse-n1 features=+neon,-sve" | FileCheck %s
// RUN: bnn-opt %s --bnn-set-target | FileCheck %s --check-prefix=EMPTY

// CHECK: module attributes {llvm.target_triple = "aarch64-unknown-linux-gnu"}
// CHECK-LABEL: llvm.func @body()
// CHECK-SAME: target_cpu = "neoverse-n1"
// CHECK-SAME: target_features = #llvm.target_features<["+neon", "-sve"]>
// Declarations are left alone.
// CHECK-LABEL: llvm.func @declaration()
// CHECK-NOT: target_cpu

// Empty options change nothing.
// EMPTY-NOT: llvm.target_triple
// EMPTY-NOT: target_cpu
// EMPTY-NOT: target_features

llvm.func @body() {
  llvm.return
}
llvm.func @declaration()
