// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-split-deallocs))" --split-input-file | FileCheck %s
// What buffer-deallocation-simplification makes of the same input, with and
// without the split first: the same IR.
// RUN: bnn-opt %s --pass-pipeline="builtin.module(buffer-deallocation-simplification)" --split-input-file > %t.alone
// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-split-deallocs),buffer-deallocation-simplification)" --split-input-file > %t.split
// RUN: diff %t.alone %t.split

// Distinct allocations, nothing retained: one dealloc each, in operand
// order, each with its own condition.
// CHECK-LABEL: func.func @distinct
// CHECK-SAME: (%[[C:.+]]: i1)
// CHECK-DAG: %[[TRUE:.+]] = arith.constant true
// CHECK-DAG: %[[A:.+]] = memref.alloc() : memref<4xf32>
// CHECK-DAG: %[[B:.+]] = memref.alloc() : memref<8xi64>
// CHECK-DAG: %[[D:.+]] = memref.alloc() : memref<2xi1>
// CHECK: bufferization.dealloc (%[[A]] : memref<4xf32>) if (%[[TRUE]])
// CHECK-NEXT: bufferization.dealloc (%[[B]] : memref<8xi64>) if (%[[C]])
// CHECK-NEXT: bufferization.dealloc (%[[D]] : memref<2xi1>) if (%[[TRUE]])
// CHECK-NEXT: return
func.func @distinct(%c: i1) {
  %true = arith.constant true
  %a = memref.alloc() : memref<4xf32>
  %b = memref.alloc() : memref<8xi64>
  %d = memref.alloc() : memref<2xi1>
  bufferization.dealloc (%a, %b, %d : memref<4xf32>, memref<8xi64>, memref<2xi1>) if (%true, %c, %true)
  return
}

// -----

// A memref that is not an allocation's result (an argument, a view) may
// alias another: left to buffer-deallocation-simplification's analysis.
// CHECK-LABEL: func.func @maybe_aliasing
// CHECK: bufferization.dealloc (%{{.+}}, %{{.+}} : memref<4xf32>, memref<2xf32, strided<[1]>>)
// CHECK: bufferization.dealloc (%{{.+}}, %{{.+}} : memref<4xf32>, memref<4xf32>)
func.func @maybe_aliasing(%arg: memref<4xf32>, %c: i1) {
  %a = memref.alloc() : memref<4xf32>
  %v = memref.subview %a[0] [2] [1] : memref<4xf32> to memref<2xf32, strided<[1]>>
  bufferization.dealloc (%a, %v : memref<4xf32>, memref<2xf32, strided<[1]>>) if (%c, %c)
  bufferization.dealloc (%a, %arg : memref<4xf32>, memref<4xf32>) if (%c, %c)
  return
}

// -----

// A dealloc that retains memrefs has results to combine; one that names a
// memref twice, one memref, or none at all: unchanged.
// CHECK-LABEL: func.func @unchanged
// CHECK: bufferization.dealloc (%[[A:.+]], %[[B:.+]] : memref<4xf32>, memref<4xf32>) if (%{{.+}}, %{{.+}}) retain (%{{.+}} : memref<4xf32>)
// CHECK: bufferization.dealloc (%[[A]], %[[A]] : memref<4xf32>, memref<4xf32>)
// CHECK: bufferization.dealloc (%[[B]] : memref<4xf32>) if
// CHECK-NOT: bufferization.dealloc (
func.func @unchanged(%r: memref<4xf32>, %c: i1) -> i1 {
  %a = memref.alloc() : memref<4xf32>
  %b = memref.alloc() : memref<4xf32>
  %0 = bufferization.dealloc (%a, %b : memref<4xf32>, memref<4xf32>) if (%c, %c) retain (%r : memref<4xf32>)
  bufferization.dealloc (%a, %a : memref<4xf32>, memref<4xf32>) if (%c, %c)
  bufferization.dealloc (%b : memref<4xf32>) if (%c)
  bufferization.dealloc
  return %0 : i1
}
