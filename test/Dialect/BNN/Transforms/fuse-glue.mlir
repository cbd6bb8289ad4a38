// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-fuse-glue))" --split-input-file | FileCheck %s

// The expected thresholds below are worked out by hand from the f32
// arithmetic: value = f32(acc) * m + b, then the chain, each operation
// rounded to f32; binarize gives +1 iff value >= 0.

// Positive multipliers: the smallest accumulator with value >= 0.
//   0.5 acc - 1.25 >= 0  <=>  acc >= 2.5  ->  3   (acc = 2: -0.25, 3: 0.25)
//   2 acc + 3 >= 0       <=>  acc >= -1.5 -> -1   (acc = -2: -1, -1: 1)
//   0.25 acc >= 0        <=>  acc >= 0    ->  0   (value 0 at 0 gives +1)
// CHECK-LABEL: func.func @positive
// CHECK-SAME: (%[[ACC:.+]]: tensor<2x3xi32>)
// CHECK-DAG: %[[T:.+]] = arith.constant dense<[3, -1, 0]> : tensor<3xi32>
// CHECK-DAG: %[[D:.+]] = arith.constant dense<false> : tensor<3xi1>
// CHECK: %[[R:.+]] = bnn.threshold %[[ACC]], %[[T]], %[[D]] : tensor<2x3xi32>, tensor<3xi32>, tensor<3xi1> -> tensor<2x3xi1>
// CHECK-NOT: acc_to_float
// CHECK-NOT: binarize
// CHECK: return %[[R]]
func.func @positive(%acc: tensor<2x3xi32>) -> tensor<2x3xi1> {
  %m = arith.constant dense<[0.5, 2.0, 0.25]> : tensor<3xf32>
  %b = arith.constant dense<[-1.25, 3.0, 0.0]> : tensor<3xf32>
  %f = bnn.acc_to_float %acc, %m, %b : tensor<2x3xi32>, tensor<3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  %r = bnn.binarize %f : tensor<2x3xf32> -> tensor<2x3xi1>
  return %r : tensor<2x3xi1>
}

// -----

// One multiplier and one bias for every channel of an NHWC tensor:
// 0.5 acc - 1.25 >= 0 <=> acc >= 3 in all four channels.
// CHECK-LABEL: func.func @single_element
// CHECK-DAG: arith.constant dense<3> : tensor<4xi32>
// CHECK-DAG: arith.constant dense<false> : tensor<4xi1>
// CHECK: bnn.threshold {{.+}} : tensor<1x2x2x4xi32>, tensor<4xi32>, tensor<4xi1> -> tensor<1x2x2x4xi1>
func.func @single_element(%acc: tensor<1x2x2x4xi32>) -> tensor<1x2x2x4xi1> {
  %m = arith.constant dense<0.5> : tensor<1xf32>
  %b = arith.constant dense<-1.25> : tensor<1xf32>
  %f = bnn.acc_to_float %acc, %m, %b : tensor<1x2x2x4xi32>, tensor<1xf32>, tensor<1xf32> -> tensor<1x2x2x4xf32>
  %r = bnn.binarize %f : tensor<1x2x2x4xf32> -> tensor<1x2x2x4xi1>
  return %r : tensor<1x2x2x4xi1>
}

// -----

// Negative multipliers: the largest accumulator with value >= 0, direction
// true.
//   -0.5 acc + 1.25 >= 0  <=>  acc <= 2.5  ->  2   (acc = 2: 0.25, 3: -0.25)
//   -4 acc - 2 >= 0       <=>  acc <= -0.5 -> -1   (acc = -1: 2, 0: -2)
// CHECK-LABEL: func.func @negative
// CHECK-DAG: %[[T:.+]] = arith.constant dense<[2, -1]> : tensor<2xi32>
// CHECK-DAG: %[[D:.+]] = arith.constant dense<true> : tensor<2xi1>
// CHECK: bnn.threshold %{{.+}}, %[[T]], %[[D]]
func.func @negative(%acc: tensor<5x2xi32>) -> tensor<5x2xi1> {
  %m = arith.constant dense<[-0.5, -4.0]> : tensor<2xf32>
  %b = arith.constant dense<[1.25, -2.0]> : tensor<2xf32>
  %f = bnn.acc_to_float %acc, %m, %b : tensor<5x2xi32>, tensor<2xf32>, tensor<2xf32> -> tensor<5x2xf32>
  %r = bnn.binarize %f : tensor<5x2xf32> -> tensor<5x2xi1>
  return %r : tensor<5x2xi1>
}

