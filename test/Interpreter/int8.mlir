// RUN: bnn-interp %s --entry conv_zero_points_padding | FileCheck %s --match-full-lines --check-prefix=CONV
// RUN: bnn-interp %s --entry conv_groups_per_tensor | FileCheck %s --match-full-lines --check-prefix=GROUPS
// RUN: bnn-interp %s --entry dense_zero_points | FileCheck %s --match-full-lines --check-prefix=DENSE

// Input [[10, -5], [0, 127]] with input_zero_point 3 is a' = [[7, -8],
// [-3, 124]]. 3x3 kernels, padding 1 (padding is a' = 0), per-channel
// weight zero points [1, -2]:
//   o0 raw [[1,1,1],[1,2,1],[1,1,1]] - 1 = centre tap only: out = a'(y, x)
//      = 7, -8, -3, 124
//   o1 raw [[-1,-2,-2],[-2,-2,-2],[-2,-2,-3]] + 2 = +1 top-left, -1
//      bottom-right: out = a'(y-1, x-1) - a'(y+1, x+1)
//      (0,0) = 0 - 124 = -124, (0,1) = 0 - 0 = 0, (1,0) = 0 - 0 = 0,
//      (1,1) = 7 - 0 = 7
// CONV: result #0: tensor<1x2x2x2xi32>
// CONV-NEXT: {{\[\[\[\[}}7, -124],
// CONV-NEXT: [-8, 0]],
// CONV-NEXT: {{\[\[}}-3, 0],
// CONV-NEXT: [124, 7]]]]
func.func @conv_zero_points_padding() -> tensor<1x2x2x2xi32> {
  %a = arith.constant dense<[[[[10], [-5]], [[0], [127]]]]> : tensor<1x2x2x1xi8>
  %w = arith.constant dense<[[[[1], [1], [1]], [[1], [2], [1]], [[1], [1], [1]]], [[[-1], [-2], [-2]], [[-2], [-2], [-2]], [[-2], [-2], [-3]]]]> : tensor<2x3x3x1xi8>
  %r = bnn.int8_conv2d %a, %w {input_zero_point = 3 : i64, weight_zero_point = array<i64: 1, -2>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x2x2x1xi8>, tensor<2x3x3x1xi8> -> tensor<1x2x2x2xi32>
  return %r : tensor<1x2x2x2xi32>
}

// groups = 2, one weight zero point 2 for every channel: weights
// [[3, 4], [0, 2]] - 2 = [[1, 2], [-2, 0]]; o0 reads channels 0, 1 of
// [1, 2, 3, 4] and o1 channels 2, 3: o0 = 1 + 4 = 5, o1 = -6 + 0 = -6.
// GROUPS: result #0: tensor<1x1x1x2xi32>
// GROUPS-NEXT: {{\[\[\[\[}}5, -6]]]]
func.func @conv_groups_per_tensor() -> tensor<1x1x1x2xi32> {
  %a = arith.constant dense<[[[[1, 2, 3, 4]]]]> : tensor<1x1x1x4xi8>
  %w = arith.constant dense<[[[[3, 4]]], [[[0, 2]]]]> : tensor<2x1x1x2xi8>
  %r = bnn.int8_conv2d %a, %w {groups = 2 : i64, weight_zero_point = array<i64: 2>} : tensor<1x1x1x4xi8>, tensor<2x1x1x2xi8> -> tensor<1x1x1x2xi32>
  return %r : tensor<1x1x1x2xi32>
}

// input_zero_point -128: a' = [[255, 0, 128], [1, 129, 130]].
// weight_zero_point [-128, 7]: w' = [[255, 255, 255], [-2, -1, 0]].
//   (0,0) = 255 * (255 + 0 + 128) = 97665   (0,1) = -510 + 0 + 0 = -510
//   (1,0) = 255 * (1 + 129 + 130) = 66300   (1,1) = -2 - 129 + 0 = -131
// DENSE: result #0: tensor<2x2xi32>
// DENSE-NEXT: {{\[\[}}97665, -510],
// DENSE-NEXT: [66300, -131]]
func.func @dense_zero_points() -> tensor<2x2xi32> {
  %a = arith.constant dense<[[127, -128, 0], [-127, 1, 2]]> : tensor<2x3xi8>
  %w = arith.constant dense<[[127, 127, 127], [5, 6, 7]]> : tensor<2x3xi8>
  %r = bnn.int8_dense %a, %w {input_zero_point = -128 : i64, weight_zero_point = array<i64: -128, 7>} : tensor<2x3xi8>, tensor<2x3xi8> -> tensor<2x2xi32>
  return %r : tensor<2x2xi32>
}
