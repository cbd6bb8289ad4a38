// RUN: bnn-interp %s --entry conv_67_channels | FileCheck %s --match-full-lines --check-prefix=CONV67
// RUN: bnn-interp %s --entry conv_100_channels | FileCheck %s --match-full-lines --check-prefix=CONV100
// RUN: bnn-interp %s --entry dense_67_features | FileCheck %s --match-full-lines --check-prefix=DENSE67
// RUN: bnn-interp %s --entry dense_wide_splats | FileCheck %s --match-full-lines --check-prefix=WIDE

// Channel counts that are not a multiple of 32 or 64.

// 67 channels, input all +1, filter all -1, 3x3 kernel, padding 1 with
// pad value -1. A window with n in-bounds positions sums
// 67 * (n * (+1)(-1) + (9 - n) * (-1)(-1)) = 67 * (9 - 2n):
// corners (n = 4) 67, edges (n = 6) -201, centre (n = 9) -603.
// CONV67: result #0: tensor<1x3x3x1xi32>
// CONV67-NEXT: {{\[\[\[\[}}67],
// CONV67-NEXT: [-201],
// CONV67-NEXT: [67]],
// CONV67-NEXT: {{\[\[}}-201],
// CONV67-NEXT: [-603],
// CONV67-NEXT: [-201]],
// CONV67-NEXT: {{\[\[}}67],
// CONV67-NEXT: [-201],
// CONV67-NEXT: [67]]]]
func.func @conv_67_channels() -> tensor<1x3x3x1xi32> {
  %a = arith.constant dense<false> : tensor<1x3x3x67xi1>
  %w = arith.constant dense<true> : tensor<1x3x3x67xi1>
  %r = bnn.binary_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>, pad_value = #bnn.pad_value<minus_one>} : tensor<1x3x3x67xi1>, tensor<1x3x3x67xi1> -> tensor<1x3x3x1xi32>
  return %r : tensor<1x3x3x1xi32>
}

// 100 channels, input all -1, filter all +1, 2x2 kernel, padding
// [0, 1, 0, 1] with pad value +1: OH = OW = (2 + 1 - 2) + 1 = 2. A window
// with n in-bounds positions sums 100 * (-n + (4 - n)) = 100 * (4 - 2n):
// (0,0) n = 4: -400; (0,1), (1,0) n = 2: 0; (1,1) n = 1: 200.
// CONV100: result #0: tensor<1x2x2x1xi32>
// CONV100-NEXT: {{\[\[\[\[}}-400],
// CONV100-NEXT: [0]],
// CONV100-NEXT: {{\[\[}}0],
// CONV100-NEXT: [200]]]]
func.func @conv_100_channels() -> tensor<1x2x2x1xi32> {
  %a = arith.constant dense<true> : tensor<1x2x2x100xi1>
  %w = arith.constant dense<false> : tensor<1x2x2x100xi1>
  %r = bnn.binary_conv2d %a, %w {padding = array<i64: 0, 1, 0, 1>, pad_value = #bnn.pad_value<plus_one>} : tensor<1x2x2x100xi1>, tensor<1x2x2x100xi1> -> tensor<1x2x2x1xi32>
  return %r : tensor<1x2x2x1xi32>
}

// 67 features: a = 64 x (+1) then 3 x (-1).
//   w0 = 67 x (+1):                 64 - 3 = 61
//   w1 = 63 x (+1) then 4 x (-1):   63 - 1 + 3 = 65
//   w2 = 67 x (-1):                 -64 + 3 = -61
// DENSE67: result #0: tensor<1x3xi32>
// DENSE67-NEXT: {{\[\[}}61, 65, -61]]
func.func @dense_67_features() -> tensor<1x3xi32> {
  %a = arith.constant dense<[[false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, true, true, true]]> : tensor<1x67xi1>
  %w = arith.constant dense<[[false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false], [false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, true, true, true, true], [true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true, true]]> : tensor<3x67xi1>
  %r = bnn.binary_dense %a, %w : tensor<1x67xi1>, tensor<3x67xi1> -> tensor<1x3xi32>
  return %r : tensor<1x3xi32>
}

// Splat operands: 100 x (-1)(+1) = -100 and 130 x (-1)(-1) = 130.
// WIDE: result #0: tensor<1x1xi32>
// WIDE-NEXT: {{\[\[}}-100]]
// WIDE-NEXT: result #1: tensor<2x1xi32>
// WIDE-NEXT: {{\[\[}}130],
// WIDE-NEXT: [130]]
func.func @dense_wide_splats() -> (tensor<1x1xi32>, tensor<2x1xi32>) {
  %a = arith.constant dense<true> : tensor<1x100xi1>
  %w = arith.constant dense<false> : tensor<1x100xi1>
  %r = bnn.binary_dense %a, %w : tensor<1x100xi1>, tensor<1x100xi1> -> tensor<1x1xi32>
  %b = arith.constant dense<true> : tensor<2x130xi1>
  %v = arith.constant dense<true> : tensor<1x130xi1>
  %s = bnn.binary_dense %b, %v : tensor<2x130xi1>, tensor<1x130xi1> -> tensor<2x1xi32>
  return %r, %s : tensor<1x1xi32>, tensor<2x1xi32>
}
