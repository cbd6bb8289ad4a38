// RUN: bnn-opt %s --transform-interpreter --split-input-file --verify-diagnostics | FileCheck %s

// bnn.packed_conv implements the TilingInterface, so any upstream tiling
// driver tiles it, along any loop but the bit planes. Tiles of output rows
// (stride 2) and of kernel rows read the input rows that the window of
// the tile covers: 2 output rows at stride 2 with one kernel row take
// (2 - 1) * 2 + 1 = 3 input rows at oy * 2 + ky * 3.

// CHECK-LABEL: func.func @rows_channels_taps
// CHECK: scf.for %[[OY:.+]] = %{{.+}} to %{{.+}} step %c2
// CHECK: scf.for %[[O:.+]] = %{{.+}} to %{{.+}} step %c4
// CHECK: scf.for %[[KY:.+]] = %{{.+}} to %{{.+}} step %c1
// CHECK: %[[ROW:.+]] = affine.apply #{{.+}}(%[[OY]], %[[KY]])
// CHECK: %[[IN:.+]] = tensor.extract_slice %{{.+}}[0, 0, %[[ROW]], 0, 0, 0] [1, 1, 3, 6, 1, 1]
// CHECK: %[[F:.+]] = tensor.extract_slice %{{.+}}[0, 0, %[[KY]], 0, 0, %[[O]]] [1, 1, 1, 3, 1, 4]
// CHECK: %[[ACC:.+]] = tensor.extract_slice %{{.+}}[0, %[[OY]], 0, %[[O]]] [1, 2, 4, 4]
// CHECK: bnn.packed_conv <xor> ins(%[[IN]], %[[F]] : tensor<1x1x3x6x1x1xi64>, tensor<1x1x1x3x1x4xi64>) outs(%[[ACC]] : tensor<1x2x4x4xi32>) strides = [2, 1] dilations = [3, 1]
// CHECK: tensor.insert_slice
func.func @rows_channels_taps(%a: tensor<1x1x13x6x1x1xi64>, %w: tensor<1x1x3x3x1x8xi64>, %acc: tensor<1x4x4x8xi32>) -> tensor<1x4x4x8xi32> {
  %r = bnn.packed_conv <xor> ins(%a, %w : tensor<1x1x13x6x1x1xi64>, tensor<1x1x3x3x1x8xi64>) outs(%acc : tensor<1x4x4x8xi32>) strides = [2, 1] dilations = [3, 1] -> tensor<1x4x4x8xi32>
  return %r : tensor<1x4x4x8xi32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %conv = transform.structured.match ops{["bnn.packed_conv"]} in %root : (!transform.any_op) -> !transform.any_op
    %tiled, %l0, %l1, %l2 = transform.structured.tile_using_for %conv tile_sizes [0, 2, 0, 0, 4, 0, 0, 1, 0, 0] : (!transform.any_op) -> (!transform.any_op, !transform.any_op, !transform.any_op, !transform.any_op)
    transform.yield
  }
}

// -----

// The term shifts by the plane index: a tile of planes would restart it at
// 0, so tiling along p (or q) is refused.
func.func @planes(%a: tensor<2x1x6x6x1x1xi64>, %w: tensor<2x1x3x3x1x4xi64>, %acc: tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32> {
  // expected-error @+3 {{cannot be tiled along its bit planes}}
  // expected-error @+2 {{to tile operation}}
  // expected-error @+1 {{failed to generate tiling loops}}
  %r = bnn.packed_conv <unsigned_weights> ins(%a, %w : tensor<2x1x6x6x1x1xi64>, tensor<2x1x3x3x1x4xi64>) outs(%acc : tensor<1x4x4x4xi32>) strides = [1, 1] dilations = [1, 1] -> tensor<1x4x4x4xi32>
  return %r : tensor<1x4x4x4xi32>
}

module attributes {transform.with_named_sequence} {
  transform.named_sequence @__transform_main(%root: !transform.any_op {transform.readonly}) {
    %conv = transform.structured.match ops{["bnn.packed_conv"]} in %root : (!transform.any_op) -> !transform.any_op
    %tiled, %l0 = transform.structured.tile_using_for %conv tile_sizes [0, 0, 0, 0, 0, 1] : (!transform.any_op) -> (!transform.any_op, !transform.any_op)
    transform.yield
  }
}
