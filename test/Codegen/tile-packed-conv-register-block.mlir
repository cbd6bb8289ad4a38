// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-tile-packed-conv{vector-bits=128 vector-registers=16}))" --split-input-file | FileCheck %s

// The register block is a typed attribute of the packed convolution: set
// by hand it is obeyed, otherwise bnn-tile-packed-conv chooses one from the
// target and records it. The operands are what bnn-bitpack writes for a
// 3x3 binary convolution of 4x4 pixels and 4 output channels. (A block
// that does not divide the ranges is rejected by the verifier:
// test/Dialect/BNN/packed-conv-invalid.mlir.)

// 2 pixels x 2 channels by hand: loops over rows, pairs of columns and
// pairs of channels around 1x1x2x2 blocks.
// CHECK-LABEL: func.func @by_hand
// CHECK: scf.for %{{.+}} step %c1
// CHECK: scf.for %{{.+}} step %c2
// CHECK: scf.for %{{.+}} step %c2
// CHECK: bnn.packed_conv <xor>
// CHECK-SAME: outs(%{{.+}} : tensor<1x1x2x2xi32>)
// CHECK-SAME: register_block = #bnn.register_block<pixels = 2, channels = 2>
func.func @by_hand(%a: tensor<1x1x6x6x1x1xi64>, %w: tensor<1x1x3x3x1x4xi64>, %init: tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32> {
  %r = bnn.packed_conv <xor> ins(%a, %w : tensor<1x1x6x6x1x1xi64>, tensor<1x1x3x3x1x4xi64>) outs(%init : tensor<1x4x4x4xi32>) strides = [1, 1] dilations = [1, 1] {register_block = #bnn.register_block<pixels = 2, channels = 2>} -> tensor<1x4x4x4xi32>
  return %r : tensor<1x4x4x4xi32>
}

// -----

// Chosen: 128-bit vectors hold 2 channels, 8 of the 16 registers
// accumulate; the whole row of 4 pixels x 4 channels (2 vectors) fits.
// CHECK-LABEL: func.func @chosen
// CHECK: bnn.packed_conv <xor>
// CHECK-SAME: outs(%{{.+}} : tensor<1x1x4x4xi32>)
// CHECK-SAME: register_block = #bnn.register_block<pixels = 4, channels = 4>
func.func @chosen(%a: tensor<1x1x6x6x1x1xi64>, %w: tensor<1x1x3x3x1x4xi64>, %init: tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32> {
  %r = bnn.packed_conv <xor> ins(%a, %w : tensor<1x1x6x6x1x1xi64>, tensor<1x1x3x3x1x4xi64>) outs(%init : tensor<1x4x4x4xi32>) strides = [1, 1] dilations = [1, 1] -> tensor<1x4x4x4xi32>
  return %r : tensor<1x4x4x4xi32>
}
