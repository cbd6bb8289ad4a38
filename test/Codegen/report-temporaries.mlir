// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-report-temporaries))" --split-input-file --verify-diagnostics | FileCheck %s

// The remark's numbers, worked out: 64 + 64 bytes (16 f32, 64 i1 taking a
// byte each), 64 freed, then 800 (100 i64) and 8 inside the loop: the
// peak is 64 + 800 + 8 = 872; 4 allocations of 64 + 64 + 800 + 8 = 936.
// The IR is unchanged.
// CHECK-LABEL: func.func @straight
// CHECK-COUNT-4: memref.alloc
// expected-remark @+1 {{temporaries of @straight per call: peak 872 bytes, 4 allocations of 936 bytes in all}}
func.func @straight(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %a = memref.alloc() : memref<16xf32>
  %b = memref.alloc() : memref<8x8xi1>
  memref.dealloc %a : memref<16xf32>
  %c = memref.alloc() : memref<100xi64>
  scf.for %i = %c0 to %n step %c1 {
    %d = memref.alloc() : memref<2xi32>
    memref.dealloc %d : memref<2xi32>
  }
  memref.dealloc %b : memref<8x8xi1>
  memref.dealloc %c : memref<100xi64>
  return
}

// -----

// A dynamic shape: what is known, as a lower bound.
// expected-remark @+1 {{temporaries of @dynamic per call: at least peak 4.0 KiB, 2 allocations of 4.0 KiB in all (some sizes are dynamic or too large to count)}}
func.func @dynamic(%n: index) {
  %a = memref.alloc(%n) : memref<?xf32>
  %b = memref.alloc() : memref<1024xf32>
  memref.dealloc %a : memref<?xf32>
  memref.dealloc %b : memref<1024xf32>
  return
}

// -----

// Sizes that do not fit in 64 bits are not counted.
// expected-remark @+1 {{temporaries of @huge per call: at least peak 64 bytes, 3 allocations of 64 bytes in all (some sizes are dynamic or too large to count)}}
func.func @huge() {
  %a = memref.alloc() : memref<4611686018427387904xi64>
  %b = memref.alloc() : memref<16xf32>
  %c = memref.alloc() : memref<4611686018427387904xi64>
  memref.dealloc %a : memref<4611686018427387904xi64>
  memref.dealloc %b : memref<16xf32>
  memref.dealloc %c : memref<4611686018427387904xi64>
  return
}

// -----

// Private functions are not called through the ABI: nothing to say.
func.func private @helper() {
  %a = memref.alloc() : memref<16xf32>
  memref.dealloc %a : memref<16xf32>
  return
}
