// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-bitpack{narrow-words=false}))" --split-input-file | FileCheck %s
// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-bitpack{narrow-words=false}),canonicalize)" --split-input-file | FileCheck %s --check-prefix=FOLD
// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-bitpack),canonicalize)" --split-input-file | FileCheck %s --check-prefix=NARROW
// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-bitpack{vector-bits=128}),canonicalize)" --split-input-file | FileCheck %s --check-prefix=NARROW128
// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-bitpack{vector-bits=128 narrow-word-gain=1.2}),canonicalize)" --split-input-file | FileCheck %s --check-prefix=GAIN
// RUN: not bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-bitpack{vector-bits=-5}))" --split-input-file 2>&1 | FileCheck %s --check-prefix=BADBITS
// RUN: not bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-bitpack{narrow-word-gain=nan}))" --split-input-file 2>&1 | FileCheck %s --check-prefix=BADGAIN
// RUN: not bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-bitpack{narrow-word-gain=-1}))" --split-input-file 2>&1 | FileCheck %s --check-prefix=BADGAIN
// BADBITS: error: bnn-bitpack: vector-bits must be positive and narrow-word-gain positive and finite, got -5 and 1
// BADGAIN: error: bnn-bitpack: vector-bits must be positive and narrow-word-gain positive and finite, got 512 and

// Zero padding: popcount reduction over packed words, the padding
// correction (a constant out-of-bounds mask times per-tap weight sums) and
// K - 2 P with K = 3 * 3 * 70.
// CHECK-LABEL: func.func @binary_conv_zero_pad
// CHECK-SAME: (%[[A:.+]]: tensor<1x5x5x70xi1>, %[[W:.+]]: tensor<8x3x3x70xi1>)
// CHECK-DAG: %[[K:.+]] = arith.constant 630 : i32
// CHECK-DAG: %[[MASK:.+]] = arith.constant dense<{{.+}}> : tensor<5x5x3x3xi32>
// One group: the activations are packed as they are, the group dim is
// added to the words.
// CHECK: %[[AP:.+]] = bnn.pack %[[A]] : tensor<1x5x5x70xi1> -> tensor<1x5x5x2xi64>
// CHECK: tensor.expand_shape %[[AP]] {{.+}} into tensor<1x5x5x1x2xi64>
// CHECK: %[[PADDED:.+]] = tensor.pad {{.+}} low[0, 0, 1, 1, 0, 0] high[0, 0, 1, 1, 0, 0]
// CHECK: %[[WP:.+]] = bnn.pack {{.+}} : tensor<1x8x3x3x70xi1> -> tensor<1x8x3x3x2xi64>
// CHECK: %[[WG:.+]] = tensor.expand_shape %[[WP]]
// Output channels innermost: [Q, G, KY, KX, words, O].
// CHECK: %[[WT:.+]] = linalg.transpose ins(%[[WG]] : tensor<1x1x8x3x3x2xi64>) outs({{.+}} : tensor<1x1x3x3x2x8xi64>) permutation = [0, 1, 3, 4, 5, 2]
// CHECK: %[[POP:.+]] = bnn.packed_conv <xor> ins(%[[PADDED]], %[[WT]] : tensor<1x1x7x7x1x2xi64>, tensor<1x1x3x3x2x8xi64>)
// CHECK-SAME: strides = [1, 1] dilations = [1, 1]
// CHECK: linalg.generic {{.+}} ins(%[[MASK]]
// One group: the reduction and the epilogue are [N, OY, OX, O] already
// (the correction, [OY, OX, G, O], is read at g = 0).
// CHECK: %[[RES:.+]] = linalg.generic {indexing_maps = [#{{.+}}, #[[CMAP:.+]], #{{.+}}]
// CHECK-SAME: outs(%{{.+}} : tensor<1x5x5x8xi32>)
// CHECK: arith.subi %[[K]]
// CHECK-NOT: tensor.collapse_shape
// CHECK: return %[[RES]]
func.func @binary_conv_zero_pad(%a: tensor<1x5x5x70xi1>, %w: tensor<8x3x3x70xi1>) -> tensor<1x5x5x8xi32> {
  %r = bnn.binary_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>} : tensor<1x5x5x70xi1>, tensor<8x3x3x70xi1> -> tensor<1x5x5x8xi32>
  return %r : tensor<1x5x5x8xi32>
}

