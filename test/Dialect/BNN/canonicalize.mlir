// RUN: bnn-opt %s -canonicalize="test-convergence" --split-input-file | FileCheck %s

// binarize maps x < 0 to -1 (stored true) and everything else, including
// -0.0 and NaN, to +1 (stored false).
// Elements: -1.0, -0.0, +0.0, 2.5, NaN (0x7FC00000), -NaN (0xFFC00000),
// -3.0e38, +inf (0x7F800000), -inf (0xFF800000), the smallest negative
// denormal (0x80000001) and the smallest positive denormal (0x00000001).
// CHECK-LABEL: func.func @binarize_constant
// CHECK-NOT: bnn.binarize
// CHECK: %[[C:.+]] = arith.constant dense<[true, false, false, false, false, false, true, false, true, true, false]> : tensor<11xi1>
// CHECK-NOT: bnn.binarize
// CHECK: return %[[C]]
func.func @binarize_constant() -> tensor<11xi1> {
  %c = arith.constant dense<[-1.0, -0.0, 0.0, 2.5, 0x7FC00000, 0xFFC00000, -3.0e38, 0x7F800000, 0xFF800000, 0x80000001, 0x00000001]> : tensor<11xf32>
  %b = bnn.binarize %c : tensor<11xf32> -> tensor<11xi1>
  return %b : tensor<11xi1>
}

// -----

// CHECK-LABEL: func.func @binarize_splat_negative_zero
// CHECK-NOT: bnn.binarize
// CHECK: %[[C:.+]] = arith.constant dense<false> : tensor<2x3xi1>
// CHECK: return %[[C]]
func.func @binarize_splat_negative_zero() -> tensor<2x3xi1> {
  %c = arith.constant dense<-0.0> : tensor<2x3xf32>
  %b = bnn.binarize %c : tensor<2x3xf32> -> tensor<2x3xi1>
  return %b : tensor<2x3xi1>
}

// -----

// CHECK-LABEL: func.func @binarize_splat_nan
// CHECK-NOT: bnn.binarize
// CHECK: %[[C:.+]] = arith.constant dense<false> : tensor<4xi1>
// CHECK: return %[[C]]
func.func @binarize_splat_nan() -> tensor<4xi1> {
  %c = arith.constant dense<0x7FC00000> : tensor<4xf32>
  %b = bnn.binarize %c : tensor<4xf32> -> tensor<4xi1>
  return %b : tensor<4xi1>
}

// -----

// CHECK-LABEL: func.func @binarize_splat_negative
// CHECK-NOT: bnn.binarize
// CHECK: %[[C:.+]] = arith.constant dense<true> : tensor<1x2x2x3xi1>
// CHECK: return %[[C]]
func.func @binarize_splat_negative() -> tensor<1x2x2x3xi1> {
  %c = arith.constant dense<-0.25> : tensor<1x2x2x3xf32>
  %b = bnn.binarize %c : tensor<1x2x2x3xf32> -> tensor<1x2x2x3xi1>
  return %b : tensor<1x2x2x3xi1>
}

// -----

// CHECK-LABEL: func.func @binarize_splat_positive
// CHECK-NOT: bnn.binarize
// CHECK: %[[C:.+]] = arith.constant dense<false> : tensor<5xi1>
// CHECK: return %[[C]]
func.func @binarize_splat_positive() -> tensor<5xi1> {
  %c = arith.constant dense<7.0> : tensor<5xf32>
  %b = bnn.binarize %c : tensor<5xf32> -> tensor<5xi1>
  return %b : tensor<5xi1>
}

// -----

// CHECK-LABEL: func.func @binarize_rank0_constant
// CHECK-NOT: bnn.binarize
// CHECK: %[[C:.+]] = arith.constant dense<true> : tensor<i1>
// CHECK: return %[[C]]
func.func @binarize_rank0_constant() -> tensor<i1> {
  %c = arith.constant dense<-1.5> : tensor<f32>
  %b = bnn.binarize %c : tensor<f32> -> tensor<i1>
  return %b : tensor<i1>
}

// -----

