// RUN: bnn-opt %s --bnn-split-large-functions="max-ops=12" --split-input-file | FileCheck %s
// RUN: bnn-opt %s --bnn-split-large-functions="max-ops=20 max-arguments=0" --split-input-file | FileCheck %s --check-prefix=ARGS
// RUN: bnn-opt %s --bnn-split-large-functions --split-input-file | FileCheck %s --check-prefix=DEFAULT
// RUN: bnn-opt %s --bnn-split-large-functions="max-ops=100" --split-input-file | FileCheck %s --check-prefix=SMALL
// RUN: not bnn-opt %s --bnn-split-large-functions="max-ops=0" --split-input-file 2>&1 | FileCheck %s --check-prefix=BAD

// Loops of 5 operations each (the loop, load, arithmetic, store, yield;
// 1024 iterations are not unrolled): chunks of at most 12 operations, each in a private function that is
// never inlined and called in its place. A chunk takes what it uses from
// before it (%x, then the buffer %a) and returns what is used after it;
// constants are cloned into each chunk. The alloca %s and its last use stay
// in one chunk even though that chunk grows past 12 operations.
// CHECK-LABEL: func.func @seq
// CHECK-SAME: (%[[X:.+]]: memref<1024xf32>, %[[Y:.+]]: memref<1024xf32>)
// CHECK-NOT: scf.for
// CHECK: %[[A:.+]] = call @seq__part0(%[[X]]) : (memref<1024xf32>) -> memref<1024xf32>
// CHECK-NEXT: call @seq__part1(%[[A]], %[[Y]]) : (memref<1024xf32>, memref<1024xf32>) -> ()
// CHECK-NEXT: return
// CHECK: func.func private @seq__part0(%[[X0:.+]]: memref<1024xf32>) -> memref<1024xf32> attributes {passthrough = ["noinline"]}
// CHECK-DAG: %[[C0:.+]] = arith.constant 0 : index
// CHECK-DAG: %[[C1024:.+]] = arith.constant 1024 : index
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : index
// CHECK: %[[A0:.+]] = memref.alloc() : memref<1024xf32>
// CHECK: scf.for %{{.+}} = %[[C0]] to %[[C1024]] step %[[C1]]
// CHECK: memref.load %[[X0]]
// CHECK: arith.addf
// CHECK: %[[S:.+]] = memref.alloca() : memref<1024xf32>
// CHECK: arith.mulf
// CHECK: memref.store %{{.+}}, %[[S]]
// CHECK: memref.load %[[S]]
// CHECK: arith.subf
// CHECK: return %[[A0]] : memref<1024xf32>
// CHECK: func.func private @seq__part1(%[[A1:.+]]: memref<1024xf32>, %[[Y1:.+]]: memref<1024xf32>) attributes {passthrough = ["noinline"]}
// CHECK: memref.load %[[A1]]
// CHECK: memref.store %{{.+}}, %[[Y1]]
// CHECK: memref.dealloc %[[A1]]
// CHECK-NEXT: return
// No value from before a chunk: every operation that takes one starts a
// new chunk (but the first of a chunk is always taken, and the alloca stays
// with its last use).
// ARGS-LABEL: func.func @seq
// ARGS-SAME: (%[[X:.+]]: memref<1024xf32>, %[[Y:.+]]: memref<1024xf32>)
// ARGS: %[[A:.+]] = call @seq__part0() : () -> memref<1024xf32>
// ARGS-NEXT: call @seq__part1(%[[X]], %[[A]])
// ARGS-NEXT: call @seq__part2(%[[A]])
// ARGS-NEXT: call @seq__part3(%[[A]], %[[Y]])
// ARGS-NEXT: call @seq__part4(%[[A]])
// ARGS-NEXT: return
// ARGS: func.func private @seq__part2
// ARGS: memref.alloca
// ARGS: arith.mulf
// ARGS: arith.subf
// ARGS: return
// The default bound (500 operations) leaves the function as it is.
// DEFAULT-LABEL: func.func @seq
// DEFAULT-NOT: call
// DEFAULT-COUNT-4: scf.for
// DEFAULT-NOT: func.func private
// BAD: max-ops must be >= 1
func.func @seq(%x: memref<1024xf32>, %y: memref<1024xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c1024 = arith.constant 1024 : index
  %a = memref.alloc() : memref<1024xf32>
  scf.for %i = %c0 to %c1024 step %c1 {
    %v = memref.load %x[%i] : memref<1024xf32>
    %w = arith.addf %v, %v : f32
    memref.store %w, %a[%i] : memref<1024xf32>
  }
  %s = memref.alloca() : memref<1024xf32>
  scf.for %i = %c0 to %c1024 step %c1 {
    %v = memref.load %a[%i] : memref<1024xf32>
    %w = arith.mulf %v, %v : f32
    memref.store %w, %s[%i] : memref<1024xf32>
  }
  scf.for %i = %c0 to %c1024 step %c1 {
    %v = memref.load %s[%i] : memref<1024xf32>
    %w = arith.subf %v, %v : f32
    memref.store %w, %a[%i] : memref<1024xf32>
  }
  scf.for %i = %c0 to %c1024 step %c1 {
    %v = memref.load %a[%i] : memref<1024xf32>
    memref.store %v, %y[%i] : memref<1024xf32>
  }
  memref.dealloc %a : memref<1024xf32>
  return
}

