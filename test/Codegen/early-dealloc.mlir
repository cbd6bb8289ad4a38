// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-early-dealloc))" --split-input-file | FileCheck %s

// Each temporary is freed right after the last operation that uses it or
// a view of it; a use inside a loop counts at the loop.
// CHECK-LABEL: func.func @chain
// CHECK: %[[A:.+]] = memref.alloc() : memref<16xf32>
// CHECK: %[[B:.+]] = memref.alloc() : memref<16xf32>
// CHECK: linalg.copy ins(%[[A]] : memref<16xf32>) outs(%[[B]] : memref<16xf32>)
// CHECK-NEXT: memref.dealloc %[[A]]
// CHECK: %[[V:.+]] = memref.expand_shape %[[B]]
// CHECK: %[[C:.+]] = memref.alloc() : memref<4x4xf32>
// CHECK: scf.for
// CHECK: memref.load %[[V]]
// CHECK: }
// CHECK-NEXT: memref.dealloc %[[B]]
// CHECK: linalg.copy ins(%[[C]] : memref<4x4xf32>) outs(%{{.+}} : memref<4x4xf32>)
// CHECK-NEXT: memref.dealloc %[[C]]
// CHECK-NEXT: return
func.func @chain(%in: memref<16xf32>, %out: memref<4x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %a = memref.alloc() : memref<16xf32>
  linalg.copy ins(%in : memref<16xf32>) outs(%a : memref<16xf32>)
  %b = memref.alloc() : memref<16xf32>
  linalg.copy ins(%a : memref<16xf32>) outs(%b : memref<16xf32>)
  %v = memref.expand_shape %b [[0, 1]] output_shape [4, 4] : memref<16xf32> into memref<4x4xf32>
  %c = memref.alloc() : memref<4x4xf32>
  scf.for %i = %c0 to %c4 step %c1 {
    %x = memref.load %v[%i, %c0] : memref<4x4xf32>
    memref.store %x, %c[%i, %c0] : memref<4x4xf32>
  }
  linalg.copy ins(%c : memref<4x4xf32>) outs(%out : memref<4x4xf32>)
  memref.dealloc %a : memref<16xf32>
  memref.dealloc %b : memref<16xf32>
  memref.dealloc %c : memref<4x4xf32>
  return
}

// -----

// A dealloc in a nested region, and a buffer of an argument, stay.
// CHECK-LABEL: func.func @nested
// CHECK: scf.if
// CHECK-NEXT: memref.dealloc
// CHECK: memref.dealloc %arg1
// CHECK-NEXT: return
func.func @nested(%cond: i1, %buf: memref<4xf32>) {
  %a = memref.alloc() : memref<4xf32>
  scf.if %cond {
    memref.dealloc %a : memref<4xf32>
  }
  %c0 = arith.constant 0 : index
  %x = memref.load %buf[%c0] : memref<4xf32>
  memref.dealloc %buf : memref<4xf32>
  return
}