// A stored true is -1.0, a stored false +1.0.
// CHECK-LABEL: func.func @unbinarize_constant
// CHECK-NOT: bnn.unbinarize
// CHECK: %[[C:.+]] = arith.constant dense<{{\[}}[-1.000000e+00, 1.000000e+00], [1.000000e+00, -1.000000e+00]]> : tensor<2x2xf32>
// CHECK-NOT: bnn.unbinarize
// CHECK: return %[[C]]
func.func @unbinarize_constant() -> tensor<2x2xf32> {
  %c = arith.constant dense<[[true, false], [false, true]]> : tensor<2x2xi1>
  %f = bnn.unbinarize %c : tensor<2x2xi1> -> tensor<2x2xf32>
  return %f : tensor<2x2xf32>
}

// -----

// CHECK-LABEL: func.func @unbinarize_splat_constant
// CHECK-NOT: bnn.unbinarize
// CHECK: %[[C:.+]] = arith.constant dense<-1.000000e+00> : tensor<3xf32>
// CHECK: return %[[C]]
func.func @unbinarize_splat_constant() -> tensor<3xf32> {
  %c = arith.constant dense<true> : tensor<3xi1>
  %f = bnn.unbinarize %c : tensor<3xi1> -> tensor<3xf32>
  return %f : tensor<3xf32>
}

// -----

// Folding both ops in a chain of constants: binarize(unbinarize(c)) == c.
// CHECK-LABEL: func.func @constant_round_trip
// CHECK-NOT: bnn.
// CHECK: %[[C:.+]] = arith.constant dense<[false, true, true]> : tensor<3xi1>
// CHECK-NOT: bnn.
// CHECK: return %[[C]]
func.func @constant_round_trip() -> tensor<3xi1> {
  %c = arith.constant dense<[false, true, true]> : tensor<3xi1>
  %f = bnn.unbinarize %c : tensor<3xi1> -> tensor<3xf32>
  %b = bnn.binarize %f : tensor<3xf32> -> tensor<3xi1>
  return %b : tensor<3xi1>
}

// -----

// CHECK-LABEL: func.func @binarize_of_unbinarize
// CHECK-SAME: (%[[B:.+]]: tensor<1x8x8x64xi1>)
// CHECK-NEXT: return %[[B]] : tensor<1x8x8x64xi1>
func.func @binarize_of_unbinarize(%b: tensor<1x8x8x64xi1>) -> tensor<1x8x8x64xi1> {
  %f = bnn.unbinarize %b : tensor<1x8x8x64xi1> -> tensor<1x8x8x64xf32>
  %r = bnn.binarize %f : tensor<1x8x8x64xf32> -> tensor<1x8x8x64xi1>
  return %r : tensor<1x8x8x64xi1>
}

// -----

// The float is not recoverable from its sign: unbinarize(binarize(x)) stays.
// CHECK-LABEL: func.func @unbinarize_of_binarize
// CHECK-SAME: (%[[X:.+]]: tensor<4xf32>)
// CHECK: %[[B:.+]] = bnn.binarize %[[X]] : tensor<4xf32> -> tensor<4xi1>
// CHECK: %[[F:.+]] = bnn.unbinarize %[[B]] : tensor<4xi1> -> tensor<4xf32>
// CHECK: return %[[F]]
func.func @unbinarize_of_binarize(%x: tensor<4xf32>) -> tensor<4xf32> {
  %b = bnn.binarize %x : tensor<4xf32> -> tensor<4xi1>
  %f = bnn.unbinarize %b : tensor<4xi1> -> tensor<4xf32>
  return %f : tensor<4xf32>
}

// -----

