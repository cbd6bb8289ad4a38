// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-bitpack,bnn-tile-packed-conv{vector-bits=512 vector-registers=32},bnn-vectorize-packed-conv{vector-bits=512},canonicalize))" --split-input-file | FileCheck %s --check-prefix=I64
// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-bitpack,bnn-vectorize-packed-conv{vector-bits=128 popcount=bytes},canonicalize))" --split-input-file | FileCheck %s --check-prefix=BYTES
// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-bitpack,bnn-vectorize-packed-conv{vector-bits=512}))" --split-input-file | FileCheck %s --check-prefix=UNTILED
// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-bitpack,bnn-tile-packed-conv{vector-bits=512 vector-registers=32},bnn-vectorize-packed-conv{vector-bits=512},canonicalize))" --split-input-file | grep -c "vector.transfer_read .*tensor<1x1x3x3x1x32xi64>, vector<8xi64>" | FileCheck %s --check-prefix=READS
// RUN: not bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-vectorize-packed-conv{popcount=nibbles}))" --split-input-file 2>&1 | FileCheck %s --check-prefix=BADOPT

// A 4-pixel x 32-channel block on 512-bit vectors: 16 accumulators of 8
// 64-bit lanes carried through the kernel window (ky, kx; one word), 4
// weight vectors loaded per step and shared by the 4 pixels, one input
// word broadcast per pixel, 16 xor + popcount + add, then one truncation
// per accumulator and accumulation into the output.
// 4 weight reads in each of @block and @untiled (tiled alike in this run):
// READS: 8
// I64-LABEL: func.func @block
// I64: scf.for {{.+}} -> (vector<8xi64>, vector<8xi64>, vector<8xi64>, vector<8xi64>, vector<8xi64>, vector<8xi64>, vector<8xi64>, vector<8xi64>, vector<8xi64>, vector<8xi64>, vector<8xi64>, vector<8xi64>, vector<8xi64>, vector<8xi64>, vector<8xi64>, vector<8xi64>)
// I64: scf.for
// I64-COUNT-16: math.ctpop %{{.+}} : vector<8xi64>
// I64: scf.yield
// I64: scf.yield
// Pairs of truncated accumulators are stored as one whole vector, which
// is what the epilogue loads (a load spanning two stores waits for both).
// I64-COUNT-8: vector.shuffle %{{.+}}, %{{.+}} [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15] : vector<8xi32>, vector<8xi32>
// I64-NOT: bnn.packed_conv
// BYTES-LABEL: func.func @block
// UNTILED-LABEL: func.func @block
func.func @block(%a: tensor<1x6x8x64xi1>, %w: tensor<32x3x3x64xi1>) -> tensor<1x6x8x32xi32> {
  %r = bnn.binary_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>, pad_value = #bnn.pad_value<plus_one>} : tensor<1x6x8x64xi1>, tensor<32x3x3x64xi1> -> tensor<1x6x8x32xi32>
  return %r : tensor<1x6x8x32xi32>
}

// -----

