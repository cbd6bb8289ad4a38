// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-vectorize-float-conv{vector-bits=256},canonicalize))" | FileCheck %s
// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-vectorize-float-conv{vector-bits=256 threads=true},canonicalize))" | FileCheck %s --check-prefix=THREADS

// A stem-like convolution (3 input channels, 16 filters): the filter goes
// to HWCF, tiles of one output row and kernel row x 7 columns x 16
// channels become a 1-D convolution, vectorized; its contraction over the
// 3 channels is a sequence of separate multiplies and adds of 16-lane
// vectors (no fused multiply-add: the same rounding as the scalar loops).
// CHECK-LABEL: func.func @stem
// CHECK-NOT: linalg.conv
// CHECK: scf.for %{{.+}} = %c0 to %c7 step %c1
// CHECK: scf.for %{{.+}} = %c0 to %c3 step %c1
// CHECK: arith.mulf %{{.+}} : vector<16xf32>
// CHECK: arith.addf %{{.+}} : vector<16xf32>
// CHECK-NOT: vector.fma
// CHECK-NOT: vector.contract
// CHECK-NOT: vector.outerproduct
// CHECK: return
// With threads, the output rows (and images) are the tasks of an
// scf.forall, each tiled and vectorized as above.
// THREADS-LABEL: func.func @stem
// THREADS: scf.forall (%{{.+}}) in (7) shared_outs
// THREADS: scf.for
// THREADS: arith.mulf %{{.+}} : vector<16xf32>
// THREADS: scf.forall.in_parallel
// THREADS-LABEL: func.func @dynamic
// THREADS-NOT: scf.forall
// THREADS: linalg.conv_2d_nhwc_fhwc
func.func @stem(%x: tensor<1x9x9x3xf32>, %init: tensor<1x7x7x16xf32>) -> tensor<1x7x7x16xf32> {
  %w = arith.constant dense<0.5> : tensor<16x3x3x3xf32>
  %r = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x9x9x3xf32>, tensor<16x3x3x3xf32>) outs(%init : tensor<1x7x7x16xf32>) -> tensor<1x7x7x16xf32>
  return %r : tensor<1x7x7x16xf32>
}

// Dynamic shapes are left alone.
// CHECK-LABEL: func.func @dynamic
// CHECK: linalg.conv_2d_nhwc_fhwc
func.func @dynamic(%x: tensor<1x?x9x3xf32>, %w: tensor<16x3x3x3xf32>, %init: tensor<1x?x7x16xf32>) -> tensor<1x?x7x16xf32> {
  %r = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x?x9x3xf32>, tensor<16x3x3x3xf32>) outs(%init : tensor<1x?x7x16xf32>) -> tensor<1x?x7x16xf32>
  return %r : tensor<1x?x7x16xf32>
}

// Stride 2 and 24 output channels on 256-bit vectors: channel tiles of the
// largest divisor of 24 up to two vectors (12 lanes), 7 output columns (7
// divides 7); still separate multiplies and adds.
// CHECK-LABEL: func.func @strided
// CHECK-NOT: linalg.conv
// CHECK: arith.mulf %{{.+}} : vector<12xf32>
// CHECK: arith.addf %{{.+}} : vector<12xf32>
// CHECK-NOT: vector.fma
// CHECK: return
func.func @strided(%x: tensor<1x15x15x3xf32>, %init: tensor<1x7x7x24xf32>) -> tensor<1x7x7x24xf32> {
  %w = arith.constant dense<0.25> : tensor<24x3x3x3xf32>
  %r = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x15x15x3xf32>, tensor<24x3x3x3xf32>) outs(%init : tensor<1x7x7x24xf32>) -> tensor<1x7x7x24xf32>
  return %r : tensor<1x7x7x24xf32>
}

// Integer convolutions are not the float glue's: the filter is transposed
// to HWCF, nothing more.
// CHECK-LABEL: func.func @integer
// CHECK: linalg.conv_2d_nhwc_hwcf
// CHECK-NOT: vector<
// CHECK: return
func.func @integer(%x: tensor<1x9x9x3xi32>, %w: tensor<16x3x3x3xi32>, %init: tensor<1x7x7x16xi32>) -> tensor<1x7x7x16xi32> {
  %r = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x9x9x3xi32>, tensor<16x3x3x3xi32>) outs(%init : tensor<1x7x7x16xi32>) -> tensor<1x7x7x16xi32>
  return %r : tensor<1x7x7x16xi32>
}

