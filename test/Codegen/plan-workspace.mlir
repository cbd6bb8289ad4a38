// RUN: bnn-opt %s --bnn-plan-workspace=report=true --split-input-file --verify-diagnostics | FileCheck %s

// Three temporaries: %b (128 bytes) is placed first, at 0; %a (64 bytes)
// lives at the same time, at 128; %c is allocated after %a is freed and
// takes its bytes. @three is an entry point (public, called by nothing):
// it takes a workspace from its caller as a last argument and records the
// size. When that is null, the workspace (192 bytes) comes from the
// function's cache, or aligned_alloc when the cache is empty, and goes back
// to the cache at the return (freeing what a concurrent call left there).
// CHECK-DAG: llvm.func @free(!llvm.ptr)
// CHECK-DAG: llvm.func @aligned_alloc(i64, i64) -> !llvm.ptr
// CHECK-LABEL: func.func @three
// CHECK-SAME: (%[[IN:.+]]: memref<16xf32>, %[[OUT:.+]]: memref<16xf32>, %[[SUPPLIED:.+]]: !llvm.ptr)
// CHECK-SAME: attributes {bnn.workspace_bytes = 192 : i64}
// CHECK: %[[NONE:.+]] = llvm.mlir.zero : !llvm.ptr
// CHECK: %[[OWN:.+]] = llvm.icmp "eq" %[[SUPPLIED]], %[[NONE]]
// CHECK: %[[BASE:.+]] = scf.if %[[OWN]] -> (!llvm.ptr) {
// CHECK: %[[CACHE:.+]] = llvm.mlir.addressof @__bnn_workspace_three
// CHECK: %[[NULL:.+]] = llvm.mlir.zero : !llvm.ptr
// CHECK: %[[CACHED:.+]] = llvm.atomicrmw xchg %[[CACHE]], %[[NULL]] acquire
// CHECK: %[[EMPTY:.+]] = llvm.icmp "eq" %[[CACHED]], %[[NULL]]
// CHECK: %[[GOT:.+]] = scf.if %[[EMPTY]] -> (!llvm.ptr) {
// CHECK-DAG: %[[ALIGN:.+]] = llvm.mlir.constant(64 : i64)
// CHECK-DAG: %[[SIZE:.+]] = llvm.mlir.constant(192 : i64)
// CHECK: %[[NEW:.+]] = llvm.call @aligned_alloc(%[[ALIGN]], %[[SIZE]])
// CHECK: scf.yield %[[NEW]]
// CHECK: } else {
// CHECK: scf.yield %[[CACHED]]
// CHECK: scf.yield %[[GOT]]
// CHECK: } else {
// CHECK: scf.yield %[[SUPPLIED]]
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
// A supplied workspace stays the caller's.
// CHECK: scf.if %[[OWN]] {
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

// -----

// Functions that are not entry points (private, or called) keep their
// signature and always use their cache.
// CHECK-LABEL: func.func private @helper(%{{.+}}: memref<4xf32>) {
// CHECK: llvm.atomicrmw xchg
// CHECK: memref.view
// CHECK-LABEL: func.func @called(%{{.+}}: memref<4xf32>) {
// CHECK: llvm.atomicrmw xchg
// CHECK-LABEL: func.func @caller(%{{.+}}: memref<4xf32>) {
// CHECK: call @called
func.func private @helper(%x: memref<4xf32>) {
  %t = memref.alloc() : memref<4xf32>
  memref.copy %x, %t : memref<4xf32> to memref<4xf32>
  memref.dealloc %t : memref<4xf32>
  return
}
// expected-remark @below {{workspace of @called: 64 bytes for 1 temporaries}}
func.func @called(%x: memref<4xf32>) {
  %t = memref.alloc() : memref<4xf32>
  memref.copy %x, %t : memref<4xf32> to memref<4xf32>
  memref.dealloc %t : memref<4xf32>
  return
}
func.func @caller(%x: memref<4xf32>) {
  call @called(%x) : (memref<4xf32>) -> ()
  return
}

// -----

