// RUN: bnn-interp %s --entry quantize_ties | FileCheck %s --match-full-lines --check-prefix=TIES
// RUN: bnn-interp %s --entry quantize_per_channel | FileCheck %s --match-full-lines --check-prefix=CHAN
// RUN: bnn-interp %s --entry quantize_unsigned | FileCheck %s --match-full-lines --check-prefix=UNS
// RUN: bnn-interp %s --entry quantize_special_floats | FileCheck %s --match-full-lines --check-prefix=SPECIAL
// RUN: bnn-interp %s --entry quantize_f32_product | FileCheck %s --match-full-lines --check-prefix=PROD
// RUN: bnn-interp %s --entry quantize_into_bitserial | FileCheck %s --match-full-lines --check-prefix=CHAIN

//===----------------------------------------------------------------------===//
// quantize: clamp(zero_point + roundeven(x * scale[c]), clamp_min, clamp_max)
//===----------------------------------------------------------------------===//

// Scale 1, defaults (i8, zero point 0, clamp [-128, 127]); ties round to
// even: 0.5 -> 0, 1.5 -> 2, 2.5 -> 2, -0.5 -> -0 = 0, -1.5 -> -2,
// -2.5 -> -2; 0.49999997 (the f32 below 0.5) -> 0; 3.7 -> 4.
// TIES: result #0: tensor<8xi8>
// TIES-NEXT: [0, 2, 2, 0, -2, -2, 0, 4]
func.func @quantize_ties() -> tensor<8xi8> {
  %x = arith.constant dense<[0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999997, 3.7]> : tensor<8xf32>
  %s = arith.constant dense<1.0> : tensor<1xf32>
  %q = bnn.quantize %x, %s : tensor<8xf32>, tensor<1xf32> -> tensor<8xi8>
  return %q : tensor<8xi8>
}

// Scales [0.5, 2, 0.25] on the last dimension, zero point -3, clamp
// [-10, 20]:
//   (0,0) 5 * 0.5 = 2.5 -> 2, -3 = -1     (0,1) 1.25 * 2 = 2.5 -> 2, -3 = -1
//   (0,2) 100 * 0.25 = 25 -> 22 -> 20     (1,0) -7 * 0.5 = -3.5 -> -4 -> -7
//   (1,1) -4 * 2 = -8 -> -11 -> -10       (1,2) 14 * 0.25 = 3.5 -> 4 -> 1
// CHAN: result #0: tensor<2x3xi8>
// CHAN-NEXT: {{\[\[}}-1, -1, 20],
// CHAN-NEXT: [-7, -10, 1]]
func.func @quantize_per_channel() -> tensor<2x3xi8> {
  %x = arith.constant dense<[[5.0, 1.25, 100.0], [-7.0, -4.0, 14.0]]> : tensor<2x3xf32>
  %s = arith.constant dense<[0.5, 2.0, 0.25]> : tensor<3xf32>
  %q = bnn.quantize %x, %s {zero_point = -3 : i64, clamp_min = -10 : i64, clamp_max = 20 : i64} : tensor<2x3xf32>, tensor<3xf32> -> tensor<2x3xi8>
  return %q : tensor<2x3xi8>
}

// Unsigned results clamp to [0, 2^k - 1] by default.
//   ui2, zero point 1, x = [-2.5, -1.0, 0.4, 1.5, 7.0]:
//     -2 + 1 = -1 -> 0,  -1 + 1 = 0,  0 + 1 = 1,  2 + 1 = 3,  7 + 1 = 8 -> 3
//   ui8, x = [254.5, 255.5, 200.4, -0.6, 128.0]: 254 (tie to even), 256 ->
//     255, 200, -1 -> 0, 128 (above the i8 range, not wrapped)
//   ui1, zero point 1, clamp [1, 1]: always 1
// UNS: result #0: tensor<5xui2>
// UNS-NEXT: [0, 0, 1, 3, 3]
// UNS-NEXT: result #1: tensor<5xui8>
// UNS-NEXT: [254, 255, 200, 0, 128]
// UNS-NEXT: result #2: tensor<5xui1>
// UNS-NEXT: [1, 1, 1, 1, 1]
func.func @quantize_unsigned() -> (tensor<5xui2>, tensor<5xui8>, tensor<5xui1>) {
  %one = arith.constant dense<1.0> : tensor<1xf32>
  %x2 = arith.constant dense<[-2.5, -1.0, 0.4, 1.5, 7.0]> : tensor<5xf32>
  %q2 = bnn.quantize %x2, %one {zero_point = 1 : i64} : tensor<5xf32>, tensor<1xf32> -> tensor<5xui2>
  %x8 = arith.constant dense<[254.5, 255.5, 200.4, -0.6, 128.0]> : tensor<5xf32>
  %q8 = bnn.quantize %x8, %one : tensor<5xf32>, tensor<1xf32> -> tensor<5xui8>
  %q1 = bnn.quantize %x2, %one {zero_point = 1 : i64, clamp_min = 1 : i64, clamp_max = 1 : i64} : tensor<5xf32>, tensor<1xf32> -> tensor<5xui1>
  return %q2, %q8, %q1 : tensor<5xui2>, tensor<5xui8>, tensor<5xui1>
}