// The intermediate unbinarize keeps a second use and must stay.
// CHECK-LABEL: func.func @binarize_of_unbinarize_multi_use
// CHECK-SAME: (%[[B:.+]]: tensor<4xi1>)
// CHECK: %[[F:.+]] = bnn.unbinarize %[[B]] : tensor<4xi1> -> tensor<4xf32>
// CHECK-NOT: bnn.binarize
// CHECK: return %[[B]], %[[F]]
func.func @binarize_of_unbinarize_multi_use(%b: tensor<4xi1>) -> (tensor<4xi1>, tensor<4xf32>) {
  %f = bnn.unbinarize %b : tensor<4xi1> -> tensor<4xf32>
  %r = bnn.binarize %f : tensor<4xf32> -> tensor<4xi1>
  return %r, %f : tensor<4xi1>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @max_pool_identity
// CHECK-SAME: (%[[A:.+]]: tensor<1x8x8x64xi1>)
// CHECK-NEXT: return %[[A]] : tensor<1x8x8x64xi1>
func.func @max_pool_identity(%a: tensor<1x8x8x64xi1>) -> tensor<1x8x8x64xi1> {
  %p = bnn.binary_max_pool2d %a {kernel = array<i64: 1, 1>, strides = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>} : tensor<1x8x8x64xi1> -> tensor<1x8x8x64xi1>
  return %p : tensor<1x8x8x64xi1>
}

// -----

// CHECK-LABEL: func.func @max_pool_identity_defaults
// CHECK-SAME: (%[[A:.+]]: tensor<2x3x5x7xi1>)
// CHECK-NEXT: return %[[A]] : tensor<2x3x5x7xi1>
func.func @max_pool_identity_defaults(%a: tensor<2x3x5x7xi1>) -> tensor<2x3x5x7xi1> {
  %p = bnn.binary_max_pool2d %a {kernel = array<i64: 1, 1>} : tensor<2x3x5x7xi1> -> tensor<2x3x5x7xi1>
  return %p : tensor<2x3x5x7xi1>
}

// -----

// CHECK-LABEL: func.func @max_pool_2x2
// CHECK-SAME: (%[[A:.+]]: tensor<1x8x8x64xi1>)
// CHECK: %[[P:.+]] = bnn.binary_max_pool2d %[[A]] {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x8x64xi1> -> tensor<1x4x4x64xi1>
// CHECK: return %[[P]]
func.func @max_pool_2x2(%a: tensor<1x8x8x64xi1>) -> tensor<1x4x4x64xi1> {
  %p = bnn.binary_max_pool2d %a {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x8x64xi1> -> tensor<1x4x4x64xi1>
  return %p : tensor<1x4x4x64xi1>
}

// -----

// A 1x1 window with stride 2 subsamples and is not an identity.
// CHECK-LABEL: func.func @max_pool_1x1_strided
// CHECK-SAME: (%[[A:.+]]: tensor<1x8x8x64xi1>)
// CHECK: %[[P:.+]] = bnn.binary_max_pool2d %[[A]] {kernel = array<i64: 1, 1>, strides = array<i64: 2, 2>} : tensor<1x8x8x64xi1> -> tensor<1x4x4x64xi1>
// CHECK: return %[[P]]
func.func @max_pool_1x1_strided(%a: tensor<1x8x8x64xi1>) -> tensor<1x4x4x64xi1> {
  %p = bnn.binary_max_pool2d %a {kernel = array<i64: 1, 1>, strides = array<i64: 2, 2>} : tensor<1x8x8x64xi1> -> tensor<1x4x4x64xi1>
  return %p : tensor<1x4x4x64xi1>
}

// -----

// Unused pure bnn ops are erased.
// CHECK-LABEL: func.func @dead_conv
// CHECK-NOT: bnn.
// CHECK: return
func.func @dead_conv(%a: tensor<1x4x4x8xi1>, %w: tensor<4x3x3x8xi1>) {
  %r = bnn.binary_conv2d %a, %w : tensor<1x4x4x8xi1>, tensor<4x3x3x8xi1> -> tensor<1x2x2x4xi32>
  return
}

// -----

// Refined or erased shapes between the two operators block the rewrite: the
// result type must stay what the users expect.
// CHECK-LABEL: func.func @binarize_of_unbinarize_type_changes
// CHECK: %[[F:.+]] = bnn.unbinarize %{{.+}} : tensor<4xi1> -> tensor<?xf32>
// CHECK: %[[R:.+]] = bnn.binarize %[[F]] : tensor<?xf32> -> tensor<?xi1>
// CHECK: return %[[R]]
func.func @binarize_of_unbinarize_type_changes(%b: tensor<4xi1>) -> tensor<?xi1> {
  %f = bnn.unbinarize %b : tensor<4xi1> -> tensor<?xf32>
  %r = bnn.binarize %f : tensor<?xf32> -> tensor<?xi1>
  return %r : tensor<?xi1>
}

// -----

// Constants do not fold into a dynamically shaped result.
// CHECK-LABEL: func.func @no_fold_to_dynamic_shape
// CHECK: bnn.binarize %{{.+}} : tensor<2xf32> -> tensor<?xi1>
// CHECK: bnn.unbinarize %{{.+}} : tensor<2xi1> -> tensor<?xf32>
func.func @no_fold_to_dynamic_shape() -> (tensor<?xi1>, tensor<?xf32>) {
  %c = arith.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %b = bnn.binarize %c : tensor<2xf32> -> tensor<?xi1>
  %d = arith.constant dense<[true, false]> : tensor<2xi1>
  %f = bnn.unbinarize %d : tensor<2xi1> -> tensor<?xf32>
  return %b, %f : tensor<?xi1>, tensor<?xf32>
}

// -----

// Packing a constant folds: channel c lands in bit c % 64 of word c / 64,
// bits past the channel count are zero. Row 0 sets channels 0, 2 and 64
// (words 5 and 1), row 1 sets channel 65 only (words 0 and 2).
// CHECK-LABEL: func.func @pack_constant
// CHECK: %[[C:.+]] = arith.constant dense<{{\[}}[5, 1], [0, 2]]> : tensor<2x2xi64>
// CHECK-NOT: bnn.pack
// CHECK: return %[[C]]
func.func @pack_constant() -> tensor<2x2xi64> {
  %b = arith.constant dense<[[true, false, true, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, true, false], [false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, true]]> : tensor<2x66xi1>
  %p = bnn.pack %b : tensor<2x66xi1> -> tensor<2x2xi64>
  return %p : tensor<2x2xi64>
}

// -----

// 32-bit words: channel c lands in bit c % 32 of word c / 32. Row 0 sets
// channels 0, 2, 32 and 65 (words 5, 1, 2), row 1 channels 31 and 64
// (words 2^31, 0, 1; 2^31 prints as the signed i32 -2147483648).
// CHECK-LABEL: func.func @pack_constant_i32
// CHECK: %[[C:.+]] = arith.constant dense<{{\[}}[5, 1, 2], [-2147483648, 0, 1]]> : tensor<2x3xi32>
// CHECK-NOT: bnn.pack
// CHECK: return %[[C]]
func.func @pack_constant_i32() -> tensor<2x3xi32> {
  %b = arith.constant dense<[[true, false, true, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, true, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, true], [false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, true, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, true, false]]> : tensor<2x66xi1>
  %p = bnn.pack %b : tensor<2x66xi1> -> tensor<2x3xi32>
  return %p : tensor<2x3xi32>
}

// -----

// A splat of ones in 32-bit words with a partial last word: 40 channels
// are one full word (-1) and 8 set bits (255).
// CHECK-LABEL: func.func @pack_splat_i32
// CHECK: %[[C:.+]] = arith.constant dense<{{\[}}[-1, 255], [-1, 255]]> : tensor<2x2xi32>
// CHECK: return %[[C]]
func.func @pack_splat_i32() -> tensor<2x2xi32> {
  %b = arith.constant dense<true> : tensor<2x40xi1>
  %p = bnn.pack %b : tensor<2x40xi1> -> tensor<2x2xi32>
  return %p : tensor<2x2xi32>
}

// -----

// Bit 1 of [0, 1, 2, 3, 6] (ui3) is [0, 0, 1, 1, 1].
// CHECK-LABEL: func.func @bitplane_constant
// CHECK: %[[C:.+]] = arith.constant dense<[false, false, true, true, true]> : tensor<5xi1>
// CHECK: return %[[C]]
func.func @bitplane_constant() -> tensor<5xi1> {
  %x = arith.constant dense<[0, 1, 2, 3, 6]> : tensor<5xui3>
  %p = bnn.bitplane %x {bit = 1 : i64} : tensor<5xui3> -> tensor<5xi1>
  return %p : tensor<5xi1>
}

// -----

// A splat packs as a splat, in constant time: the 2^40 bits of this filter
// are never materialised (the fold used to build one word per 64 of them).
// CHECK-LABEL: func.func @pack_splat_huge
// CHECK: %[[C:.+]] = arith.constant dense<-1> : tensor<1048576x16384xi64>
// CHECK-NOT: bnn.pack
// CHECK: return %[[C]]
func.func @pack_splat_huge() -> tensor<1048576x16384xi64> {
  %b = arith.constant dense<true> : tensor<1048576x1048576xi1>
  %p = bnn.pack %b : tensor<1048576x1048576xi1> -> tensor<1048576x16384xi64>
  return %p : tensor<1048576x16384xi64>
}

// -----

// One word per row: every word holds the row's 3 set bits.
// CHECK-LABEL: func.func @pack_splat_one_partial_word
// CHECK: %[[C:.+]] = arith.constant dense<7> : tensor<1048576x1048576x1xi64>
// CHECK: return %[[C]]
func.func @pack_splat_one_partial_word() -> tensor<1048576x1048576x1xi64> {
  %b = arith.constant dense<true> : tensor<1048576x1048576x3xi1>
  %p = bnn.pack %b : tensor<1048576x1048576x3xi1> -> tensor<1048576x1048576x1xi64>
  return %p : tensor<1048576x1048576x1xi64>
}

// -----

// CHECK-LABEL: func.func @pack_splat_false
// CHECK: %[[C:.+]] = arith.constant dense<0> : tensor<1048576x1048576x2xi64>
// CHECK: return %[[C]]
func.func @pack_splat_false() -> tensor<1048576x1048576x2xi64> {
  %b = arith.constant dense<false> : tensor<1048576x1048576x100xi1>
  %p = bnn.pack %b : tensor<1048576x1048576x100xi1> -> tensor<1048576x1048576x2xi64>
  return %p : tensor<1048576x1048576x2xi64>
}

// -----

// Set bits over two words per row, the second partial (2^36 - 1): not a
// splat, so the words are materialised.
// CHECK-LABEL: func.func @pack_splat_partial_last_word
// CHECK: %[[C:.+]] = arith.constant dense<{{\[}}[-1, 68719476735], [-1, 68719476735]]> : tensor<2x2xi64>
// CHECK: return %[[C]]
func.func @pack_splat_partial_last_word() -> tensor<2x2xi64> {
  %b = arith.constant dense<true> : tensor<2x100xi1>
  %p = bnn.pack %b : tensor<2x100xi1> -> tensor<2x2xi64>
  return %p : tensor<2x2xi64>
}

// -----

// Rows that do not start on a byte or word boundary (3 rows of 70 bits,
// given LSB first in hex): row 0 sets channels 0 and 69, row 1 channels 1
// and 64, row 2 channel 68 only.
// CHECK-LABEL: func.func @pack_constant_unaligned_rows
// CHECK: %[[C:.+]] = arith.constant dense<{{\[}}[1, 32], [2, 1], [0, 16]]> : tensor<3x2xi64>
// CHECK: return %[[C]]
func.func @pack_constant_unaligned_rows() -> tensor<3x2xi64> {
  %b = arith.constant dense<"0x0100000000000000A0000000000000004000000000000000000001"> : tensor<3x70xi1>
  %p = bnn.pack %b : tensor<3x70xi1> -> tensor<3x2xi64>
  return %p : tensor<3x2xi64>
}

// -----

// Bit planes of a splat are splats: bit 2 of 5 is set, bit 1 is not.
// CHECK-LABEL: func.func @bitplane_splat_huge
// CHECK-DAG: %[[T:.+]] = arith.constant dense<true> : tensor<1048576x1048576xi1>
// CHECK-DAG: %[[F:.+]] = arith.constant dense<false> : tensor<1048576x1048576xi1>
// CHECK: return %[[T]], %[[F]]
func.func @bitplane_splat_huge() -> (tensor<1048576x1048576xi1>, tensor<1048576x1048576xi1>) {
  %x = arith.constant dense<5> : tensor<1048576x1048576xui3>
  %p2 = bnn.bitplane %x {bit = 2 : i64} : tensor<1048576x1048576xui3> -> tensor<1048576x1048576xi1>
  %p1 = bnn.bitplane %x {bit = 1 : i64} : tensor<1048576x1048576xui3> -> tensor<1048576x1048576xi1>
  return %p2, %p1 : tensor<1048576x1048576xi1>, tensor<1048576x1048576xi1>
}

// -----

// CHECK-LABEL: func.func @unbinarize_splat_huge
// CHECK: %[[C:.+]] = arith.constant dense<-1.000000e+00> : tensor<1048576x1048576xf32>
// CHECK: return %[[C]]
func.func @unbinarize_splat_huge() -> tensor<1048576x1048576xf32> {
  %c = arith.constant dense<true> : tensor<1048576x1048576xi1>
  %f = bnn.unbinarize %c : tensor<1048576x1048576xi1> -> tensor<1048576x1048576xf32>
  return %f : tensor<1048576x1048576xf32>
}
