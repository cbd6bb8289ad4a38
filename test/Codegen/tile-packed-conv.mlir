// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-bitpack,bnn-tile-packed-conv{vector-bits=512 vector-registers=32}))" --split-input-file | FileCheck %s --check-prefix=AVX512
// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-bitpack,bnn-tile-packed-conv{vector-bits=256 vector-registers=16}))" --split-input-file | FileCheck %s --check-prefix=AVX2
// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-bitpack,bnn-tile-packed-conv{vector-bits=512 vector-registers=32 pixels=3 channels=16}))" --split-input-file | FileCheck %s --check-prefix=OVERRIDE

// 8 output columns x 32 channels. AVX-512: 8 lanes of 64 bits, 16
// accumulators (half of 32 registers); 2x8 pixels x vectors and 4x4 both
// give 16, the squarer 4x4 wins: blocks of 4 pixels x 32 channels.
// With AVX2 registers: 4 lanes, 8 accumulators: 8x1 -> 4x2 (squarer) -> blocks of 4
// pixels x 8 channels. Override: 3 pixels rounds down to 2 (a divisor of
// 8), 16 channels are 2 vectors.
// AVX512-LABEL: func.func @block
// AVX512: scf.for %{{.+}} = %{{.+}} to %c6 step %c1
// AVX512: scf.for %{{.+}} = %{{.+}} to %c8 step %c4
// AVX512-NOT: scf.for
// AVX512: bnn.packed_conv <xor> {{.+}} outs(%{{.+}} : tensor<1x1x4x32xi32>)
// AVX2-LABEL: func.func @block
// AVX2: scf.for %{{.+}} = %{{.+}} to %c6 step %c1
// AVX2: scf.for %{{.+}} = %{{.+}} to %c8 step %c4
// AVX2: scf.for %{{.+}} = %{{.+}} to %c32 step %c8
// AVX2: bnn.packed_conv <xor> {{.+}} outs(%{{.+}} : tensor<1x1x4x8xi32>)
// OVERRIDE-LABEL: func.func @block
// OVERRIDE: scf.for %{{.+}} = %{{.+}} to %c8 step %c2
// OVERRIDE: scf.for %{{.+}} = %{{.+}} to %c32 step %c16
// OVERRIDE: bnn.packed_conv <xor> {{.+}} outs(%{{.+}} : tensor<1x1x2x16xi32>)
func.func @block(%a: tensor<1x6x8x64xi1>, %w: tensor<32x3x3x64xi1>) -> tensor<1x6x8x32xi32> {
  %r = bnn.binary_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>} : tensor<1x6x8x64xi1>, tensor<32x3x3x64xi1> -> tensor<1x6x8x32xi32>
  return %r : tensor<1x6x8x32xi32>
}

// -----

// 7 columns (prime) x 64 channels on AVX-512: 7 pixels x 2 vectors = 14
// accumulators beats 1 pixel x 8 vectors; the 12-channel layer has 4-lane
// vectors (8 does not divide 12): 3 vectors, 5 pixels (5 x 3 = 15 <= 16).
// AVX512-LABEL: func.func @odd_shapes
// AVX512: bnn.packed_conv <xor> {{.+}} outs(%{{.+}} : tensor<1x1x7x16xi32>)
// AVX512: bnn.packed_conv <xor> {{.+}} outs(%{{.+}} : tensor<1x1x5x12xi32>)
func.func @odd_shapes(%a: tensor<1x7x7x64xi1>, %w: tensor<64x3x3x64xi1>, %b: tensor<1x5x5x64xi1>, %v: tensor<12x1x1x64xi1>) -> (tensor<1x7x7x64xi32>, tensor<1x5x5x12xi32>) {
  %r = bnn.binary_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>} : tensor<1x7x7x64xi1>, tensor<64x3x3x64xi1> -> tensor<1x7x7x64xi32>
  %s = bnn.binary_conv2d %b, %v : tensor<1x5x5x64xi1>, tensor<12x1x1x64xi1> -> tensor<1x5x5x12xi32>
  return %r, %s : tensor<1x7x7x64xi32>, tensor<1x5x5x12xi32>
}

// -----

// Only packed convolutions are tiled.
// AVX512-LABEL: func.func @other_generic
// AVX512-NOT: scf.for
func.func @other_generic(%x: tensor<8x64xi32>) -> tensor<8x64xi32> {
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(%x : tensor<8x64xi32>) {
  ^bb0(%o: i32):
    %c = arith.addi %o, %o : i32
    linalg.yield %c : i32
  } -> tensor<8x64xi32>
  return %r : tensor<8x64xi32>
}
