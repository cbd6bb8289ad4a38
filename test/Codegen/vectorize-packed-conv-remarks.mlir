// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-vectorize-packed-conv{vector-bits=128}))" --split-input-file --verify-diagnostics
// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-vectorize-packed-conv{vector-bits=128 remarks=false}))" --split-input-file | FileCheck %s --check-prefix=QUIET

// bnn-vectorize-packed-conv says why it leaves a packed convolution as
// loops (and stays quiet with remarks=false, as in bnn-lower-to-llvm
// unless its vectorize-remarks option is set). The generics are the
// packed convolution bnn-bitpack writes for a 3x3 binary convolution of 4
// output channels, with the body changed.

// QUIET-NOT: remark
// QUIET: linalg.generic

#in = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d5, d0, d1 + d7, d2 + d8, d3, d9)>
#w = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d6, d3, d7, d8, d9, d4)>
#out = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d0, d1, d2, d4)>
func.func @output_index(%a: tensor<1x1x6x6x1x1xi64>, %w: tensor<1x1x3x3x1x4xi64>, %init: tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32> {
  // expected-remark @+1 {{packed convolution not vectorized: the term depends on an output index}}
  %r = linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "reduction", "reduction"]} ins(%a, %w : tensor<1x1x6x6x1x1xi64>, tensor<1x1x3x3x1x4xi64>) outs(%init : tensor<1x4x4x4xi32>) attrs = {bnn.packed_conv} {
  ^bb0(%x: i64, %y: i64, %acc: i32):
    %i = linalg.index 1 : index
    %ii = arith.index_cast %i : index to i64
    %t = arith.xori %x, %ii : i64
    %p = math.ctpop %t : i64
    %q = arith.trunci %p : i64 to i32
    %s = arith.addi %acc, %q : i32
    linalg.yield %s : i32
  } -> tensor<1x4x4x4xi32>
  return %r : tensor<1x4x4x4xi32>
}

// -----

#in = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d5, d0, d1 + d7, d2 + d8, d3, d9)>
#w = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d6, d3, d7, d8, d9, d4)>
#out = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d0, d1, d2, d4)>
func.func @not_a_sum(%a: tensor<1x1x6x6x1x1xi64>, %w: tensor<1x1x3x3x1x4xi64>, %init: tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32> {
  // expected-remark @+1 {{packed convolution not vectorized: the body does not yield the accumulator plus a term}}
  %r = linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "reduction", "reduction"]} ins(%a, %w : tensor<1x1x6x6x1x1xi64>, tensor<1x1x3x3x1x4xi64>) outs(%init : tensor<1x4x4x4xi32>) attrs = {bnn.packed_conv} {
  ^bb0(%x: i64, %y: i64, %acc: i32):
    %t = arith.xori %x, %y : i64
    %p = math.ctpop %t : i64
    %q = arith.trunci %p : i64 to i32
    %s = arith.maxsi %acc, %q : i32
    linalg.yield %s : i32
  } -> tensor<1x4x4x4xi32>
  return %r : tensor<1x4x4x4xi32>
}

// -----

#in = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d5, d0, d1 + d7, d2 + d8, d3, d9)>
#w = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d6, d3, d7, d8, d9, d4)>
#out = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d0, d1, d2, d4)>
func.func @float_body(%a: tensor<1x1x6x6x1x1xi64>, %w: tensor<1x1x3x3x1x4xi64>, %init: tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32> {
  // expected-remark @+1 {{packed convolution not vectorized: the body holds 'arith.sitofp', which is not a single-result integer arith or math operation}}
  %r = linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "reduction", "reduction"]} ins(%a, %w : tensor<1x1x6x6x1x1xi64>, tensor<1x1x3x3x1x4xi64>) outs(%init : tensor<1x4x4x4xi32>) attrs = {bnn.packed_conv} {
  ^bb0(%x: i64, %y: i64, %acc: i32):
    %t = arith.xori %x, %y : i64
    %f = arith.sitofp %t : i64 to f32
    %g = arith.fptosi %f : f32 to i64
    %p = math.ctpop %g : i64
    %q = arith.trunci %p : i64 to i32
    %s = arith.addi %acc, %q : i32
    linalg.yield %s : i32
  } -> tensor<1x4x4x4xi32>
  return %r : tensor<1x4x4x4xi32>
}