// -----

// +1 padding needs no correction: padded words are zero (+1) already.
// Groups split the channels: 2 groups of 3 channels, one word each.
// CHECK-LABEL: func.func @binary_conv_plus_one_groups
// CHECK-NOT: tensor<5x5x3x3xi32>
// CHECK: tensor.expand_shape {{.+}} into tensor<1x5x5x2x3xi1>
// CHECK: bnn.pack {{.+}} -> tensor<1x5x5x2x1xi64>
// CHECK: bnn.pack {{.+}} : tensor<2x2x3x3x3xi1> -> tensor<2x2x3x3x1xi64>
// CHECK: bnn.packed_conv <xor> {{.+}} outs(%{{.+}} : tensor<1x5x5x2x2xi32>)
// CHECK: tensor.collapse_shape {{.+}} into tensor<1x5x5x4xi32>
func.func @binary_conv_plus_one_groups(%a: tensor<1x5x5x6xi1>, %w: tensor<4x3x3x3xi1>) -> tensor<1x5x5x4xi32> {
  %r = bnn.binary_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>, pad_value = #bnn.pad_value<plus_one>, groups = 2 : i64} : tensor<1x5x5x6xi1>, tensor<4x3x3x3xi1> -> tensor<1x5x5x4xi32>
  return %r : tensor<1x5x5x4xi32>
}

// -----

// Dense layers are 1x1 convolutions of a 1x1 image.
// CHECK-LABEL: func.func @binary_dense
// CHECK-DAG: arith.constant 100 : i32
// CHECK: bnn.pack {{.+}} : tensor<2x1x1x100xi1> -> tensor<2x1x1x2xi64>
// CHECK: bnn.packed_conv <xor>
// CHECK: tensor.collapse_shape {{.+}} : tensor<2x1x1x10xi32> into tensor<2x10xi32>
// 100 channels are 36 past 64: two 64-bit words either way.
func.func @binary_dense(%a: tensor<2x100xi1>, %w: tensor<10x100xi1>) -> tensor<2x10xi32> {
  %r = bnn.binary_dense %a, %w : tensor<2x100xi1>, tensor<10x100xi1> -> tensor<2x10xi32>
  return %r : tensor<2x10xi32>
}

// -----

// k-bit activations x binary weights: one packed plane per activation bit,
// popcount(a) - 2 popcount(a and w), shifted by the plane index.
// CHECK-LABEL: func.func @bitserial_binary_weights
// Bit-serial terms keep 64-bit words (they shift 64-bit popcounts).
// CHECK: bnn.bitplane %{{.+}} {bit = 0 : i64} : tensor<1x4x4x20xui2> -> tensor<1x4x4x20xi1>
// CHECK: bnn.bitplane %{{.+}} {bit = 1 : i64}
// CHECK: %[[PLANES:.+]] = tensor.concat dim(0) {{.+}} -> tensor<2x1x4x4x1x1xi64>
// CHECK: bnn.packed_conv <signed_weights> ins(%[[PLANES]], %{{.+}} : tensor<2x1x4x4x1x1xi64>, tensor<1x1x3x3x1x8xi64>)
// CHECK-NOT: bnn.bitserial_conv2d
func.func @bitserial_binary_weights(%a: tensor<1x4x4x20xui2>, %w: tensor<8x3x3x20xi1>) -> tensor<1x2x2x8xi32> {
  %r = bnn.bitserial_conv2d %a, %w : tensor<1x4x4x20xui2>, tensor<8x3x3x20xi1> -> tensor<1x2x2x8xi32>
  return %r : tensor<1x2x2x8xi32>
}

// -----

// k-bit x m-bit: popcount(a and w) << (p + q) over both plane dimensions.
// CHECK-LABEL: func.func @bitserial_unsigned_weights
// CHECK: tensor.concat dim(0) {{.+}} -> tensor<3x1x3x3x1x1xi64>
// CHECK: tensor.concat dim(0) {{.+}} -> tensor<2x1x4x1x1x1xi64>
// CHECK: bnn.packed_conv <unsigned_weights> ins(%{{.+}}, %{{.+}} : tensor<3x1x3x3x1x1xi64>, tensor<2x1x1x1x1x4xi64>)
func.func @bitserial_unsigned_weights(%a: tensor<1x3x3x5xui3>, %w: tensor<4x1x1x5xui2>) -> tensor<1x3x3x4xi32> {
  %r = bnn.bitserial_conv2d %a, %w : tensor<1x3x3x5xui3>, tensor<4x1x1x5xui2> -> tensor<1x3x3x4xi32>
  return %r : tensor<1x3x3x4xi32>
}

