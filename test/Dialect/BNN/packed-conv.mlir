// RUN: bnn-opt %s | bnn-opt | FileCheck %s
// RUN: bnn-opt %s --mlir-print-op-generic | bnn-opt | FileCheck %s

// bnn.packed_conv round-trips on tensors and on memrefs, with and without
// a group dimension and a register block.

// CHECK-LABEL: func.func @tensors
// CHECK: bnn.packed_conv <xor> ins(%{{.+}}, %{{.+}} : tensor<1x1x10x10x1x2xi64>, tensor<1x1x3x3x2x64xi64>) outs(%{{.+}} : tensor<1x8x8x64xi32>) strides = [1, 1] dilations = [1, 1] -> tensor<1x8x8x64xi32>
func.func @tensors(%a: tensor<1x1x10x10x1x2xi64>, %w: tensor<1x1x3x3x2x64xi64>, %acc: tensor<1x8x8x64xi32>) -> tensor<1x8x8x64xi32> {
  %r = bnn.packed_conv <xor> ins(%a, %w : tensor<1x1x10x10x1x2xi64>, tensor<1x1x3x3x2x64xi64>) outs(%acc : tensor<1x8x8x64xi32>) strides = [1, 1] dilations = [1, 1] -> tensor<1x8x8x64xi32>
  return %r : tensor<1x8x8x64xi32>
}

// Binary words of 32 bits.
// CHECK-LABEL: func.func @narrow_words
// CHECK: bnn.packed_conv <xor> ins(%{{.+}}, %{{.+}} : tensor<1x1x6x6x1x1xi32>, tensor<1x1x3x3x1x16xi32>)
func.func @narrow_words(%a: tensor<1x1x6x6x1x1xi32>, %w: tensor<1x1x3x3x1x16xi32>, %acc: tensor<1x4x4x16xi32>) -> tensor<1x4x4x16xi32> {
  %r = bnn.packed_conv <xor> ins(%a, %w : tensor<1x1x6x6x1x1xi32>, tensor<1x1x3x3x1x16xi32>) outs(%acc : tensor<1x4x4x16xi32>) strides = [1, 1] dilations = [1, 1] -> tensor<1x4x4x16xi32>
  return %r : tensor<1x4x4x16xi32>
}

// Two groups, stride 2 and dilation 2, k-bit activations and weights:
// (3 - 1) * 2 + (3 - 1) * 2 = 8 < 9 input rows.
// CHECK-LABEL: func.func @groups_strided
// CHECK: bnn.packed_conv <unsigned_weights> {{.+}} strides = [2, 2] dilations = [2, 2] {register_block = #bnn.register_block<pixels = 3, channels = 8>} -> tensor<2x3x3x2x8xi32>
func.func @groups_strided(%a: tensor<3x2x9x9x2x1xi64>, %w: tensor<2x2x3x3x1x8xi64>, %acc: tensor<2x3x3x2x8xi32>) -> tensor<2x3x3x2x8xi32> {
  %r = bnn.packed_conv <unsigned_weights> ins(%a, %w : tensor<3x2x9x9x2x1xi64>, tensor<2x2x3x3x1x8xi64>) outs(%acc : tensor<2x3x3x2x8xi32>) strides = [2, 2] dilations = [2, 2] {register_block = #bnn.register_block<pixels = 3, channels = 8>} -> tensor<2x3x3x2x8xi32>
  return %r : tensor<2x3x3x2x8xi32>
}

// Dynamic batch: checked where known.
// CHECK-LABEL: func.func @dynamic_batch
// CHECK: bnn.packed_conv <signed_weights> {{.+}} -> tensor<?x4x4x8xi32>
func.func @dynamic_batch(%a: tensor<2x?x6x6x1x1xi64>, %w: tensor<1x1x3x3x1x8xi64>, %acc: tensor<?x4x4x8xi32>) -> tensor<?x4x4x8xi32> {
  %r = bnn.packed_conv <signed_weights> ins(%a, %w : tensor<2x?x6x6x1x1xi64>, tensor<1x1x3x3x1x8xi64>) outs(%acc : tensor<?x4x4x8xi32>) strides = [1, 1] dilations = [1, 1] -> tensor<?x4x4x8xi32>
  return %r : tensor<?x4x4x8xi32>
}

// On memrefs it updates the accumulators in place and has no result.
// CHECK-LABEL: func.func @memrefs
// CHECK: bnn.packed_conv <xor> ins(%{{.+}}, %{{.+}} : memref<1x1x6x6x1x1xi64>, memref<1x1x3x3x1x4xi64>) outs(%{{.+}} : memref<1x4x4x4xi32>) strides = [1, 1] dilations = [1, 1]{{$}}
func.func @memrefs(%a: memref<1x1x6x6x1x1xi64>, %w: memref<1x1x3x3x1x4xi64>, %acc: memref<1x4x4x4xi32>) {
  bnn.packed_conv <xor> ins(%a, %w : memref<1x1x6x6x1x1xi64>, memref<1x1x3x3x1x4xi64>) outs(%acc : memref<1x4x4x4xi32>) strides = [1, 1] dilations = [1, 1]
  return
}
