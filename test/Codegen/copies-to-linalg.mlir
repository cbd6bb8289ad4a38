// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-copies-to-linalg))" --split-input-file | FileCheck %s

// A copy into a strided view becomes linalg.copy (it would otherwise call
// memrefCopy from the MLIR runner library).
// CHECK-LABEL: func.func @strided
// CHECK-SAME: (%[[SRC:.+]]: memref<4x8xi1>, %[[DST:.+]]: memref<4x64xi1>)
// CHECK: %[[VIEW:.+]] = memref.subview %[[DST]]
// CHECK: linalg.copy ins(%[[SRC]] : memref<4x8xi1>) outs(%[[VIEW]] : memref<4x8xi1, strided<[64, 1]>>)
// CHECK-NOT: memref.copy
func.func @strided(%src: memref<4x8xi1>, %dst: memref<4x64xi1>) {
  %view = memref.subview %dst[0, 0] [4, 8] [1, 1] : memref<4x64xi1> to memref<4x8xi1, strided<[64, 1]>>
  memref.copy %src, %view : memref<4x8xi1> to memref<4x8xi1, strided<[64, 1]>>
  return
}

// -----

// Contiguous copies stay memref.copy (they become llvm.memcpy).
// CHECK-LABEL: func.func @contiguous
// CHECK: memref.copy
// CHECK-NOT: linalg.copy
func.func @contiguous(%src: memref<4x8xf32>, %dst: memref<4x8xf32>) {
  memref.copy %src, %dst : memref<4x8xf32> to memref<4x8xf32>
  return
}
