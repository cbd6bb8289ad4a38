// RUN: bnn-interp %s --entry acc_to_float_per_channel | FileCheck %s --match-full-lines --check-prefix=ATF
// RUN: bnn-interp %s --entry acc_to_float_per_tensor | FileCheck %s --match-full-lines --check-prefix=ATF-T
// RUN: bnn-interp %s --entry acc_to_float_rounding | FileCheck %s --match-full-lines --check-prefix=ATF-R
// RUN: bnn-interp %s --entry threshold_directions | FileCheck %s --match-full-lines --check-prefix=THR
// RUN: bnn-interp %s --entry threshold_per_tensor | FileCheck %s --match-full-lines --check-prefix=THR-T
// RUN: bnn-interp %s --entry multi_threshold_directions | FileCheck %s --match-full-lines --check-prefix=MT
// RUN: bnn-interp %s --entry multi_threshold_single_row | FileCheck %s --match-full-lines --check-prefix=MT-ROW
// RUN: bnn-interp %s --entry multi_threshold_into_bitserial | FileCheck %s --match-full-lines --check-prefix=MT-CHAIN
// RUN: bnn-interp %s --entry requantize_ties | FileCheck %s --match-full-lines --check-prefix=RQ
// RUN: bnn-interp %s --entry requantize_zero_point_clamp | FileCheck %s --match-full-lines --check-prefix=RQ-ZP
// RUN: bnn-interp %s --entry requantize_negative_zero_point | FileCheck %s --match-full-lines --check-prefix=RQ-NEG
// RUN: bnn-interp %s --entry requantize_i32_extremes | FileCheck %s --match-full-lines --check-prefix=RQ-EXT

//===----------------------------------------------------------------------===//
// acc_to_float: f32(acc) * multiplier[c] + bias[c], each step rounded to f32
//===----------------------------------------------------------------------===//

// multiplier [0.5, 2.0, m], bias [0.25, -1.0, -1.0] with m = 0x3EAAAAAB
// (the f32 nearest 1/3, 11184811 * 2^-25):
//   (0,0) = 1 * 0.5 + 0.25 = 0.75      (1,0) = -7 * 0.5 + 0.25 = -3.25
//   (0,1) = -2 * 2 - 1 = -5             (1,1) = 100 * 2 - 1 = 199
//   (0,2) = 3 * m = 1 + 2^-25, rounded to f32: 1.0; 1.0 - 1 = 0 (a fused
//           multiply-add would give 2^-25 = 2.98023e-08)
//   (1,2) = 6 * m = 2 + 2^-24, rounded to f32: 2.0; 2.0 - 1 = 1
// ATF: result #0: tensor<2x3xf32>
// ATF-NEXT: {{\[\[}}0.75, -5, 0],
// ATF-NEXT: [-3.25, 199, 1]]
func.func @acc_to_float_per_channel() -> tensor<2x3xf32> {
  %acc = arith.constant dense<[[1, -2, 3], [-7, 100, 6]]> : tensor<2x3xi32>
  %m = arith.constant dense<[0.5, 2.0, 0x3EAAAAAB]> : tensor<3xf32>
  %b = arith.constant dense<[0.25, -1.0, -1.0]> : tensor<3xf32>
  %f = bnn.acc_to_float %acc, %m, %b : tensor<2x3xi32>, tensor<3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  return %f : tensor<2x3xf32>
}

// One multiplier -0.5 for every channel, bias [1.0, 2.0] per channel on
// the last dimension: 4 * -0.5 + 1 = -1, 5 * -0.5 + 2 = -0.5,
// -3 * -0.5 + 1 = 2.5, 0 * -0.5 + 2 = 2.
// ATF-T: result #0: tensor<1x1x2x2xf32>
// ATF-T-NEXT: {{\[\[\[\[}}-1, -0.5],
// ATF-T-NEXT: [2.5, 2]]]]
func.func @acc_to_float_per_tensor() -> tensor<1x1x2x2xf32> {
  %acc = arith.constant dense<[[[[4, 5], [-3, 0]]]]> : tensor<1x1x2x2xi32>
  %m = arith.constant dense<-0.5> : tensor<1xf32>
  %b = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %f = bnn.acc_to_float %acc, %m, %b : tensor<1x1x2x2xi32>, tensor<1xf32>, tensor<2xf32> -> tensor<1x1x2x2xf32>
  return %f : tensor<1x1x2x2xf32>
}