// -----

// acc_to_float -> tosa.mul -> tosa.add -> binarize, per-channel constants of
// shape 1x2 (tosa.const) and a multiplier 1, bias 0:
//   0.5 acc - 1.25 >= 0  <=>  acc >= 2.5  ->  3, false
//   -3 acc + 7.5 >= 0    <=>  acc <= 2.5  ->  2, true
// The whole chain disappears.
// CHECK-LABEL: func.func @mul_add_chain
// CHECK-SAME: (%[[ACC:.+]]: tensor<4x2xi32>)
// CHECK-DAG: %[[T:.+]] = arith.constant dense<[3, 2]> : tensor<2xi32>
// CHECK-DAG: %[[D:.+]] = arith.constant dense<[false, true]> : tensor<2xi1>
// CHECK-NOT: tosa.mul
// CHECK-NOT: tosa.add
// CHECK: %[[R:.+]] = bnn.threshold %[[ACC]], %[[T]], %[[D]]
// CHECK-NEXT: return %[[R]]
func.func @mul_add_chain(%acc: tensor<4x2xi32>) -> tensor<4x2xi1> {
  %m = arith.constant dense<1.0> : tensor<1xf32>
  %b = arith.constant dense<0.0> : tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %k = "tosa.const"() <{values = dense<[[0.5, -3.0]]> : tensor<1x2xf32>}> : () -> tensor<1x2xf32>
  %c = "tosa.const"() <{values = dense<[[-1.25, 7.5]]> : tensor<1x2xf32>}> : () -> tensor<1x2xf32>
  %f = bnn.acc_to_float %acc, %m, %b : tensor<4x2xi32>, tensor<1xf32>, tensor<1xf32> -> tensor<4x2xf32>
  %p = tosa.mul %f, %k, %shift : (tensor<4x2xf32>, tensor<1x2xf32>, tensor<1xi8>) -> tensor<4x2xf32>
  %s = tosa.add %c, %p : (tensor<1x2xf32>, tensor<4x2xf32>) -> tensor<4x2xf32>
  %r = bnn.binarize %s : tensor<4x2xf32> -> tensor<4x2xi1>
  return %r : tensor<4x2xi1>
}

// -----

// tosa.sub with the constant on either side; constants as arith.constant,
// the second one with a single element (shape 1x1). x = 2 acc + 1:
//   (9 - x) - 0.5 = 7.5 - 2 acc >= 0    <=>  acc <= 3.75  ->  3, true
//   (-5 - x) - 0.5 = -6.5 - 2 acc >= 0  <=>  acc <= -3.25 -> -4, true
// CHECK-LABEL: func.func @sub_chain
// CHECK-DAG: %[[T:.+]] = arith.constant dense<[3, -4]> : tensor<2xi32>
// CHECK-DAG: %[[D:.+]] = arith.constant dense<true> : tensor<2xi1>
// CHECK-NOT: tosa.sub
// CHECK: bnn.threshold %{{.+}}, %[[T]], %[[D]]
func.func @sub_chain(%acc: tensor<3x2xi32>) -> tensor<3x2xi1> {
  %m = arith.constant dense<2.0> : tensor<1xf32>
  %b = arith.constant dense<1.0> : tensor<1xf32>
  %k = arith.constant dense<[[9.0, -5.0]]> : tensor<1x2xf32>
  %h = arith.constant dense<0.5> : tensor<1x1xf32>
  %f = bnn.acc_to_float %acc, %m, %b : tensor<3x2xi32>, tensor<1xf32>, tensor<1xf32> -> tensor<3x2xf32>
  %s = tosa.sub %k, %f : (tensor<1x2xf32>, tensor<3x2xf32>) -> tensor<3x2xf32>
  %t = tosa.sub %s, %h : (tensor<3x2xf32>, tensor<1x1xf32>) -> tensor<3x2xf32>
  %r = bnn.binarize %t : tensor<3x2xf32> -> tensor<3x2xi1>
  return %r : tensor<3x2xi1>
}

// -----

