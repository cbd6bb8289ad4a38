// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-vectorize-packed-conv{vector-bits=128}))" --split-input-file --verify-diagnostics
// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-vectorize-packed-conv{vector-bits=128 remarks=false}))" --split-input-file | FileCheck %s --check-prefix=QUIET

// bnn-vectorize-packed-conv says why it leaves a packed convolution as
// loops (and stays quiet with remarks=false, as in bnn-lower-to-llvm
// unless its vectorize-remarks option is set). The packed convolutions are
// those bnn-bitpack writes for a 3x3 binary convolution of 4 output
// channels, with a dynamic batch or bufferized.

// QUIET-NOT: remark
// QUIET: bnn.packed_conv

func.func @dynamic_batch(%a: tensor<1x?x6x6x1x1xi64>, %w: tensor<1x1x3x3x1x4xi64>, %init: tensor<?x4x4x4xi32>) -> tensor<?x4x4x4xi32> {
  // expected-remark @+1 {{packed convolution not vectorized: its loop ranges are not static}}
  %r = bnn.packed_conv <xor> ins(%a, %w : tensor<1x?x6x6x1x1xi64>, tensor<1x1x3x3x1x4xi64>) outs(%init : tensor<?x4x4x4xi32>) strides = [1, 1] dilations = [1, 1] -> tensor<?x4x4x4xi32>
  return %r : tensor<?x4x4x4xi32>
}

// -----

func.func @memrefs(%a: memref<1x1x6x6x1x1xi64>, %w: memref<1x1x3x3x1x4xi64>, %init: memref<1x4x4x4xi32>) {
  // expected-remark @+1 {{packed convolution not vectorized: it is on memrefs}}
  bnn.packed_conv <xor> ins(%a, %w : memref<1x1x6x6x1x1xi64>, memref<1x1x3x3x1x4xi64>) outs(%init : memref<1x4x4x4xi32>) strides = [1, 1] dilations = [1, 1]
  return
}

// -----

// A packing whose bits are computed from floats (a fused binarization),
// but whose comparison also reads the bit index. (The tensor<64xi8>
// operand spans the bit loop, as in what bnn-lower-pack writes.)
#x = affine_map<(d0, d1, d2) -> (d0, d1 * 64 + d2)>
#bits = affine_map<(d0, d1, d2) -> (d2)>
#word = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @bit_index_twice(%x: tensor<2x64xf32>, %init: tensor<2x1xi64>, %b64: tensor<64xi8>) -> tensor<2x1xi64> {
  // expected-remark @+1 {{bit packing not vectorized: the bit index is used other than to shift the bit into place}}
  %r = linalg.generic {indexing_maps = [#x, #bits, #word], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %b64 : tensor<2x64xf32>, tensor<64xi8>) outs(%init : tensor<2x1xi64>) {
  ^bb0(%in: f32, %unused: i8, %out: i64):
    %b = linalg.index 2 : index
    %bi = arith.index_cast %b : index to i64
    %bf = arith.sitofp %bi : i64 to f32
    %bit = arith.cmpf olt, %in, %bf : f32
    %e = arith.extui %bit : i1 to i64
    %b2 = linalg.index 2 : index
    %sh = arith.index_cast %b2 : index to i64
    %s = arith.shli %e, %sh : i64
    %o = arith.ori %out, %s : i64
    linalg.yield %o : i64
  } -> tensor<2x1xi64>
  return %r : tensor<2x1xi64>
}

// -----

// The same packing with the index only shifting the bit is vectorized:
// nothing to say.
#x = affine_map<(d0, d1, d2) -> (d0, d1 * 64 + d2)>
#bits = affine_map<(d0, d1, d2) -> (d2)>
#word = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @fused_binarize(%x: tensor<2x64xf32>, %init: tensor<2x1xi64>, %b64: tensor<64xi8>) -> tensor<2x1xi64> {
  %zero = arith.constant 0.0 : f32
  %r = linalg.generic {indexing_maps = [#x, #bits, #word], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %b64 : tensor<2x64xf32>, tensor<64xi8>) outs(%init : tensor<2x1xi64>) {
  ^bb0(%in: f32, %unused: i8, %out: i64):
    %bit = arith.cmpf olt, %in, %zero : f32
    %e = arith.extui %bit : i1 to i64
    %b = linalg.index 2 : index
    %sh = arith.index_cast %b : index to i64
    %s = arith.shli %e, %sh : i64
    %o = arith.ori %out, %s : i64
    linalg.yield %o : i64
  } -> tensor<2x1xi64>
  return %r : tensor<2x1xi64>
}
