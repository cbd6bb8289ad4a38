// RUN: bnn-interp %s --entry pad_zero | FileCheck %s --match-full-lines --check-prefix=ZERO
// RUN: bnn-interp %s --entry pad_plus_one | FileCheck %s --match-full-lines --check-prefix=PLUS
// RUN: bnn-interp %s --entry pad_minus_one | FileCheck %s --match-full-lines --check-prefix=MINUS
// RUN: bnn-interp %s --entry asym_zero | FileCheck %s --match-full-lines --check-prefix=ASYM-ZERO
// RUN: bnn-interp %s --entry asym_plus_one | FileCheck %s --match-full-lines --check-prefix=ASYM-PLUS
// RUN: bnn-interp %s --entry asym_minus_one | FileCheck %s --match-full-lines --check-prefix=ASYM-MINUS

// A 3x3 all-(+1) image convolved with a 3x3 kernel and padding 1 on every
// side. Each window holds n in-bounds inputs and 9 - n padding positions:
// n = 4 at the corners, 6 at the edges and 9 in the centre. Output channel 0
// has all weights +1, so it sums to n + pad * (9 - n); channel 1 has all
// weights -1 and gives the negation of that.

// pad = 0: channel 0 is n: corners 4, edges 6, centre 9.
// ZERO: result #0: tensor<1x3x3x2xi32>
// ZERO-NEXT: {{\[\[\[\[}}4, -4],
// ZERO-NEXT: [6, -6],
// ZERO-NEXT: [4, -4]],
// ZERO-NEXT: {{\[\[}}6, -6],
// ZERO-NEXT: [9, -9],
// ZERO-NEXT: [6, -6]],
// ZERO-NEXT: {{\[\[}}4, -4],
// ZERO-NEXT: [6, -6],
// ZERO-NEXT: [4, -4]]]]
func.func @pad_zero() -> tensor<1x3x3x2xi32> {
  %a = arith.constant dense<false> : tensor<1x3x3x1xi1>
  %w = arith.constant dense<[[[[false], [false], [false]], [[false], [false], [false]], [[false], [false], [false]]], [[[true], [true], [true]], [[true], [true], [true]], [[true], [true], [true]]]]> : tensor<2x3x3x1xi1>
  %r = bnn.binary_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>, pad_value = #bnn.pad_value<zero>} : tensor<1x3x3x1xi1>, tensor<2x3x3x1xi1> -> tensor<1x3x3x2xi32>
  return %r : tensor<1x3x3x2xi32>
}

// pad = +1: every window sums to n + (9 - n) = 9 on channel 0, -9 on 1.
// PLUS: result #0: tensor<1x3x3x2xi32>
// PLUS-NEXT: {{\[\[\[\[}}9, -9],
// PLUS-NEXT: [9, -9],
// PLUS-NEXT: [9, -9]],
// PLUS-NEXT: {{\[\[}}9, -9],
// PLUS-NEXT: [9, -9],
// PLUS-NEXT: [9, -9]],
// PLUS-NEXT: {{\[\[}}9, -9],
// PLUS-NEXT: [9, -9],
// PLUS-NEXT: [9, -9]]]]
func.func @pad_plus_one() -> tensor<1x3x3x2xi32> {
  %a = arith.constant dense<false> : tensor<1x3x3x1xi1>
  %w = arith.constant dense<[[[[false], [false], [false]], [[false], [false], [false]], [[false], [false], [false]]], [[[true], [true], [true]], [[true], [true], [true]], [[true], [true], [true]]]]> : tensor<2x3x3x1xi1>
  %r = bnn.binary_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>, pad_value = #bnn.pad_value<plus_one>} : tensor<1x3x3x1xi1>, tensor<2x3x3x1xi1> -> tensor<1x3x3x2xi32>
  return %r : tensor<1x3x3x2xi32>
}

// pad = -1: channel 0 is n - (9 - n) = 2n - 9: corners -1, edges 3,
// centre 9; channel 1 is 9 - 2n: corners 1, edges -3, centre -9.
// MINUS: result #0: tensor<1x3x3x2xi32>
// MINUS-NEXT: {{\[\[\[\[}}-1, 1],
// MINUS-NEXT: [3, -3],
// MINUS-NEXT: [-1, 1]],
// MINUS-NEXT: {{\[\[}}3, -3],
// MINUS-NEXT: [9, -9],
// MINUS-NEXT: [3, -3]],
// MINUS-NEXT: {{\[\[}}-1, 1],
// MINUS-NEXT: [3, -3],
// MINUS-NEXT: [-1, 1]]]]
func.func @pad_minus_one() -> tensor<1x3x3x2xi32> {
  %a = arith.constant dense<false> : tensor<1x3x3x1xi1>
  %w = arith.constant dense<[[[[false], [false], [false]], [[false], [false], [false]], [[false], [false], [false]]], [[[true], [true], [true]], [[true], [true], [true]], [[true], [true], [true]]]]> : tensor<2x3x3x1xi1>
  %r = bnn.binary_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>, pad_value = #bnn.pad_value<minus_one>} : tensor<1x3x3x1xi1>, tensor<2x3x3x1xi1> -> tensor<1x3x3x2xi32>
  return %r : tensor<1x3x3x2xi32>
}