// Zero point -3, clamp [-5, 100], scale 1 (first result) and 0 (second):
//   NaN -> clamp(-3) = -3;  +inf -> 100;  -inf -> -5;
//   3e9 and -3e9 (beyond the i32 range) -> 100 and -5;  1e30 -> 100;
//   -0.0 -> -3;  1e-45 (the smallest subnormal) -> -3.
// With scale 0 every finite x gives 0 -> -3, and inf * 0 = NaN -> -3.
// With clamp [0, 10] a NaN gives clamp(-3, 0, 10) = 0 (third result).
// SPECIAL: result #0: tensor<8xi8>
// SPECIAL-NEXT: [-3, 100, -5, 100, -5, 100, -3, -3]
// SPECIAL-NEXT: result #1: tensor<8xi8>
// SPECIAL-NEXT: [-3, -3, -3, -3, -3, -3, -3, -3]
// SPECIAL-NEXT: result #2: tensor<8xi8>
// SPECIAL-NEXT: [0, 10, 0, 10, 0, 10, 0, 0]
func.func @quantize_special_floats() -> (tensor<8xi8>, tensor<8xi8>, tensor<8xi8>) {
  %x = arith.constant dense<[0x7FC00000, 0x7F800000, 0xFF800000, 3.0e9, -3.0e9, 1.0e30, -0.0, 1.0e-45]> : tensor<8xf32>
  %one = arith.constant dense<1.0> : tensor<1xf32>
  %zero = arith.constant dense<0.0> : tensor<1xf32>
  %q = bnn.quantize %x, %one {zero_point = -3 : i64, clamp_min = -5 : i64, clamp_max = 100 : i64} : tensor<8xf32>, tensor<1xf32> -> tensor<8xi8>
  %z = bnn.quantize %x, %zero {zero_point = -3 : i64, clamp_min = -5 : i64, clamp_max = 100 : i64} : tensor<8xf32>, tensor<1xf32> -> tensor<8xi8>
  %c = bnn.quantize %x, %one {zero_point = -3 : i64, clamp_min = 0 : i64, clamp_max = 10 : i64} : tensor<8xf32>, tensor<1xf32> -> tensor<8xi8>
  return %q, %z, %c : tensor<8xi8>, tensor<8xi8>, tensor<8xi8>
}

// The product is rounded to f32 before roundeven. s = 0x3F555556 =
// 13981014 / 2^24 (the f32 just above 5/6); 3 * s = 2.5 + 2^-23 exactly, a
// tie between the f32 neighbours 2.5 and 2.5 + 2^-22, so the f32 product
// is 2.5 (even mantissa) and roundeven gives 2 (the exact product would
// round to 3). Likewise -3 -> -2. An overflowing product is +-inf:
// 3e38 * 10 -> 127, -3e38 * 10 -> -128.
// PROD: result #0: tensor<2xi8>
// PROD-NEXT: [2, -2]
// PROD-NEXT: result #1: tensor<2xi8>
// PROD-NEXT: [127, -128]
func.func @quantize_f32_product() -> (tensor<2xi8>, tensor<2xi8>) {
  %x = arith.constant dense<[3.0, -3.0]> : tensor<2xf32>
  %s = arith.constant dense<0x3F555556> : tensor<1xf32>
  %q = bnn.quantize %x, %s : tensor<2xf32>, tensor<1xf32> -> tensor<2xi8>
  %big = arith.constant dense<[3.0e38, -3.0e38]> : tensor<2xf32>
  %ten = arith.constant dense<10.0> : tensor<1xf32>
  %o = bnn.quantize %big, %ten : tensor<2xf32>, tensor<1xf32> -> tensor<2xi8>
  return %q, %o : tensor<2xi8>, tensor<2xi8>
}

// float -> ui2 -> bit-serial 1x1 convolution. Pixels [0.2, 1.3] and
// [2.6, 9.0] with scale 1 quantize to [0, 1] and [3, 3]; ui2 weights
// [1, 2] and binary weights [+1, -1]:
//   pixel 0: 0*1 + 1*2 = 2,  0 - 1 = -1
//   pixel 1: 3*1 + 3*2 = 9,  3 - 3 = 0
// CHAIN: result #0: tensor<1x1x2x1xi32>
// CHAIN-NEXT: {{\[\[\[\[}}2],
// CHAIN-NEXT: [9]]]]
// CHAIN-NEXT: result #1: tensor<1x1x2x1xi32>
// CHAIN-NEXT: {{\[\[\[\[}}-1],
// CHAIN-NEXT: [0]]]]
func.func @quantize_into_bitserial() -> (tensor<1x1x2x1xi32>, tensor<1x1x2x1xi32>) {
  %x = arith.constant dense<[[[[0.2, 1.3], [2.6, 9.0]]]]> : tensor<1x1x2x2xf32>
  %s = arith.constant dense<1.0> : tensor<1xf32>
  %a = bnn.quantize %x, %s : tensor<1x1x2x2xf32>, tensor<1xf32> -> tensor<1x1x2x2xui2>
  %w = arith.constant dense<[[[[1, 2]]]]> : tensor<1x1x1x2xui2>
  %wb = arith.constant dense<[[[[false, true]]]]> : tensor<1x1x1x2xi1>
  %r0 = bnn.bitserial_conv2d %a, %w : tensor<1x1x2x2xui2>, tensor<1x1x1x2xui2> -> tensor<1x1x2x1xi32>
  %r1 = bnn.bitserial_conv2d %a, %wb : tensor<1x1x2x2xui2>, tensor<1x1x1x2xi1> -> tensor<1x1x2x1xi32>
  return %r0, %r1 : tensor<1x1x2x1xi32>, tensor<1x1x2x1xi32>
}
