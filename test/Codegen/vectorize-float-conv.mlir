// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-vectorize-float-conv{vector-bits=256},canonicalize))" | FileCheck %s

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