// Zero multipliers make the value constant:
//   +0 * x + 1 = 1                    -> always +1: INT32_MIN, false
//   -0 * x + 0 = +0 or -0, both +1    -> always +1: INT32_MIN, false
//   0 * x - 0.5 = -0.5                -> always -1: INT32_MAX, false
// CHECK-LABEL: func.func @zero_multiplier
// CHECK-DAG: arith.constant dense<[-2147483648, -2147483648, 2147483647]> : tensor<3xi32>
// CHECK-DAG: arith.constant dense<false> : tensor<3xi1>
// CHECK: bnn.threshold
func.func @zero_multiplier(%acc: tensor<2x3xi32>) -> tensor<2x3xi1> {
  %m = arith.constant dense<[0.0, -0.0, 0.0]> : tensor<3xf32>
  %b = arith.constant dense<[1.0, 0.0, -0.5]> : tensor<3xf32>
  %f = bnn.acc_to_float %acc, %m, %b : tensor<2x3xi32>, tensor<3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  %r = bnn.binarize %f : tensor<2x3xf32> -> tensor<2x3xi1>
  return %r : tensor<2x3xi1>
}

// -----

// A zero factor in the chain (not a splat, which tosa.mul would fold):
// channel 0 is f32(acc) * 0 - 1 = -1, always -1 (INT32_MAX, false);
// channel 1 is f32(acc) * 1 + 0 >= 0 <=> acc >= 0 (0, false).
// CHECK-LABEL: func.func @zero_factor_in_chain
// CHECK-DAG: arith.constant dense<[2147483647, 0]> : tensor<2xi32>
// CHECK-DAG: arith.constant dense<false> : tensor<2xi1>
// CHECK: bnn.threshold
func.func @zero_factor_in_chain(%acc: tensor<3x2xi32>) -> tensor<3x2xi1> {
  %m = arith.constant dense<1.0> : tensor<1xf32>
  %b = arith.constant dense<0.0> : tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %k = "tosa.const"() <{values = dense<[[0.0, 1.0]]> : tensor<1x2xf32>}> : () -> tensor<1x2xf32>
  %c = "tosa.const"() <{values = dense<[[-1.0, 0.0]]> : tensor<1x2xf32>}> : () -> tensor<1x2xf32>
  %f = bnn.acc_to_float %acc, %m, %b : tensor<3x2xi32>, tensor<1xf32>, tensor<1xf32> -> tensor<3x2xf32>
  %p = tosa.mul %f, %k, %shift : (tensor<3x2xf32>, tensor<1x2xf32>, tensor<1xi8>) -> tensor<3x2xf32>
  %s = tosa.add %p, %c : (tensor<3x2xf32>, tensor<1x2xf32>) -> tensor<3x2xf32>
  %r = bnn.binarize %s : tensor<3x2xf32> -> tensor<3x2xi1>
  return %r : tensor<3x2xi1>
}

// -----

// No sign change inside the i32 range: |1e-9 * acc| <= 2.15, so with a
// bias of -10 the value is always negative (INT32_MAX, false: -1 for every
// accumulator but INT32_MAX) and with +10 always positive (INT32_MIN,
// false), whatever the sign of the multiplier.
// CHECK-LABEL: func.func @no_sign_change
// CHECK-DAG: arith.constant dense<[2147483647, -2147483648, 2147483647, -2147483648]> : tensor<4xi32>
// CHECK-DAG: arith.constant dense<false> : tensor<4xi1>
// CHECK: bnn.threshold
func.func @no_sign_change(%acc: tensor<1x4xi32>) -> tensor<1x4xi1> {
  %m = arith.constant dense<[1.0e-9, 1.0e-9, -1.0e-9, -1.0e-9]> : tensor<4xf32>
  %b = arith.constant dense<[-10.0, 10.0, -10.0, 10.0]> : tensor<4xf32>
  %f = bnn.acc_to_float %acc, %m, %b : tensor<1x4xi32>, tensor<4xf32>, tensor<4xf32> -> tensor<1x4xf32>
  %r = bnn.binarize %f : tensor<1x4xf32> -> tensor<1x4xi1>
  return %r : tensor<1x4xi1>
}

// -----

