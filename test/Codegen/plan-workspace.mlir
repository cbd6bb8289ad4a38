// RUN: bnn-opt %s --bnn-plan-workspace=report=true --split-input-file --verify-diagnostics | FileCheck %s

// Three temporaries: %b (128 bytes) is placed first, at 0; %a (64 bytes)
// lives at the same time, at 128; %c is allocated after %a is freed and
// takes its bytes. The workspace (192 bytes) comes from the function's
// cache, or aligned_alloc when the cache is empty, and goes back to the
// cache at the return (freeing what a concurrent call left there).
// CHECK-DAG: llvm.func @free(!llvm.ptr)
// CHECK-DAG: llvm.func @aligned_alloc(i64, i64) -> !llvm.ptr
// CHECK-LABEL: func.func @three
// CHECK-SAME: (%[[IN:.+]]: memref<16xf32>, %[[OUT:.+]]: memref<16xf32>)
// CHECK: %[[CACHE:.+]] = llvm.mlir.addressof @__bnn_workspace_three
// CHECK: %[[NULL:.+]] = llvm.mlir.zero : !llvm.ptr
// CHECK: %[[CACHED:.+]] = llvm.atomicrmw xchg %[[CACHE]], %[[NULL]] acquire
// CHECK: %[[EMPTY:.+]] = llvm.icmp "eq" %[[CACHED]], %[[NULL]]
// CHECK: %[[BASE:.+]] = scf.if %[[EMPTY]] -> (!llvm.ptr) {
// CHECK-DAG: %[[ALIGN:.+]] = llvm.mlir.constant(64 : i64)
// CHECK-DAG: %[[SIZE:.+]] = llvm.mlir.constant(192 : i64)
// CHECK: %[[NEW:.+]] = llvm.call @aligned_alloc(%[[ALIGN]], %[[SIZE]])
// CHECK: scf.yield %[[NEW]]
// CHECK: } else {
// CHECK: scf.yield %[[CACHED]]
// CHECK: %[[WS:.+]] = builtin.unrealized_conversion_cast %{{.+}} : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> to memref<192xi8>
// CHECK: %[[C128:.+]] = arith.constant 128 : index
// CHECK: %[[A:.+]] = memref.view %[[WS]][%[[C128]]][] : memref<192xi8> to memref<16xf32>
// CHECK: memref.copy %[[IN]], %[[A]]
// CHECK: %[[C0:.+]] = arith.constant 0 : index
// CHECK: %[[B:.+]] = memref.view %[[WS]][%[[C0]]][] : memref<192xi8> to memref<32xf32>
// CHECK: %[[C128B:.+]] = arith.constant 128 : index
// CHECK: %[[C:.+]] = memref.view %[[WS]][%[[C128B]]][] : memref<192xi8> to memref<16xf32>
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.dealloc
// CHECK: %[[AGAIN:.+]] = llvm.mlir.addressof @__bnn_workspace_three
// CHECK: %[[OLD:.+]] = llvm.atomicrmw xchg %[[AGAIN]], %[[BASE]] release
// CHECK: %[[SOME:.+]] = llvm.icmp "ne" %[[OLD]]
// CHECK: scf.if %[[SOME]] {
// CHECK: llvm.call @free(%[[OLD]])
// CHECK: return
// The cache starts empty; the artifact frees the cached workspaces when it
// is unloaded.
// CHECK: llvm.mlir.global internal @__bnn_workspace_three() {{.*}} : !llvm.ptr
// CHECK-NEXT: llvm.mlir.zero : !llvm.ptr
// CHECK: llvm.func internal @__bnn_free_workspaces()
// CHECK: %[[G:.+]] = llvm.mlir.addressof @__bnn_workspace_three
// CHECK: %[[P:.+]] = llvm.load %[[G]] : !llvm.ptr -> !llvm.ptr
// CHECK: llvm.call @free(%[[P]])
// CHECK: llvm.mlir.global_dtors dtors = [@__bnn_free_workspaces]
// expected-remark @below {{workspace of @three: 192 bytes for 3 temporaries}}
func.func @three(%in: memref<16xf32>, %out: memref<16xf32>) {
  %a = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
  memref.copy %in, %a : memref<16xf32> to memref<16xf32>
  %b = memref.alloc() {alignment = 64 : i64} : memref<32xf32>
  %bs = memref.subview %b[0] [16] [1] : memref<32xf32> to memref<16xf32, strided<[1]>>
  memref.copy %a, %bs : memref<16xf32> to memref<16xf32, strided<[1]>>
  memref.dealloc %a : memref<16xf32>
  %c = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
  memref.copy %bs, %c : memref<16xf32, strided<[1]>> to memref<16xf32>
  memref.dealloc %b : memref<32xf32>
  memref.copy %c, %out : memref<16xf32> to memref<16xf32>
  memref.dealloc %c : memref<16xf32>
  return
}

// -----

// Not temporaries of the workspace: a dynamic size, a buffer freed in a
// nested region or never, a returned buffer, and elements (i4) a view of
// bytes would lay out differently. Nothing changes.
// CHECK-LABEL: func.func @kept
// CHECK-NOT: llvm.atomicrmw
// CHECK-NOT: memref.view
// CHECK: memref.alloc(%{{.+}}) : memref<?xf32>
// CHECK: memref.alloc() : memref<4xf32>
// CHECK: memref.alloc() : memref<4xi4>
// CHECK: memref.alloc() : memref<4xf32>
// CHECK-NOT: llvm.mlir.global_dtors
func.func @kept(%n: index, %flag: i1) -> memref<4xf32> {
  %d = memref.alloc(%n) : memref<?xf32>
  memref.dealloc %d : memref<?xf32>
  %e = memref.alloc() : memref<4xf32>
  scf.if %flag {
    memref.dealloc %e : memref<4xf32>
  }
  %f = memref.alloc() : memref<4xi4>
  memref.dealloc %f : memref<4xi4>
  %r = memref.alloc() : memref<4xf32>
  return %r : memref<4xf32>
}