// The i32 -> f32 conversion rounds to nearest even: above 2^24 = 16777216
// f32 values are 2 apart, so 16777217 (a tie between 16777216 and
// 16777218) becomes 16777216 and 16777219 (a tie between 16777218 and
// 16777220) becomes 16777220. With multiplier 1 and bias -16777216 the
// results are 0 and 4.
// ATF-R: result #0: tensor<1x2xf32>
// ATF-R-NEXT: {{\[\[}}0, 4]]
func.func @acc_to_float_rounding() -> tensor<1x2xf32> {
  %acc = arith.constant dense<[[16777217, 16777219]]> : tensor<1x2xi32>
  %m = arith.constant dense<1.0> : tensor<1xf32>
  %b = arith.constant dense<-16777216.0> : tensor<1xf32>
  %f = bnn.acc_to_float %acc, %m, %b : tensor<1x2xi32>, tensor<1xf32>, tensor<1xf32> -> tensor<1x2xf32>
  return %f : tensor<1x2xf32>
}

//===----------------------------------------------------------------------===//
// threshold: +1 iff acc >= t (direction false) or acc <= t (direction true)
//===----------------------------------------------------------------------===//

// Channels: (t = 5, >=), (t = 5, <=), (t = -3, <=), (t = INT32_MAX, >=).
//   row 0 acc [5, 5, -3, 0]:          5>=5 +1, 5<=5 +1, -3<=-3 +1, 0>=MAX -1
//   row 1 acc [4, 6, -2, INT32_MAX]:  4>=5 -1, 6<=5 -1, -2<=-3 -1, MAX>=MAX +1
// THR: result #0: tensor<2x4xi1>
// THR-NEXT: {{\[\[}}1, 1, 1, -1],
// THR-NEXT: [-1, -1, -1, 1]]
func.func @threshold_directions() -> tensor<2x4xi1> {
  %acc = arith.constant dense<[[5, 5, -3, 0], [4, 6, -2, 2147483647]]> : tensor<2x4xi32>
  %t = arith.constant dense<[5, 5, -3, 2147483647]> : tensor<4xi32>
  %d = arith.constant dense<[false, true, true, false]> : tensor<4xi1>
  %r = bnn.threshold %acc, %t, %d : tensor<2x4xi32>, tensor<4xi32>, tensor<4xi1> -> tensor<2x4xi1>
  return %r : tensor<2x4xi1>
}

// One threshold for all channels: acc <= 0 for [-1, 0, 1] gives
// [+1, +1, -1]; a threshold of INT32_MIN with direction false is always +1.
// THR-T: result #0: tensor<1x3xi1>
// THR-T-NEXT: {{\[\[}}1, 1, -1]]
// THR-T-NEXT: result #1: tensor<1x2xi1>
// THR-T-NEXT: {{\[\[}}1, 1]]
func.func @threshold_per_tensor() -> (tensor<1x3xi1>, tensor<1x2xi1>) {
  %acc = arith.constant dense<[[-1, 0, 1]]> : tensor<1x3xi32>
  %t = arith.constant dense<0> : tensor<1xi32>
  %d = arith.constant dense<true> : tensor<1xi1>
  %r = bnn.threshold %acc, %t, %d : tensor<1x3xi32>, tensor<1xi32>, tensor<1xi1> -> tensor<1x3xi1>
  %acc2 = arith.constant dense<[[-2147483648, 7]]> : tensor<1x2xi32>
  %t2 = arith.constant dense<-2147483648> : tensor<1xi32>
  %d2 = arith.constant dense<false> : tensor<1xi1>
  %s = bnn.threshold %acc2, %t2, %d2 : tensor<1x2xi32>, tensor<1xi32>, tensor<1xi1> -> tensor<1x2xi1>
  return %r, %s : tensor<1x3xi1>, tensor<1x2xi1>
}

