// RUN: bnn-opt %s --split-input-file --bnn-runtime-threads | FileCheck %s

// Every omp.parallel reads the artifact's thread count (initially 1);
// bnn_set_num_threads stores max(n, 1).
// CHECK: memref.global "private" @bnn_num_threads : memref<i32> = dense<1>
// CHECK: func.func @bnn_set_num_threads(%[[N:.+]]: i32)
// CHECK: %[[ONE:.+]] = arith.constant 1 : i32
// CHECK: %[[MAX:.+]] = arith.maxsi %[[N]], %[[ONE]] : i32
// CHECK: %[[G:.+]] = memref.get_global @bnn_num_threads : memref<i32>
// CHECK: memref.store %[[MAX]], %[[G]][] : memref<i32>
// CHECK-LABEL: func.func @main
// CHECK: %[[G1:.+]] = memref.get_global @bnn_num_threads
// CHECK: %[[T1:.+]] = memref.load %[[G1]][]
// CHECK: omp.parallel num_threads(%[[T1]] : i32)
// CHECK: %[[G2:.+]] = memref.get_global @bnn_num_threads
// CHECK: %[[T2:.+]] = memref.load %[[G2]][]
// CHECK: omp.parallel num_threads(%[[T2]] : i32)
func.func @main() {
  omp.parallel {
    omp.terminator
  }
  omp.parallel {
    omp.terminator
  }
  return
}

// -----

// Without parallel regions nothing is added.
// CHECK-NOT: bnn_num_threads
// CHECK-NOT: bnn_set_num_threads
// CHECK-LABEL: func.func @serial
func.func @serial() {
  return
}