// The temporaries of a parallel loop's body: iterations may run at once,
// so each gets a slot of its own in the workspace. Iteration (i, j) of the
// 3 x 2 iterations (i from 2 step 2, j from 0) is number (i - 2) / 2 * 2 +
// j; its slot (two buffers of 64 and 4 bytes, 128 bytes) starts at 128
// times that. The slots (768 bytes) are placed first, %big (512 bytes),
// which lives at the same time, after them.
// CHECK-LABEL: func.func @slots
// CHECK-SAME: attributes {bnn.workspace_bytes = 1280 : i64}
// CHECK: %[[WS:.+]] = builtin.unrealized_conversion_cast %{{.+}} to memref<1280xi8>
// CHECK: %[[C768:.+]] = arith.constant 768 : index
// CHECK: memref.view %[[WS]][%[[C768]]][] : memref<1280xi8> to memref<128xf32>
// CHECK: scf.forall (%[[I:.+]], %[[J:.+]]) = (2, 0) to (8, 2) step (2, 1) {
// CHECK: %[[C2:.+]] = arith.constant 2 : index
// CHECK: %[[I0:.+]] = arith.subi %[[I]], %[[C2]]
// CHECK: %[[C2B:.+]] = arith.constant 2 : index
// CHECK: %[[I1:.+]] = arith.divui %[[I0]], %[[C2B]]
// CHECK: %[[TRIPS:.+]] = arith.constant 2 : index
// CHECK: %[[ROW:.+]] = arith.muli %[[I1]], %[[TRIPS]]
// CHECK: %[[N:.+]] = arith.addi %[[ROW]], %[[J]]
// CHECK: %[[BASE:.+]] = arith.constant 0 : index
// CHECK: %[[SLOT:.+]] = arith.constant 128 : index
// CHECK: %[[REL:.+]] = arith.muli %[[N]], %[[SLOT]]
// CHECK: %[[AT:.+]] = arith.addi %[[BASE]], %[[REL]]
// CHECK: memref.view %[[WS]][%[[AT]]][] : memref<1280xi8> to memref<16xf32>
// CHECK: %[[C64:.+]] = arith.constant 64 : index
// CHECK: %[[AT2:.+]] = arith.addi %[[AT]], %[[C64]]
// CHECK: memref.view %[[WS]][%[[AT2]]][] : memref<1280xi8> to memref<1xi32>
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.dealloc
// CHECK: memref.copy
// CHECK-NEXT: }
// expected-remark @below {{workspace of @slots: 1280 bytes for 3 temporaries}}
func.func @slots(%out: memref<8x2x16xf32>) {
  %big = memref.alloc() : memref<128xf32>
  scf.forall (%i, %j) = (2, 0) to (8, 2) step (2, 1) {
    %a = memref.alloc() : memref<16xf32>
    %n = memref.alloc() : memref<1xi32>
    %o = memref.subview %out[%i, %j, 0] [1, 1, 16] [1, 1, 1] : memref<8x2x16xf32> to memref<16xf32, strided<[1], offset: ?>>
    memref.copy %a, %o : memref<16xf32> to memref<16xf32, strided<[1], offset: ?>>
    memref.dealloc %n : memref<1xi32>
    memref.dealloc %a : memref<16xf32>
  }
  memref.dealloc %big : memref<128xf32>
  return
}

// -----

// A parallel loop with a dynamic bound keeps its allocations.
// CHECK-LABEL: func.func @dynamic_loop
// CHECK-NOT: bnn.workspace_bytes
// CHECK: scf.forall
// CHECK: memref.alloc() : memref<16xf32>
func.func @dynamic_loop(%n: index, %out: memref<?x16xf32>) {
  scf.forall (%i) in (%n) {
    %a = memref.alloc() : memref<16xf32>
    %o = memref.subview %out[%i, 0] [1, 16] [1, 1] : memref<?x16xf32> to memref<16xf32, strided<[1], offset: ?>>
    memref.copy %a, %o : memref<16xf32> to memref<16xf32, strided<[1], offset: ?>>
    memref.dealloc %a : memref<16xf32>
  }
  return
}