// -----

// Constant weights are packed at compile time: after canonicalization the
// filter is a constant of packed words, output channels innermost (channel
// 0 = 0b101 = 5, channel 1 = 0), and no bnn.pack or transpose of it remains.
// FOLD-LABEL: func.func @constant_weights
// FOLD-DAG: arith.constant dense<{{\[+}}5, 0{{\]+}}> : tensor<1x1x1x1x1x2xi64>
// FOLD: bnn.pack %{{.+}} : tensor<1x2x2x3xi1> -> tensor<1x2x2x1xi64>
// FOLD-NOT: bnn.pack %
// FOLD-NOT: linalg.transpose
func.func @constant_weights(%a: tensor<1x2x2x3xi1>) -> tensor<1x2x2x2xi32> {
  %w = arith.constant dense<[[[[true, false, true]]], [[[false, false, false]]]]> : tensor<2x1x1x3xi1>
  %r = bnn.binary_conv2d %a, %w : tensor<1x2x2x3xi1>, tensor<2x1x1x3xi1> -> tensor<1x2x2x2xi32>
  return %r : tensor<1x2x2x2xi32>
}

// -----

// A splat filter stays a splat: packed words of all ones, and per-tap
// weight sums of the padding correction that are a splat constant (Cg =
// 128 set bits per tap) instead of a popcount reduction over the packed
// filter, so that nothing reads the filter but the convolution.
// FOLD-LABEL: func.func @splat_weights_zero_pad
// FOLD-DAG: %[[W:.+]] = arith.constant dense<-1> : tensor<1x1x3x3x2x4xi64>
// FOLD-DAG: %[[T:.+]] = arith.constant dense<128> : tensor<1x4x3x3xi32>
// FOLD-NOT: bnn.pack %{{.+}} : tensor<1x4x3x3x128xi1>
// FOLD: bnn.packed_conv <xor> ins(%{{.+}}, %[[W]] : {{.+}})
// FOLD: linalg.generic {{.+}} ins(%{{.+}}, %[[T]] : tensor<3x3x3x3xi32>, tensor<1x4x3x3xi32>)
// FOLD-NOT: math.ctpop
// FOLD: return
func.func @splat_weights_zero_pad(%a: tensor<1x3x3x128xi1>) -> tensor<1x3x3x4xi32> {
  %w = arith.constant dense<true> : tensor<4x3x3x128xi1>
  %r = bnn.binary_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>} : tensor<1x3x3x128xi1>, tensor<4x3x3x128xi1> -> tensor<1x3x3x4xi32>
  return %r : tensor<1x3x3x4xi32>
}

// -----