// Rounding of f32(acc) moves the boundary. Above 2^24 = 16777216 the f32
// values are 2 apart and int32 -> f32 rounds ties to the even mantissa:
// 16777218 = (2^23 + 1) * 2 is odd, 16777220 = (2^23 + 2) * 2 is even,
// 16777222 = (2^23 + 3) * 2 is odd. So f32(16777219) = 16777220 (tie,
// to even) and f32(16777221) = 16777220 (tie, to even).
//   channel 0: f32(acc) - 16777220 >= 0. Real arithmetic gives acc >=
//     16777220, but f32(16777219) = 16777220 gives 0 (+1), and
//     f32(16777218) = 16777218 gives -2: t = 16777219, false.
//   channel 1: 0.5 f32(acc) - 8388610, the same boundary (the product of a
//     representable value and 0.5 is exact): t = 16777219, false.
//   channel 2: -f32(acc) + 16777220 >= 0. Real arithmetic gives acc <=
//     16777220, but f32(16777221) = 16777220 gives 0 (+1), and
//     f32(16777222) = 16777222 gives -2: t = 16777221, true.
// CHECK-LABEL: func.func @conversion_rounding
// CHECK-DAG: arith.constant dense<[16777219, 16777219, 16777221]> : tensor<3xi32>
// CHECK-DAG: arith.constant dense<[false, false, true]> : tensor<3xi1>
// CHECK: bnn.threshold
func.func @conversion_rounding(%acc: tensor<1x3xi32>) -> tensor<1x3xi1> {
  %m = arith.constant dense<[1.0, 0.5, -1.0]> : tensor<3xf32>
  %b = arith.constant dense<[-16777220.0, -8388610.0, 16777220.0]> : tensor<3xf32>
  %f = bnn.acc_to_float %acc, %m, %b : tensor<1x3xi32>, tensor<3xf32>, tensor<3xf32> -> tensor<1x3xf32>
  %r = bnn.binarize %f : tensor<1x3xf32> -> tensor<1x3xi1>
  return %r : tensor<1x3xi1>
}

// -----

// Products that overflow to +-inf stay monotone: 3e38 acc - 1e38 is
// -1e38 at 0 and 2e38 at 1 (inf from 2 on): t = 1, false.
// CHECK-LABEL: func.func @overflowing_product
// CHECK-DAG: arith.constant dense<1> : tensor<1xi32>
// CHECK-DAG: arith.constant dense<false> : tensor<1xi1>
// CHECK: bnn.threshold
func.func @overflowing_product(%acc: tensor<4x1xi32>) -> tensor<4x1xi1> {
  %m = arith.constant dense<3.0e38> : tensor<1xf32>
  %b = arith.constant dense<-1.0e38> : tensor<1xf32>
  %f = bnn.acc_to_float %acc, %m, %b : tensor<4x1xi32>, tensor<1xf32>, tensor<1xf32> -> tensor<4x1xf32>
  %r = bnn.binarize %f : tensor<4x1xf32> -> tensor<4x1xi1>
  return %r : tensor<4x1xi1>
}

// -----

// Not folded: the float value has another use.
// CHECK-LABEL: func.func @acc_to_float_multi_use
// CHECK: bnn.acc_to_float
// CHECK: bnn.binarize
// CHECK-NOT: bnn.threshold
func.func @acc_to_float_multi_use(%acc: tensor<2x3xi32>) -> (tensor<2x3xi1>, tensor<2x3xf32>) {
  %m = arith.constant dense<0.5> : tensor<1xf32>
  %b = arith.constant dense<-1.25> : tensor<1xf32>
  %f = bnn.acc_to_float %acc, %m, %b : tensor<2x3xi32>, tensor<1xf32>, tensor<1xf32> -> tensor<2x3xf32>
  %r = bnn.binarize %f : tensor<2x3xf32> -> tensor<2x3xi1>
  return %r, %f : tensor<2x3xi1>, tensor<2x3xf32>
}

// -----

// Not folded: an intermediate of the chain has another use.
// CHECK-LABEL: func.func @chain_multi_use
// CHECK: bnn.acc_to_float
// CHECK: tosa.mul
// CHECK: tosa.add
// CHECK: bnn.binarize
// CHECK-NOT: bnn.threshold
func.func @chain_multi_use(%acc: tensor<2x3xi32>) -> (tensor<2x3xi1>, tensor<2x3xf32>) {
  %m = arith.constant dense<0.5> : tensor<1xf32>
  %b = arith.constant dense<-1.25> : tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %k = "tosa.const"() <{values = dense<2.0> : tensor<1x1xf32>}> : () -> tensor<1x1xf32>
  %f = bnn.acc_to_float %acc, %m, %b : tensor<2x3xi32>, tensor<1xf32>, tensor<1xf32> -> tensor<2x3xf32>
  %p = tosa.mul %f, %k, %shift : (tensor<2x3xf32>, tensor<1x1xf32>, tensor<1xi8>) -> tensor<2x3xf32>
  %s = tosa.add %p, %k : (tensor<2x3xf32>, tensor<1x1xf32>) -> tensor<2x3xf32>
  %r = bnn.binarize %s : tensor<2x3xf32> -> tensor<2x3xi1>
  return %r, %p : tensor<2x3xi1>, tensor<2x3xf32>
}