// Asymmetric padding [top, bottom, left, right] = [1, 0, 0, 2] around the
// 2x2 image a = [[+1, -1], [+1, +1]] with a 2x2 all-(+1) kernel:
// OH = (2 + 1 + 0 - 2) + 1 = 2, OW = (2 + 0 + 2 - 2) + 1 = 3. The padded
// image (p = pad value) is
//   p   p   p p
//   +1 -1   p p
//   +1 +1   p p
// and output (y, x) sums rows y..y+1, columns x..x+1 of it:
//   (0,0) = 2p + 1 - 1   (0,1) = 3p - 1    (0,2) = 4p
//   (1,0) = 1 - 1 + 1 + 1 = 2   (1,1) = 2p - 1 + 1   (1,2) = 4p

// p = 0: [[0, -1, 0], [2, 0, 0]].
// ASYM-ZERO: result #0: tensor<1x2x3x1xi32>
// ASYM-ZERO-NEXT: {{\[\[\[\[}}0],
// ASYM-ZERO-NEXT: [-1],
// ASYM-ZERO-NEXT: [0]],
// ASYM-ZERO-NEXT: {{\[\[}}2],
// ASYM-ZERO-NEXT: [0],
// ASYM-ZERO-NEXT: [0]]]]
func.func @asym_zero() -> tensor<1x2x3x1xi32> {
  %a = arith.constant dense<[[[[false], [true]], [[false], [false]]]]> : tensor<1x2x2x1xi1>
  %w = arith.constant dense<false> : tensor<1x2x2x1xi1>
  %r = bnn.binary_conv2d %a, %w {padding = array<i64: 1, 0, 0, 2>} : tensor<1x2x2x1xi1>, tensor<1x2x2x1xi1> -> tensor<1x2x3x1xi32>
  return %r : tensor<1x2x3x1xi32>
}

// p = +1: [[2, 2, 4], [2, 2, 4]].
// ASYM-PLUS: result #0: tensor<1x2x3x1xi32>
// ASYM-PLUS-NEXT: {{\[\[\[\[}}2],
// ASYM-PLUS-NEXT: [2],
// ASYM-PLUS-NEXT: [4]],
// ASYM-PLUS-NEXT: {{\[\[}}2],
// ASYM-PLUS-NEXT: [2],
// ASYM-PLUS-NEXT: [4]]]]
func.func @asym_plus_one() -> tensor<1x2x3x1xi32> {
  %a = arith.constant dense<[[[[false], [true]], [[false], [false]]]]> : tensor<1x2x2x1xi1>
  %w = arith.constant dense<false> : tensor<1x2x2x1xi1>
  %r = bnn.binary_conv2d %a, %w {padding = array<i64: 1, 0, 0, 2>, pad_value = #bnn.pad_value<plus_one>} : tensor<1x2x2x1xi1>, tensor<1x2x2x1xi1> -> tensor<1x2x3x1xi32>
  return %r : tensor<1x2x3x1xi32>
}

// p = -1: [[-2, -4, -4], [2, -2, -4]].
// ASYM-MINUS: result #0: tensor<1x2x3x1xi32>
// ASYM-MINUS-NEXT: {{\[\[\[\[}}-2],
// ASYM-MINUS-NEXT: [-4],
// ASYM-MINUS-NEXT: [-4]],
// ASYM-MINUS-NEXT: {{\[\[}}2],
// ASYM-MINUS-NEXT: [-2],
// ASYM-MINUS-NEXT: [-4]]]]
func.func @asym_minus_one() -> tensor<1x2x3x1xi32> {
  %a = arith.constant dense<[[[[false], [true]], [[false], [false]]]]> : tensor<1x2x2x1xi1>
  %w = arith.constant dense<false> : tensor<1x2x2x1xi1>
  %r = bnn.binary_conv2d %a, %w {padding = array<i64: 1, 0, 0, 2>, pad_value = #bnn.pad_value<minus_one>} : tensor<1x2x2x1xi1>, tensor<1x2x2x1xi1> -> tensor<1x2x3x1xi32>
  return %r : tensor<1x2x3x1xi32>
}
