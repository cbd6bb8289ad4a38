// RUN: bnn-interp %s --entry pool_bottom_right_padding | FileCheck %s --match-full-lines --check-prefix=BR
// RUN: bnn-interp %s --entry pool_top_left_padding | FileCheck %s --match-full-lines --check-prefix=TL

// A 3x3 image with 2 channels, 2x2 windows with stride 2 and padding
// [0, 1, 0, 1]: OH = OW = (3 + 1 - 2) / 2 + 1 = 2. Padding positions are
// ignored; a window is +1 iff one of its in-bounds inputs is +1.
//   channel 0          channel 1
//   -1 -1 +1           +1 -1 -1
//   -1 -1 -1           -1 -1 -1
//   -1 +1 -1           -1 -1 -1
// (0,0): rows 0-1, cols 0-1: ch0 -1, ch1 +1
// (0,1): rows 0-1, col 2:    ch0 +1, ch1 -1
// (1,0): row 2, cols 0-1:    ch0 +1, ch1 -1
// (1,1): row 2, col 2 only:  ch0 -1, ch1 -1
// BR: result #0: tensor<1x2x2x2xi1>
// BR-NEXT: {{\[\[\[\[}}-1, 1],
// BR-NEXT: [1, -1]],
// BR-NEXT: {{\[\[}}1, -1],
// BR-NEXT: [-1, -1]]]]
func.func @pool_bottom_right_padding() -> tensor<1x2x2x2xi1> {
  %a = arith.constant dense<[[[[true, false], [true, true], [false, true]], [[true, true], [true, true], [true, true]], [[true, true], [false, true], [true, true]]]]> : tensor<1x3x3x2xi1>
  %p = bnn.binary_max_pool2d %a {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 1, 0, 1>} : tensor<1x3x3x2xi1> -> tensor<1x2x2x2xi1>
  return %p : tensor<1x2x2x2xi1>
}

// The image [[-1, +1], [-1, -1]] with padding [1, 0, 1, 0], 2x2 windows,
// stride 1: OH = OW = (2 + 1 - 2) + 1 = 2; window (y, x) covers rows
// y-1..y, columns x-1..x.
//   (0,0): a00 = -1               (0,1): a00, a01 -> +1
//   (1,0): a00, a10 -> -1         (1,1): whole image -> +1
// TL: result #0: tensor<1x2x2x1xi1>
// TL-NEXT: {{\[\[\[\[}}-1],
// TL-NEXT: [1]],
// TL-NEXT: {{\[\[}}-1],
// TL-NEXT: [1]]]]
func.func @pool_top_left_padding() -> tensor<1x2x2x1xi1> {
  %a = arith.constant dense<[[[[true], [false]], [[true], [true]]]]> : tensor<1x2x2x1xi1>
  %p = bnn.binary_max_pool2d %a {kernel = array<i64: 2, 2>, padding = array<i64: 1, 0, 1, 0>} : tensor<1x2x2x1xi1> -> tensor<1x2x2x1xi1>
  return %p : tensor<1x2x2x1xi1>
}