// Depthwise (one input channel per group, here with a channel multiplier
// of 2): no packing, which would use one bit of each word. Bits become +-1
// bytes, the padding the pad value (zero here), and each output channel o
// sums, over the taps, its input channel o / 2 negated where the filter
// bit is 1. The channels are the innermost dim of every operand (the filter
// transposed to [KH, KW, 1, O]), so the loop over them is contiguous.
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 * 2 + d3, d2 * 2 + d4, d5 floordiv 2)>
// CHECK-DAG: #[[W:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d3, d4, 0, d5)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d5)>
// CHECK-LABEL: func.func @depthwise
// CHECK-SAME: (%[[A:.+]]: tensor<1x5x5x3xi1>, %[[F:.+]]: tensor<6x3x3x1xi1>)
// CHECK-NOT: bnn.pack
// CHECK: %[[PM:.+]] = linalg.generic {{.+}} ins(%[[A]] : tensor<1x5x5x3xi1>) outs(%{{.+}} : tensor<1x5x5x3xi8>)
// CHECK: arith.select %{{.+}}, %c-1_i8, %c1_i8 : i8
// CHECK: %[[P:.+]] = tensor.pad %[[PM]] low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: tensor.yield %c0_i8 : i8
// CHECK: %[[T:.+]] = linalg.transpose ins(%[[F]] : tensor<6x3x3x1xi1>) outs(%{{.+}} : tensor<3x3x1x6xi1>) permutation = [1, 2, 3, 0]
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[W]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "parallel"]} ins(%[[P]], %[[T]] : tensor<1x7x7x3xi8>, tensor<3x3x1x6xi1>) outs(%{{.+}} : tensor<1x3x3x6xi32>)
// CHECK: %[[X:.+]] = arith.extsi %{{.+}} : i8 to i32
// CHECK: %[[NEG:.+]] = arith.subi %c0_i32, %[[X]] : i32
// CHECK: %[[TERM:.+]] = arith.select %{{.+}}, %[[NEG]], %[[X]] : i32
// CHECK: arith.addi %{{.+}}, %[[TERM]] : i32
// A constant filter is transposed at compile time: tap (ky, kx) holds the
// bits of both output channels.
// FOLD-LABEL: func.func @depthwise_constant
// FOLD: arith.constant dense<{{\[}}[{{\[}}[true, false]], {{\[}}[false, false]], {{\[}}[true, true]]], {{\[}}[{{\[}}false, true]], {{\[}}[false, false]], {{\[}}[true, false]]], {{\[}}[{{\[}}true, false]], {{\[}}[true, true]], {{\[}}[false, true]]]]> : tensor<3x3x1x2xi1>
// FOLD-NOT: linalg.transpose
// FOLD: return
func.func @depthwise(%a: tensor<1x5x5x3xi1>, %w: tensor<6x3x3x1xi1>) -> tensor<1x3x3x6xi32> {
  %r = bnn.binary_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>, pad_value = #bnn.pad_value<zero>, strides = array<i64: 2, 2>, groups = 3 : i64} : tensor<1x5x5x3xi1>, tensor<6x3x3x1xi1> -> tensor<1x3x3x6xi32>
  return %r : tensor<1x3x3x6xi32>
}
func.func @depthwise_constant(%a: tensor<1x4x4x2xi1>) -> tensor<1x2x2x2xi32> {
  %w = arith.constant dense<[[[[true], [false], [true]], [[false], [false], [true]], [[true], [true], [false]]], [[[false], [false], [true]], [[true], [false], [false]], [[false], [true], [true]]]]> : tensor<2x3x3x1xi1>
  %r = bnn.binary_conv2d %a, %w {groups = 2 : i64} : tensor<1x4x4x2xi1>, tensor<2x3x3x1xi1> -> tensor<1x2x2x2xi32>
  return %r : tensor<1x2x2x2xi32>
}

// -----

// Narrow words (the default): 70 channels pack into 3 32-bit words (96
// bits, not 128) when the 16 output channels fill a 512-bit vector of 32-bit
// lanes; the per-tap weight sums of the zero-padding correction count
// 32-bit words. The other functions of this file keep 64-bit words: their
// few output channels would leave 32-bit lanes empty (binary_conv_zero_pad,
// 8 channels), or their channels fill 64-bit words (binary_dense, 100
// channels, 36 past 64: two 64-bit words or four 32-bit ones).
// NARROW-LABEL: func.func @binary_conv_zero_pad
// NARROW: bnn.pack %{{.+}} : tensor<1x5x5x70xi1> -> tensor<1x5x5x2xi64>
// NARROW-LABEL: func.func @narrow_words
// NARROW: bnn.pack %{{.+}} : tensor<1x5x5x70xi1> -> tensor<1x5x5x3xi32>
// NARROW: bnn.pack {{.+}} : tensor<1x16x3x3x70xi1> -> tensor<1x16x3x3x3xi32>
// NARROW: bnn.packed_conv <xor> ins(%{{.+}}, %{{.+}} : tensor<1x1x7x7x1x3xi32>, tensor<1x1x3x3x3x16xi32>)
// NARROW: math.ctpop %{{.+}} : i32
// NARROW-NOT: arith.trunci
// NARROW: return
// NARROW128-LABEL: func.func @narrow_words
// NARROW128: bnn.pack %{{.+}} : tensor<1x5x5x70xi1> -> tensor<1x5x5x3xi32>
// With a required gain of 1.2, 32-bit words still win here (0.73 of the
// bits useful against 0.55, both filling their 128-bit vectors: 1.33x).
// GAIN-LABEL: func.func @narrow_words
// GAIN: bnn.pack %{{.+}} : tensor<1x5x5x70xi1> -> tensor<1x5x5x3xi32>
func.func @narrow_words(%a: tensor<1x5x5x70xi1>, %w: tensor<16x3x3x70xi1>) -> tensor<1x5x5x16xi32> {
  %r = bnn.binary_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>} : tensor<1x5x5x70xi1>, tensor<16x3x3x70xi1> -> tensor<1x5x5x16xi32>
  return %r : tensor<1x5x5x16xi32>
}