// -----

// Not folded: the multiplier is not a constant.
// CHECK-LABEL: func.func @dynamic_multiplier
// CHECK: bnn.acc_to_float
// CHECK: bnn.binarize
// CHECK-NOT: bnn.threshold
func.func @dynamic_multiplier(%acc: tensor<2x3xi32>, %m: tensor<3xf32>) -> tensor<2x3xi1> {
  %b = arith.constant dense<-1.25> : tensor<1xf32>
  %f = bnn.acc_to_float %acc, %m, %b : tensor<2x3xi32>, tensor<3xf32>, tensor<1xf32> -> tensor<2x3xf32>
  %r = bnn.binarize %f : tensor<2x3xf32> -> tensor<2x3xi1>
  return %r : tensor<2x3xi1>
}

// -----

// Not folded: an operand of the chain is not a constant.
// CHECK-LABEL: func.func @dynamic_addend
// CHECK: tosa.add
// CHECK: bnn.binarize
// CHECK-NOT: bnn.threshold
func.func @dynamic_addend(%acc: tensor<2x3xi32>, %c: tensor<1x3xf32>) -> tensor<2x3xi1> {
  %m = arith.constant dense<0.5> : tensor<1xf32>
  %b = arith.constant dense<-1.25> : tensor<1xf32>
  %f = bnn.acc_to_float %acc, %m, %b : tensor<2x3xi32>, tensor<1xf32>, tensor<1xf32> -> tensor<2x3xf32>
  %s = tosa.add %f, %c : (tensor<2x3xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
  %r = bnn.binarize %s : tensor<2x3xf32> -> tensor<2x3xi1>
  return %r : tensor<2x3xi1>
}

// -----

// Not folded: the constant varies along a dimension other than the
// channels.
// CHECK-LABEL: func.func @not_per_channel
// CHECK: tosa.add
// CHECK: bnn.binarize
// CHECK-NOT: bnn.threshold
func.func @not_per_channel(%acc: tensor<2x3xi32>) -> tensor<2x3xi1> {
  %m = arith.constant dense<0.5> : tensor<1xf32>
  %b = arith.constant dense<-1.25> : tensor<1xf32>
  %c = "tosa.const"() <{values = dense<[[1.0], [2.0]]> : tensor<2x1xf32>}> : () -> tensor<2x1xf32>
  %f = bnn.acc_to_float %acc, %m, %b : tensor<2x3xi32>, tensor<1xf32>, tensor<1xf32> -> tensor<2x3xf32>
  %s = tosa.add %f, %c : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  %r = bnn.binarize %s : tensor<2x3xf32> -> tensor<2x3xi1>
  return %r : tensor<2x3xi1>
}

// -----

// Not folded: a non-finite bias (inf), and a NaN addend in the chain.
// CHECK-LABEL: func.func @non_finite_bias
// CHECK: bnn.acc_to_float
// CHECK: bnn.binarize
// CHECK-NOT: bnn.threshold
func.func @non_finite_bias(%acc: tensor<2x3xi32>) -> tensor<2x3xi1> {
  %m = arith.constant dense<0.5> : tensor<1xf32>
  %b = arith.constant dense<[1.0, 0x7F800000, 2.0]> : tensor<3xf32>
  %f = bnn.acc_to_float %acc, %m, %b : tensor<2x3xi32>, tensor<1xf32>, tensor<3xf32> -> tensor<2x3xf32>
  %r = bnn.binarize %f : tensor<2x3xf32> -> tensor<2x3xi1>
  return %r : tensor<2x3xi1>
}

// -----

// CHECK-LABEL: func.func @non_finite_addend
// CHECK: tosa.add
// CHECK: bnn.binarize
// CHECK-NOT: bnn.threshold
func.func @non_finite_addend(%acc: tensor<2x3xi32>) -> tensor<2x3xi1> {
  %m = arith.constant dense<0.5> : tensor<1xf32>
  %b = arith.constant dense<-1.25> : tensor<1xf32>
  %c = "tosa.const"() <{values = dense<0x7FC00000> : tensor<1x1xf32>}> : () -> tensor<1x1xf32>
  %f = bnn.acc_to_float %acc, %m, %b : tensor<2x3xi32>, tensor<1xf32>, tensor<1xf32> -> tensor<2x3xf32>
  %s = tosa.add %f, %c : (tensor<2x3xf32>, tensor<1x1xf32>) -> tensor<2x3xf32>
  %r = bnn.binarize %s : tensor<2x3xf32> -> tensor<2x3xi1>
  return %r : tensor<2x3xi1>
}

// -----

// Not folded: a product that overflows to inf for large accumulators
// (3e38 * 2 > FLT_MAX) times zero (channel 0) is NaN there and +-0
// elsewhere, which is not a step function of the accumulator. (The factor
// is not a splat: tosa.mul by a splat zero folds to zero first.)
// CHECK-LABEL: func.func @overflow_times_zero
// CHECK: tosa.mul
// CHECK: bnn.binarize
// CHECK-NOT: bnn.threshold
func.func @overflow_times_zero(%acc: tensor<2x3xi32>) -> tensor<2x3xi1> {
  %m = arith.constant dense<3.0e38> : tensor<1xf32>
  %b = arith.constant dense<0.0> : tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %k = "tosa.const"() <{values = dense<[[0.0, 1.0, 1.0]]> : tensor<1x3xf32>}> : () -> tensor<1x3xf32>
  %c = "tosa.const"() <{values = dense<-1.0> : tensor<1x1xf32>}> : () -> tensor<1x1xf32>
  %f = bnn.acc_to_float %acc, %m, %b : tensor<2x3xi32>, tensor<1xf32>, tensor<1xf32> -> tensor<2x3xf32>
  %p = tosa.mul %f, %k, %shift : (tensor<2x3xf32>, tensor<1x3xf32>, tensor<1xi8>) -> tensor<2x3xf32>
  %s = tosa.add %p, %c : (tensor<2x3xf32>, tensor<1x1xf32>) -> tensor<2x3xf32>
  %r = bnn.binarize %s : tensor<2x3xf32> -> tensor<2x3xi1>
  return %r : tensor<2x3xi1>
}

// -----

// Not folded: the shift of tosa.mul is not known to be 0 (a constant
// non-zero shift on f32 is rejected by the tosa verifier).
// CHECK-LABEL: func.func @unknown_shift
// CHECK: tosa.mul
// CHECK: bnn.binarize
// CHECK-NOT: bnn.threshold
func.func @unknown_shift(%acc: tensor<2x3xi32>, %shift: tensor<1xi8>) -> tensor<2x3xi1> {
  %m = arith.constant dense<0.5> : tensor<1xf32>
  %b = arith.constant dense<-1.25> : tensor<1xf32>
  %k = "tosa.const"() <{values = dense<2.0> : tensor<1x1xf32>}> : () -> tensor<1x1xf32>
  %f = bnn.acc_to_float %acc, %m, %b : tensor<2x3xi32>, tensor<1xf32>, tensor<1xf32> -> tensor<2x3xf32>
  %p = tosa.mul %f, %k, %shift : (tensor<2x3xf32>, tensor<1x1xf32>, tensor<1xi8>) -> tensor<2x3xf32>
  %r = bnn.binarize %p : tensor<2x3xf32> -> tensor<2x3xi1>
  return %r : tensor<2x3xi1>
}

// -----

// Not folded: binarize of a float that does not come from an accumulator.
// CHECK-LABEL: func.func @plain_binarize
// CHECK: bnn.binarize
// CHECK-NOT: bnn.threshold
func.func @plain_binarize(%x: tensor<2x3xf32>) -> tensor<2x3xi1> {
  %r = bnn.binarize %x : tensor<2x3xf32> -> tensor<2x3xi1>
  return %r : tensor<2x3xi1>
}

// -----

// Not folded: a quantization of the float glue (to ui1, whose values look
// binary) is not a binarization; the accumulator's float stays.
// CHECK-LABEL: func.func @quantize_not_binarize
// CHECK: %[[F:.+]] = bnn.acc_to_float
// CHECK: bnn.quantize %[[F]]
// CHECK-NOT: bnn.threshold
func.func @quantize_not_binarize(%acc: tensor<2x3xi32>) -> tensor<2x3xui1> {
  %m = arith.constant dense<0.5> : tensor<1xf32>
  %b = arith.constant dense<-1.25> : tensor<1xf32>
  %s = arith.constant dense<1.0> : tensor<1xf32>
  %f = bnn.acc_to_float %acc, %m, %b : tensor<2x3xi32>, tensor<1xf32>, tensor<1xf32> -> tensor<2x3xf32>
  %q = bnn.quantize %f, %s : tensor<2x3xf32>, tensor<1xf32> -> tensor<2x3xui1>
  return %q : tensor<2x3xui1>
}