// Pooling takes the same route: tiles of one output row and kernel row x
// 8 columns x up to four vectors of channels (24 here: the largest divisor
// of 24 up to 32 lanes), decomposed into 1-D pooling and vectorized; the
// window's maximum (or sum) is taken lane-wise, one kernel column after
// the other, in the scalar loops' order.
// CHECK-LABEL: func.func @max_pool
// CHECK-NOT: linalg.pooling
// CHECK: scf.for %{{.+}} = %c0 to %c3 step %c1
// CHECK: arith.maximumf %{{.+}} : vector<1x1x24xf32>
// CHECK: return
func.func @max_pool(%x: tensor<1x17x17x24xf32>, %init: tensor<1x8x8x24xf32>) -> tensor<1x8x8x24xf32> {
  %k = tensor.empty() : tensor<3x3xf32>
  %r = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %k : tensor<1x17x17x24xf32>, tensor<3x3xf32>) outs(%init : tensor<1x8x8x24xf32>) -> tensor<1x8x8x24xf32>
  return %r : tensor<1x8x8x24xf32>
}

// CHECK-LABEL: func.func @sum_pool
// CHECK-NOT: linalg.pooling
// CHECK: arith.addf %{{.+}} : vector<1x8x24xf32>
// CHECK: return
func.func @sum_pool(%x: tensor<1x10x10x24xf32>, %init: tensor<1x8x8x24xf32>) -> tensor<1x8x8x24xf32> {
  %k = tensor.empty() : tensor<3x3xf32>
  %r = linalg.pooling_nhwc_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %k : tensor<1x10x10x24xf32>, tensor<3x3xf32>) outs(%init : tensor<1x8x8x24xf32>) -> tensor<1x8x8x24xf32>
  return %r : tensor<1x8x8x24xf32>
}

// A dense head (tosa.matmul, 1 x 64 by 64 x 48): tiles of one row x 16
// output columns (the widest power of two up to 4 vectors that divides
// 48) and one reduction step, each a multiply and an add of vectors (no
// FMA; every output sums its products in the reference's order).
// CHECK-LABEL: func.func @dense
// CHECK-NOT: linalg.batch_matmul
// CHECK: scf.for %{{.+}} = %c0 to %c48 step %c16
// CHECK: scf.for %{{.+}} = %c0 to %c64 step %c1
// CHECK: arith.mulf %{{.+}} : vector<1x1x16x1xf32>
// CHECK: arith.addf %{{.+}} : vector<1x1x16xf32>
// CHECK-NOT: vector.fma
// CHECK: return
// THREADS-LABEL: func.func @dense
func.func @dense(%x: tensor<1x1x64xf32>, %w: tensor<1x64x48xf32>) -> tensor<1x1x48xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<1x1x48xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<1x1x48xf32>) -> tensor<1x1x48xf32>
  %y = linalg.batch_matmul ins(%x, %w : tensor<1x1x64xf32>, tensor<1x64x48xf32>) outs(%init : tensor<1x1x48xf32>) -> tensor<1x1x48xf32>
  return %y : tensor<1x1x48xf32>
}

// A 1x1 convolution over 64 channels: the channels in steps of 16 (a loop,
// not one contraction unrolled over all 64), each step the separate
// multiplies and adds of the channels in order.
// CHECK-LABEL: func.func @pointwise
// CHECK: scf.for %{{.+}} = %c0 to %c64 step %c16
// CHECK: arith.mulf %{{.+}} : vector<16xf32>
// CHECK: arith.addf %{{.+}} : vector<16xf32>
// CHECK-NOT: vector.fma
// CHECK: return
// THREADS-LABEL: func.func @pointwise
func.func @pointwise(%x: tensor<1x4x4x64xf32>, %w: tensor<16x1x1x64xf32>, %init: tensor<1x4x4x16xf32>) -> tensor<1x4x4x16xf32> {
  %y = linalg.conv_2d_nhwc_fhwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x4x4x64xf32>, tensor<16x1x1x64xf32>) outs(%init : tensor<1x4x4x16xf32>) -> tensor<1x4x4x16xf32>
  return %y : tensor<1x4x4x16xf32>
}