// -----

// 200 channels into 200: 64-bit words pad 56 bits of 256 and fill 8 lanes
// of 512 bits; 32-bit words pad 24 of 224 but fill only 8 of 16 lanes
// (200 = 8 x 25), so 512-bit vectors keep 64-bit words. On 128-bit vectors
// (4 lanes of 32 bits, filled) 32-bit words win.
// NARROW-LABEL: func.func @wide_vectors_keep_i64
// NARROW: bnn.pack %{{.+}} : tensor<1x4x4x200xi1> -> tensor<1x4x4x4xi64>
// NARROW128-LABEL: func.func @wide_vectors_keep_i64
// NARROW128: bnn.pack %{{.+}} : tensor<1x4x4x200xi1> -> tensor<1x4x4x7xi32>
// but not by the factor 1.2 (200/224 against 200/256 useful bits, 1.14x).
// GAIN-LABEL: func.func @wide_vectors_keep_i64
// GAIN: bnn.pack %{{.+}} : tensor<1x4x4x200xi1> -> tensor<1x4x4x4xi64>
func.func @wide_vectors_keep_i64(%a: tensor<1x4x4x200xi1>, %w: tensor<200x3x3x200xi1>) -> tensor<1x4x4x200xi32> {
  %r = bnn.binary_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>, pad_value = #bnn.pad_value<plus_one>} : tensor<1x4x4x200xi1>, tensor<200x3x3x200xi1> -> tensor<1x4x4x200xi32>
  return %r : tensor<1x4x4x200xi32>
}

// -----

// Groups of 32 channels into 32 output channels each: one 32-bit word.
// NARROW-LABEL: func.func @narrow_groups
// NARROW: bnn.pack {{.+}} -> tensor<1x4x4x4x1xi32>
// NARROW: bnn.packed_conv <xor> {{.+}} : tensor<1x1x6x6x4x1xi32>, tensor<1x4x3x3x1x32xi32>)
// Bit-serial terms keep 64-bit words (they shift 64-bit popcounts).
// NARROW-LABEL: func.func @narrow_bitserial
// NARROW: -> tensor<2x1x4x4x1x1xi64>
func.func @narrow_groups(%a: tensor<1x4x4x128xi1>, %w: tensor<128x3x3x32xi1>) -> tensor<1x4x4x128xi32> {
  %r = bnn.binary_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>, pad_value = #bnn.pad_value<plus_one>, groups = 4 : i64} : tensor<1x4x4x128xi1>, tensor<128x3x3x32xi1> -> tensor<1x4x4x128xi32>
  return %r : tensor<1x4x4x128xi32>
}
func.func @narrow_bitserial(%a: tensor<1x4x4x32xui2>, %w: tensor<32x3x3x32xi1>) -> tensor<1x2x2x32xi32> {
  %r = bnn.bitserial_conv2d %a, %w : tensor<1x4x4x32xui2>, tensor<32x3x3x32xi1> -> tensor<1x2x2x32xi32>
  return %r : tensor<1x2x2x32xi32>
}

// -----