//===----------------------------------------------------------------------===//
// multi_threshold: the number of j with acc >= t[c, j] (direction false) or
// acc <= t[c, j] (direction true)
//===----------------------------------------------------------------------===//

// Channel 0: t = [0, 5, 3], >=:  0 -> 1 (0 >= 0),  7 -> 3.
// Channel 1: t = [4, 4, -1], <=: 5 -> 0,           -1 -> 3 (-1 <= -1).
// Channel 2: t = [INT32_MIN, 0, INT32_MAX], >=: INT32_MIN -> 1,
//            INT32_MAX -> 3.
// MT: result #0: tensor<2x3xui2>
// MT-NEXT: {{\[\[}}1, 0, 1],
// MT-NEXT: [3, 3, 3]]
func.func @multi_threshold_directions() -> tensor<2x3xui2> {
  %acc = arith.constant dense<[[0, 5, -2147483648], [7, -1, 2147483647]]> : tensor<2x3xi32>
  %t = arith.constant dense<[[0, 5, 3], [4, 4, -1], [-2147483648, 0, 2147483647]]> : tensor<3x3xi32>
  %d = arith.constant dense<[false, true, false]> : tensor<3xi1>
  %q = bnn.multi_threshold %acc, %t, %d : tensor<2x3xi32>, tensor<3x3xi32>, tensor<3xi1> -> tensor<2x3xui2>
  return %q : tensor<2x3xui2>
}

// One unsorted row [2, 0] and one direction (<=) for every channel, into
// ui3 (2 thresholds of the 7 it could hold): -3 -> 2, 0 -> 2, 2 -> 1,
// 9 -> 0.
// MT-ROW: result #0: tensor<1x4xui3>
// MT-ROW-NEXT: {{\[\[}}2, 2, 1, 0]]
func.func @multi_threshold_single_row() -> tensor<1x4xui3> {
  %acc = arith.constant dense<[[-3, 0, 2, 9]]> : tensor<1x4xi32>
  %t = arith.constant dense<[[2, 0]]> : tensor<1x2xi32>
  %d = arith.constant dense<true> : tensor<1xi1>
  %q = bnn.multi_threshold %acc, %t, %d : tensor<1x4xi32>, tensor<1x2xi32>, tensor<1xi1> -> tensor<1x4xui3>
  return %q : tensor<1x4xui3>
}

// Thresholds [0, 4, 8] (>=) give the ui2 activations [0, 2, 3] of a
// bit-serial dense layer with binary weights [+1, +1, +1] and
// [-1, +1, -1]: 0 + 2 + 3 = 5 and -0 + 2 - 3 = -1.
// MT-CHAIN: result #0: tensor<1x3xui2>
// MT-CHAIN-NEXT: {{\[\[}}0, 2, 3]]
// MT-CHAIN-NEXT: result #1: tensor<1x2xi32>
// MT-CHAIN-NEXT: {{\[\[}}5, -1]]
func.func @multi_threshold_into_bitserial() -> (tensor<1x3xui2>, tensor<1x2xi32>) {
  %acc = arith.constant dense<[[-1, 4, 10]]> : tensor<1x3xi32>
  %t = arith.constant dense<[[0, 4, 8]]> : tensor<1x3xi32>
  %d = arith.constant dense<false> : tensor<1xi1>
  %q = bnn.multi_threshold %acc, %t, %d : tensor<1x3xi32>, tensor<1x3xi32>, tensor<1xi1> -> tensor<1x3xui2>
  %w = arith.constant dense<[[false, false, false], [true, false, true]]> : tensor<2x3xi1>
  %r = bnn.bitserial_dense %q, %w : tensor<1x3xui2>, tensor<2x3xi1> -> tensor<1x2xi32>
  return %q, %r : tensor<1x3xui2>, tensor<1x2xi32>
}

