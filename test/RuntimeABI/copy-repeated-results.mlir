// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-copy-repeated-results))" | FileCheck %s

// Every repeat of a returned buffer becomes a copy in a buffer of its own;
// the first occurrence stays.
// CHECK-LABEL: func.func @twice
// CHECK:         %[[ALLOC:.+]] = memref.alloc() : memref<2x3xf32>
// CHECK:         %[[COPY:.+]] = memref.alloc() {alignment = 64 : i64} : memref<2x3xf32>
// CHECK:         memref.copy %[[ALLOC]], %[[COPY]] : memref<2x3xf32> to memref<2x3xf32>
// CHECK:         return %[[ALLOC]], %[[COPY]]
func.func @twice() -> (memref<2x3xf32>, memref<2x3xf32>) {
  %0 = memref.alloc() : memref<2x3xf32>
  return %0, %0 : memref<2x3xf32>, memref<2x3xf32>
}

// Three times, between other results: two copies.
// CHECK-LABEL: func.func @thrice
// CHECK-SAME:    (%[[ARG:.+]]: memref<4xi1>)
// CHECK:         %[[C1:.+]] = memref.alloc() {alignment = 64 : i64} : memref<4xi1>
// CHECK:         memref.copy %[[ARG]], %[[C1]]
// CHECK:         %[[C2:.+]] = memref.alloc() {alignment = 64 : i64} : memref<4xi1>
// CHECK:         memref.copy %[[ARG]], %[[C2]]
// CHECK:         return %[[ARG]], %{{.+}}, %[[C1]], %[[C2]]
func.func @thrice(%arg: memref<4xi1>) -> (memref<4xi1>, memref<2xf32>, memref<4xi1>, memref<4xi1>) {
  %0 = memref.alloc() : memref<2xf32>
  return %arg, %0, %arg, %arg : memref<4xi1>, memref<2xf32>, memref<4xi1>, memref<4xi1>
}

// Dynamic sizes come from the value; the copy has the result's type.
// CHECK-LABEL: func.func @dynamic
// CHECK-SAME:    (%[[ARG:.+]]: memref<?x4xf32>)
// CHECK:         %[[DIM:.+]] = memref.dim %[[ARG]], %{{.+}}
// CHECK:         %[[COPY:.+]] = memref.alloc(%[[DIM]]) {alignment = 64 : i64} : memref<?x4xf32>
// CHECK:         memref.copy %[[ARG]], %[[COPY]]
// CHECK:         return %[[ARG]], %[[COPY]]
func.func @dynamic(%arg: memref<?x4xf32>) -> (memref<?x4xf32>, memref<?x4xf32>) {
  return %arg, %arg : memref<?x4xf32>, memref<?x4xf32>
}

// Distinct buffers, repeated scalars and tensors are left alone.
// CHECK-LABEL: func.func @distinct
// CHECK-NOT:     memref.copy
// CHECK:         return
func.func @distinct(%a: memref<2xf32>, %b: memref<2xf32>, %i: index, %t: tensor<2xf32>) -> (memref<2xf32>, memref<2xf32>, index, index, tensor<2xf32>, tensor<2xf32>) {
  return %a, %b, %i, %i, %t, %t : memref<2xf32>, memref<2xf32>, index, index, tensor<2xf32>, tensor<2xf32>
}