// A threshold of a binary convolution without a per-pixel padding
// correction compares the popcounts P directly: with K = 3 * 3 * 2 = 18,
// K - 2P >= t iff P <= floor((18 - t) / 2) (direction false becomes true)
// and K - 2P <= t iff P >= ceil((18 - t) / 2) (true becomes false), clamped
// to [-1, K + 1] = [-1, 19]. Thresholds, per channel: 18, 17, 0, -1, -18,
// -19, INT32_MAX, INT32_MIN, first with direction false, then true.
// FOLD-LABEL: func.func @threshold_of_popcounts
// FOLD-DAG: %[[T:.+]] = arith.constant dense<[0, 0, 9, 9, 18, 18, -1, 19, 0, 1, 9, 10, 18, 19, -1, 19]> : tensor<16xi32>
// FOLD-DAG: %[[D:.+]] = arith.constant dense<[true, true, true, true, true, true, true, true, false, false, false, false, false, false, false, false]> : tensor<16xi1>
// FOLD: %[[P:.+]] = bnn.packed_conv <xor>
// FOLD-NOT: arith.subi
// FOLD: %[[R:.+]] = bnn.threshold %[[P]], %[[T]], %[[D]]
// FOLD: return %[[R]]
func.func @threshold_of_popcounts(%a: tensor<1x4x4x2xi1>, %w: tensor<16x3x3x2xi1>) -> tensor<1x4x4x16xi1> {
  %c = bnn.binary_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>, pad_value = #bnn.pad_value<plus_one>} : tensor<1x4x4x2xi1>, tensor<16x3x3x2xi1> -> tensor<1x4x4x16xi32>
  %t = arith.constant dense<[18, 17, 0, -1, -18, -19, 2147483647, -2147483648, 18, 17, 0, -1, -18, -19, 2147483647, -2147483648]> : tensor<16xi32>
  %d = arith.constant dense<[false, false, false, false, false, false, false, false, true, true, true, true, true, true, true, true]> : tensor<16xi1>
  %r = bnn.threshold %c, %t, %d : tensor<1x4x4x16xi32>, tensor<16xi32>, tensor<16xi1> -> tensor<1x4x4x16xi1>
  return %r : tensor<1x4x4x16xi1>
}

// -----

// Zero padding adds a per-pixel correction to K - 2P: the threshold stays
// on the corrected result.
// FOLD-LABEL: func.func @threshold_zero_pad_kept
// FOLD: arith.subi
// FOLD: bnn.threshold %{{.+}}, %{{.+}}, %{{.+}} : tensor<1x4x4x16xi32>
func.func @threshold_zero_pad_kept(%a: tensor<1x4x4x2xi1>, %w: tensor<16x3x3x2xi1>) -> tensor<1x4x4x16xi1> {
  %c = bnn.binary_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>} : tensor<1x4x4x2xi1>, tensor<16x3x3x2xi1> -> tensor<1x4x4x16xi32>
  %t = arith.constant dense<3> : tensor<16xi32>
  %d = arith.constant dense<false> : tensor<1xi1>
  %r = bnn.threshold %c, %t, %d : tensor<1x4x4x16xi32>, tensor<16xi32>, tensor<1xi1> -> tensor<1x4x4x16xi1>
  return %r : tensor<1x4x4x16xi1>
}

// -----

// Groups: the threshold compares the merged [G, O/G] popcounts, with K
// that of one group (3 * 3 * 2 = 18): t = 0 and direction false become
// P <= 9 (direction true).
// FOLD-LABEL: func.func @threshold_of_grouped_popcounts
// FOLD-DAG: %[[T:.+]] = arith.constant dense<9> : tensor<1xi32>
// FOLD-DAG: %[[D:.+]] = arith.constant dense<true> : tensor<1xi1>
// FOLD: %[[P:.+]] = bnn.packed_conv <xor> {{.+}} -> tensor<1x4x4x2x4xi32>
// FOLD: %[[M:.+]] = tensor.collapse_shape %[[P]] {{.+}} into tensor<1x4x4x8xi32>
// FOLD: bnn.threshold %[[M]], %[[T]], %[[D]]
func.func @threshold_of_grouped_popcounts(%a: tensor<1x4x4x4xi1>, %w: tensor<8x3x3x2xi1>) -> tensor<1x4x4x8xi1> {
  %c = bnn.binary_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>, pad_value = #bnn.pad_value<plus_one>, groups = 2 : i64} : tensor<1x4x4x4xi1>, tensor<8x3x3x2xi1> -> tensor<1x4x4x8xi32>
  %t = arith.constant dense<0> : tensor<1xi32>
  %d = arith.constant dense<false> : tensor<1xi1>
  %r = bnn.threshold %c, %t, %d : tensor<1x4x4x8xi32>, tensor<1xi32>, tensor<1xi1> -> tensor<1x4x4x8xi1>
  return %r : tensor<1x4x4x8xi1>
}