//===----------------------------------------------------------------------===//
// requantize: clamp(zp + roundeven(f32(acc) * scale[c]), clamp_min, clamp_max)
//===----------------------------------------------------------------------===//

// scale 0.5, defaults (zp 0, clamp [-128, 127]):
//   5 -> 2.5 -> 2      7 -> 3.5 -> 4      -5 -> -2.5 -> -2   -7 -> -3.5 -> -4
//   6 -> 3             1000 -> 500 -> 127  -1000 -> -500 -> -128
//   3 -> 1.5 -> 2
// RQ: result #0: tensor<1x8xi8>
// RQ-NEXT: {{\[\[}}2, 4, -2, -4, 3, 127, -128, 2]]
func.func @requantize_ties() -> tensor<1x8xi8> {
  %acc = arith.constant dense<[[5, 7, -5, -7, 6, 1000, -1000, 3]]> : tensor<1x8xi32>
  %s = arith.constant dense<0.5> : tensor<1xf32>
  %q = bnn.requantize %acc, %s : tensor<1x8xi32>, tensor<1xf32> -> tensor<1x8xi8>
  return %q : tensor<1x8xi8>
}

// Per-channel scales [0.5, 1.0, 0.25], zp 10, clamp [10, 100] (a ReLU):
//   (0,0) 5 * 0.5 = 2.5 -> 2, +10 = 12   (0,1) -5 -> 5 -> clamped to 10
//   (0,2) 400 * 0.25 = 100, +10 = 110 -> clamped to 100
//   (1,0) 0.5 -> 0, +10 = 10   (1,1) 0 -> 10   (1,2) 1.75 -> 2, +10 = 12
// RQ-ZP: result #0: tensor<2x3xi8>
// RQ-ZP-NEXT: {{\[\[}}12, 10, 100],
// RQ-ZP-NEXT: [10, 10, 12]]
func.func @requantize_zero_point_clamp() -> tensor<2x3xi8> {
  %acc = arith.constant dense<[[5, -5, 400], [1, 0, 7]]> : tensor<2x3xi32>
  %s = arith.constant dense<[0.5, 1.0, 0.25]> : tensor<3xf32>
  %q = bnn.requantize %acc, %s {output_zero_point = 10 : i64, clamp_min = 10 : i64, clamp_max = 100 : i64} : tensor<2x3xi32>, tensor<3xf32> -> tensor<2x3xi8>
  return %q : tensor<2x3xi8>
}

// zp -4, scale 1.5: -1 -> -1.5 -> -2 -> -6, 1 -> 1.5 -> 2 -> -2,
// 3 -> 4.5 -> 4 -> 0.
// RQ-NEG: result #0: tensor<1x3xi8>
// RQ-NEG-NEXT: {{\[\[}}-6, -2, 0]]
func.func @requantize_negative_zero_point() -> tensor<1x3xi8> {
  %acc = arith.constant dense<[[-1, 1, 3]]> : tensor<1x3xi32>
  %s = arith.constant dense<1.5> : tensor<1xf32>
  %q = bnn.requantize %acc, %s {output_zero_point = -4 : i64} : tensor<1x3xi32>, tensor<1xf32> -> tensor<1x3xi8>
  return %q : tensor<1x3xi8>
}

// The i32 extremes saturate: INT32_MAX -> 127, INT32_MIN -> -128.
// RQ-EXT: result #0: tensor<2xi8>
// RQ-EXT-NEXT: [127, -128]
func.func @requantize_i32_extremes() -> tensor<2xi8> {
  %acc = arith.constant dense<[2147483647, -2147483648]> : tensor<2xi32>
  %s = arith.constant dense<1.0> : tensor<1xf32>
  %q = bnn.requantize %acc, %s : tensor<2xi32>, tensor<1xf32> -> tensor<2xi8>
  return %q : tensor<2xi8>
}