// -----

// An operation larger than the bound is a chunk of its own; values
// computed in one chunk and used after it are returned (scalars too).
// CHECK-LABEL: func.func @big_loop
// CHECK-SAME: (%[[X:.+]]: memref<1024xf32>, %[[Y:.+]]: memref<1024xf32>)
// CHECK: %[[R:.+]]:2 = call @big_loop__part0(%[[X]]) : (memref<1024xf32>) -> (memref<1024xf32>, f32)
// CHECK-NEXT: call @big_loop__part1(%[[X]], %[[R]]#0) : (memref<1024xf32>, memref<1024xf32>) -> ()
// CHECK-NEXT: call @big_loop__part2(%[[R]]#0, %[[R]]#1, %[[Y]]) : (memref<1024xf32>, f32, memref<1024xf32>) -> ()
// CHECK: func.func private @big_loop__part0
// CHECK-NOT: scf.for
// CHECK: return %{{.+}}, %{{.+}} : memref<1024xf32>, f32
// CHECK: func.func private @big_loop__part1
// CHECK-COUNT-10: arith.addf
// CHECK: func.func private @big_loop__part2
// CHECK: arith.mulf
func.func @big_loop(%x: memref<1024xf32>, %y: memref<1024xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c1024 = arith.constant 1024 : index
  %a = memref.alloc() : memref<1024xf32>
  %k = memref.load %x[%c0] : memref<1024xf32>
  scf.for %i = %c0 to %c1024 step %c1 {
    %v = memref.load %x[%i] : memref<1024xf32>
    %w0 = arith.addf %v, %v : f32
    %w1 = arith.addf %w0, %v : f32
    %w2 = arith.addf %w1, %v : f32
    %w3 = arith.addf %w2, %v : f32
    %w4 = arith.addf %w3, %v : f32
    %w5 = arith.addf %w4, %v : f32
    %w6 = arith.addf %w5, %v : f32
    %w7 = arith.addf %w6, %v : f32
    %w8 = arith.addf %w7, %v : f32
    %w9 = arith.addf %w8, %v : f32
    memref.store %w9, %a[%i] : memref<1024xf32>
  }
  scf.for %i = %c0 to %c1024 step %c1 {
    %v = memref.load %a[%i] : memref<1024xf32>
    %w = arith.mulf %v, %k : f32
    memref.store %w, %y[%i] : memref<1024xf32>
  }
  memref.dealloc %a : memref<1024xf32>
  return
}

// -----

// Functions with more than one block are left alone.
// CHECK-LABEL: func.func @blocks
// CHECK-NOT: call
// CHECK: cf.br
func.func @blocks(%x: memref<1024xf32>, %y: memref<1024xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c1024 = arith.constant 1024 : index
  scf.for %i = %c0 to %c1024 step %c1 {
    %v = memref.load %x[%i] : memref<1024xf32>
    %w = arith.addf %v, %v : f32
    memref.store %w, %y[%i] : memref<1024xf32>
  }
  cf.br ^next
^next:
  scf.for %i = %c0 to %c1024 step %c1 {
    %v = memref.load %y[%i] : memref<1024xf32>
    %w = arith.mulf %v, %v : f32
    memref.store %w, %x[%i] : memref<1024xf32>
  }
  return
}

// -----

// Loops with a static trip count whose unrolled body is small count
// unrolled, as LLVM will unroll them: 1 + 16 x 4 operations each, so two
// such loops do not fit in 100 operations (two loops of 1024 iterations
// would, at 5 each).
// CHECK-LABEL: func.func @unrolled
// CHECK: call @unrolled__part0(
// CHECK-NEXT: call @unrolled__part1(
// CHECK-NEXT: return
// SMALL-LABEL: func.func @unrolled
// SMALL: call @unrolled__part0(
// SMALL-NEXT: call @unrolled__part1(
// SMALL-NEXT: return
func.func @unrolled(%x: memref<16xf32>, %y: memref<16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  scf.for %i = %c0 to %c16 step %c1 {
    %v = memref.load %x[%i] : memref<16xf32>
    %w = arith.addf %v, %v : f32
    memref.store %w, %y[%i] : memref<16xf32>
  }
  scf.for %i = %c0 to %c16 step %c1 {
    %v = memref.load %y[%i] : memref<16xf32>
    %w = arith.mulf %v, %v : f32
    memref.store %w, %x[%i] : memref<16xf32>
  }
  return
}
