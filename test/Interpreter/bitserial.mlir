// RUN: bnn-interp %s --entry conv_ui2_binary_weights | FileCheck %s --match-full-lines --check-prefix=CONV-B
// RUN: bnn-interp %s --entry conv_ui3_padded | FileCheck %s --match-full-lines --check-prefix=CONV-PAD
// RUN: bnn-interp %s --entry dense_ui3_ui2 | FileCheck %s --match-full-lines --check-prefix=DENSE-U
// RUN: bnn-interp %s --entry dense_binary_weights | FileCheck %s --match-full-lines --check-prefix=DENSE-B
// RUN: bnn-interp %s --entry dense_ui8_extremes | FileCheck %s --match-full-lines --check-prefix=DENSE-8

// ui2 activations, 2x2 image with 2 channels, pixels (row-major)
// [3, 1], [0, 2], [2, 2], [1, 3]; a 2x2 binary filter covers it all.
//   o0: all weights +1: 3+1+0+2+2+2+1+3 = 14
//   o1: -1 on channel 0, +1 on channel 1: -(3+0+2+1) + (1+2+2+3) = 2
// CONV-B: result #0: tensor<1x1x1x2xi32>
// CONV-B-NEXT: {{\[\[\[\[}}14, 2]]]]
func.func @conv_ui2_binary_weights() -> tensor<1x1x1x2xi32> {
  %a = arith.constant dense<[[[[3, 1], [0, 2]], [[2, 2], [1, 3]]]]> : tensor<1x2x2x2xui2>
  %w = arith.constant dense<[[[[false, false], [false, false]], [[false, false], [false, false]]], [[[true, false], [true, false]], [[true, false], [true, false]]]]> : tensor<2x2x2x2xi1>
  %r = bnn.bitserial_conv2d %a, %w : tensor<1x2x2x2xui2>, tensor<2x2x2x2xi1> -> tensor<1x1x1x2xi32>
  return %r : tensor<1x1x1x2xi32>
}

// ui3 row [7, 5, 2] with one column of padding on the left (padding
// contributes 0) and a 1x2 kernel: OW = (3 + 1 - 2) + 1 = 3; output x reads
// columns x-1 and x.
//   ui2 weights [3, 2]:   0*3 + 7*2 = 14,  7*3 + 5*2 = 31,  5*3 + 2*2 = 19
//   i1 weights [-1, +1]:  0*(-1) + 7 = 7,  -7 + 5 = -2,     -5 + 2 = -3
// CONV-PAD: result #0: tensor<1x1x3x1xi32>
// CONV-PAD-NEXT: {{\[\[\[\[}}14],
// CONV-PAD-NEXT: [31],
// CONV-PAD-NEXT: [19]]]]
// CONV-PAD-NEXT: result #1: tensor<1x1x3x1xi32>
// CONV-PAD-NEXT: {{\[\[\[\[}}7],
// CONV-PAD-NEXT: [-2],
// CONV-PAD-NEXT: [-3]]]]
func.func @conv_ui3_padded() -> (tensor<1x1x3x1xi32>, tensor<1x1x3x1xi32>) {
  %a = arith.constant dense<[[[[7], [5], [2]]]]> : tensor<1x1x3x1xui3>
  %wu = arith.constant dense<[[[[3], [2]]]]> : tensor<1x1x2x1xui2>
  %wb = arith.constant dense<[[[[true], [false]]]]> : tensor<1x1x2x1xi1>
  %r = bnn.bitserial_conv2d %a, %wu {padding = array<i64: 0, 0, 1, 0>} : tensor<1x1x3x1xui3>, tensor<1x1x2x1xui2> -> tensor<1x1x3x1xi32>
  %s = bnn.bitserial_conv2d %a, %wb {padding = array<i64: 0, 0, 1, 0>} : tensor<1x1x3x1xui3>, tensor<1x1x2x1xi1> -> tensor<1x1x3x1xi32>
  return %r, %s : tensor<1x1x3x1xi32>, tensor<1x1x3x1xi32>
}

// a = [[7, 0, 3], [1, 2, 4]] (ui3), w = [[3, 1, 2], [0, 3, 1]] (ui2):
//   (0,0) = 21 + 0 + 6 = 27   (0,1) = 0 + 0 + 3 = 3
//   (1,0) = 3 + 2 + 8 = 13    (1,1) = 0 + 6 + 4 = 10
// DENSE-U: result #0: tensor<2x2xi32>
// DENSE-U-NEXT: {{\[\[}}27, 3],
// DENSE-U-NEXT: [13, 10]]
func.func @dense_ui3_ui2() -> tensor<2x2xi32> {
  %a = arith.constant dense<[[7, 0, 3], [1, 2, 4]]> : tensor<2x3xui3>
  %w = arith.constant dense<[[3, 1, 2], [0, 3, 1]]> : tensor<2x3xui2>
  %r = bnn.bitserial_dense %a, %w : tensor<2x3xui3>, tensor<2x3xui2> -> tensor<2x2xi32>
  return %r : tensor<2x2xi32>
}

// ui2 a = [3, 2, 1, 0] with w0 = [+1, -1, +1, -1]: 3 - 2 + 1 - 0 = 2 and
// w1 = all -1: -6. ui1 a = [1, 0, 1, 1] with w = [-1, -1, +1, +1]:
// -1 + 0 + 1 + 1 = 1.
// DENSE-B: result #0: tensor<1x2xi32>
// DENSE-B-NEXT: {{\[\[}}2, -6]]
// DENSE-B-NEXT: result #1: tensor<1x1xi32>
// DENSE-B-NEXT: {{\[\[}}1]]
func.func @dense_binary_weights() -> (tensor<1x2xi32>, tensor<1x1xi32>) {
  %a = arith.constant dense<[[3, 2, 1, 0]]> : tensor<1x4xui2>
  %w = arith.constant dense<[[false, true, false, true], [true, true, true, true]]> : tensor<2x4xi1>
  %r = bnn.bitserial_dense %a, %w : tensor<1x4xui2>, tensor<2x4xi1> -> tensor<1x2xi32>
  %b = arith.constant dense<[[1, 0, 1, 1]]> : tensor<1x4xui1>
  %v = arith.constant dense<[[true, true, false, false]]> : tensor<1x4xi1>
  %s = bnn.bitserial_dense %b, %v : tensor<1x4xui1>, tensor<1x4xi1> -> tensor<1x1xi32>
  return %r, %s : tensor<1x2xi32>, tensor<1x1xi32>
}

// The largest ui8 values: 2 * 255 * 255 = 130050.
// DENSE-8: result #0: tensor<1x1xi32>
// DENSE-8-NEXT: {{\[\[}}130050]]
func.func @dense_ui8_extremes() -> tensor<1x1xi32> {
  %a = arith.constant dense<255> : tensor<1x2xui8>
  %w = arith.constant dense<255> : tensor<1x2xui8>
  %r = bnn.bitserial_dense %a, %w : tensor<1x2xui8>, tensor<1x2xui8> -> tensor<1x1xi32>
  return %r : tensor<1x1xi32>
}