// 32 channels pack into one 32-bit word: 16 lanes of 32 bits per 512-bit
// vector, accumulated in i32 lanes with no truncation at the end. With
// byte popcounts (128 bits), the byte counts of a 32-bit lane are widened
// by one pair fold and one 16-bit fold (mask 0x00ff00ff = 16711935).
// I64-LABEL: func.func @narrow_words
// I64: scf.for {{.+}} -> (vector<16xi32>
// I64: arith.xori %{{.+}} : vector<16xi32>
// I64: math.ctpop %{{.+}} : vector<16xi32>
// I64-NOT: arith.trunci
// I64: return
// BYTES-LABEL: func.func @narrow_words
// BYTES: arith.constant dense<16711935> : vector<4xi32>
// BYTES: vector.bitcast %{{.+}} : vector<4xi32> to vector<16xi8>
// BYTES: math.ctpop %{{.+}} : vector<16xi8>
// BYTES: %[[W:.+]] = vector.bitcast %{{.+}} : vector<16xi8> to vector<4xi32>
// BYTES: arith.shrui %[[W]]
// BYTES: arith.shrui
// BYTES-NOT: arith.shrui
// BYTES: arith.andi
// The accumulators start at zero (a fill): written, not added to, so that
// the epilogue (K - 2P) takes the vector straight from the write.
// BYTES-NOT: vector.transfer_read
// BYTES: arith.shli %{{.+}} : vector<1x1x1x4xi32>
// BYTES: arith.subi %{{.+}} : vector<1x1x1x4xi32>
// BYTES: vector.transfer_write
// UNTILED-LABEL: func.func @narrow_words
func.func @narrow_words(%a: tensor<1x4x16x32xi1>, %w: tensor<32x3x3x32xi1>) -> tensor<1x4x16x32xi32> {
  %r = bnn.binary_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>, pad_value = #bnn.pad_value<plus_one>} : tensor<1x4x16x32xi1>, tensor<32x3x3x32xi1> -> tensor<1x4x16x32xi32>
  return %r : tensor<1x4x16x32xi32>
}

// -----

// Byte popcounts: 4096 inputs are 64 words; the longest word loop a byte
// accumulator may take is 31 words (8 x 31 < 256), so the word loop splits
// into 4 x 16 and the 16-word inner loop counts bytes (ctpop and add on
// vector<16xi8>), widened after it: pairs of bytes (mask 0x00ff00ff00ff00ff
// = 71777214294589695), then 16- and 32-bit folds, masked to 16 bits.
// BYTES-LABEL: func.func @dense
// BYTES: scf.for %{{.+}} = %c0 to %c4 step %c1 iter_args(%{{.+}} = %{{.+}}) -> (vector<2xi64>)
// BYTES: scf.for %{{.+}} = %c0 to %c16 step %c1 iter_args(%{{.+}} = %{{.+}}) -> (vector<16xi8>)
// BYTES: %[[X:.+]] = arith.xori %{{.+}} : vector<2xi64>
// BYTES: %[[B:.+]] = vector.bitcast %[[X]] : vector<2xi64> to vector<16xi8>
// BYTES: %[[C:.+]] = math.ctpop %[[B]] : vector<16xi8>
// BYTES: arith.addi %{{.+}}, %[[C]] : vector<16xi8>
// BYTES: %[[W:.+]] = vector.bitcast %{{.+}} : vector<16xi8> to vector<2xi64>
// BYTES: arith.andi %[[W]], %{{.+}} : vector<2xi64>
// BYTES: arith.shrui %[[W]]
// BYTES: arith.shrui
// BYTES: arith.shrui
// BYTES: arith.andi
// BYTES: arith.addi %{{.+}} : vector<2xi64>
// I64-LABEL: func.func @dense
// UNTILED-LABEL: func.func @dense
func.func @dense(%a: tensor<1x4096xi1>, %w: tensor<2x4096xi1>) -> tensor<1x2xi32> {
  %r = bnn.binary_dense %a, %w : tensor<1x4096xi1>, tensor<2x4096xi1> -> tensor<1x2xi32>
  return %r : tensor<1x2xi32>
}

// -----

// Bit-serial terms keep their plane shifts, lane-wise; they are not a plain
// popcount, so byte counting does not apply. Each plane is summed unshifted
// over the taps and words into fresh accumulators, then shifted by the plane
// once after those loops and added (the shift by 1 inside is the term's
// own 2 popcount(a and w)).
// I64-LABEL: func.func @bitserial
// I64: scf.for %[[P:.+]] = %c0 to %c2 step %c1 iter_args
// I64: scf.for %{{.+}} = %c0 to %c3 step %c1 iter_args(%{{.+}} = %cst{{(_[0-9]+)?}},
// I64-NOT: arith.index_cast %[[P]]
// I64: math.ctpop %{{.+}} : vector<8xi64>
// I64-NOT: arith.index_cast %[[P]]
// I64: scf.yield
// I64: scf.yield
// I64: %[[PLANE:.+]] = arith.index_cast %[[P]] : index to i64
// I64: %[[SHIFT:.+]] = vector.broadcast %[[PLANE]] : i64 to vector<8xi64>
// I64: arith.shli %{{.+}}, %[[SHIFT]] : vector<8xi64>
// BYTES-LABEL: func.func @bitserial
// BYTES-NOT: vector<16xi8>
// BYTES: math.ctpop %{{.+}} : vector<2xi64>
// BYTES-NOT: vector<16xi8>
// BYTES: return
// UNTILED-LABEL: func.func @bitserial
func.func @bitserial(%a: tensor<1x4x4x8xui2>, %w: tensor<8x3x3x8xi1>) -> tensor<1x4x4x8xi32> {
  %r = bnn.bitserial_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>} : tensor<1x4x4x8xui2>, tensor<8x3x3x8xi1> -> tensor<1x4x4x8xi32>
  return %r : tensor<1x4x4x8xi32>
}

// -----

// Without register blocking, 6 x 8 pixels x 4 vectors exceed the 32
// accumulators: blocks of one pixel and one vector.
// UNTILED-LABEL: func.func @untiled
// UNTILED: scf.for %{{.+}} = %c0 to %c6 step %c1
// UNTILED: scf.for %{{.+}} = %c0{{.*}} to %c8 step %c1
// UNTILED: scf.for %{{.+}} = %c0{{.*}} to %c32 step %c8
// UNTILED: scf.for {{.+}} -> (vector<8xi64>)
// UNTILED-NOT: bnn.packed_conv
// I64-LABEL: func.func @untiled
// BYTES-LABEL: func.func @untiled
func.func @untiled(%a: tensor<1x6x8x64xi1>, %w: tensor<32x3x3x64xi1>) -> tensor<1x6x8x32xi32> {
  %r = bnn.binary_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>, pad_value = #bnn.pad_value<plus_one>} : tensor<1x6x8x64xi1>, tensor<32x3x3x64xi1> -> tensor<1x6x8x32xi32>
  return %r : tensor<1x6x8x32xi32>
}

// BADOPT: Cannot find option named 'nibbles'

// -----

// A splat filter is a constant weight vector, not a read of the packed
// filter (which would keep the whole splat in the artifact): the block of
// @block with all weights -1 (words of all ones), and no weight read (the
// READS count above stays 8).
// I64-LABEL: func.func @splat_filter
// I64: %[[W:.+]] = arith.constant dense<-1> : vector<8xi64>
// I64: scf.for
// I64-NOT: vector.transfer_read {{.+}}xi64>, vector<8xi64>
// I64-COUNT-16: arith.xori %{{.+}}, %[[W]] : vector<8xi64>
// I64-NOT: vector.transfer_read {{.+}}xi64>, vector<8xi64>
// I64: scf.yield
// BYTES-LABEL: func.func @splat_filter
// BYTES-NOT: vector.transfer_read {{.+}}xi64>, vector<2xi64>
// BYTES: arith.xori %{{.+}}, %{{.+}} : vector<2xi64>
// BYTES-NOT: vector.transfer_read {{.+}}xi64>, vector<2xi64>
// BYTES: return
// UNTILED-LABEL: func.func @splat_filter
func.func @splat_filter(%a: tensor<1x6x8x64xi1>) -> tensor<1x6x8x32xi32> {
  %w = arith.constant dense<true> : tensor<32x3x3x64xi1>
  %r = bnn.binary_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>, pad_value = #bnn.pad_value<plus_one>} : tensor<1x6x8x64xi1>, tensor<32x3x3x64xi1> -> tensor<1x6x8x32xi32>
  return %r : tensor<1x6x8x32xi32>
}
