// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-tile-packed-conv{vector-bits=128 vector-registers=16}))" --split-input-file --verify-diagnostics | FileCheck %s

// The register block is a typed attribute on the packed convolution: set
// by hand it is obeyed, otherwise bnn-tile-packed-conv chooses one from the
// target and records it. The generics are what bnn-bitpack writes for a
// 3x3 binary convolution of 4x4 pixels and 4 output channels.

#in = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d5, d0, d1 + d7, d2 + d8, d3, d9)>
#w = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d6, d3, d7, d8, d9, d4)>
#out = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d0, d1, d2, d4)>

// 2 pixels x 2 channels by hand: loops over rows, pairs of columns and
// pairs of channels around 1x1x2x2 blocks.
// CHECK-LABEL: func.func @by_hand
// CHECK: scf.for %{{.+}} step %c1
// CHECK: scf.for %{{.+}} step %c2
// CHECK: scf.for %{{.+}} step %c2
// CHECK: linalg.generic
// CHECK-SAME: outs(%{{.+}} : tensor<1x1x2x2xi32>)
// CHECK-SAME: bnn.register_block = #bnn.register_block<pixels = 2, channels = 2>
func.func @by_hand(%a: tensor<1x1x6x6x1x1xi64>, %w: tensor<1x1x3x3x1x4xi64>, %init: tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32> {
  %r = linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "reduction", "reduction"]} ins(%a, %w : tensor<1x1x6x6x1x1xi64>, tensor<1x1x3x3x1x4xi64>) outs(%init : tensor<1x4x4x4xi32>) attrs = {bnn.packed_conv, bnn.register_block = #bnn.register_block<pixels = 2, channels = 2>} {
  ^bb0(%x: i64, %y: i64, %acc: i32):
    %t = arith.xori %x, %y : i64
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

// Chosen: 128-bit vectors hold 2 channels, 8 of the 16 registers
// accumulate; the whole row of 4 pixels x 4 channels (2 vectors) fits.
// CHECK-LABEL: func.func @chosen
// CHECK: linalg.generic
// CHECK-SAME: outs(%{{.+}} : tensor<1x1x4x4xi32>)
// CHECK-SAME: bnn.register_block = #bnn.register_block<pixels = 4, channels = 4>
func.func @chosen(%a: tensor<1x1x6x6x1x1xi64>, %w: tensor<1x1x3x3x1x4xi64>, %init: tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32> {
  %r = linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "reduction", "reduction"]} ins(%a, %w : tensor<1x1x6x6x1x1xi64>, tensor<1x1x3x3x1x4xi64>) outs(%init : tensor<1x4x4x4xi32>) attrs = {bnn.packed_conv} {
  ^bb0(%x: i64, %y: i64, %acc: i32):
    %t = arith.xori %x, %y : i64
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

func.func @not_a_divisor(%a: tensor<1x1x6x6x1x1xi64>, %w: tensor<1x1x3x3x1x4xi64>, %init: tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32> {
  // expected-error @+1 {{bnn-tile-packed-conv: #bnn.register_block<pixels = 3, channels = 4> does not divide the 4 output columns and 4 output channels per group}}
  %r = linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "reduction", "reduction"]} ins(%a, %w : tensor<1x1x6x6x1x1xi64>, tensor<1x1x3x3x1x4xi64>) outs(%init : tensor<1x4x4x4xi32>) attrs = {bnn.packed_conv, bnn.register_block = #bnn.register_block<pixels = 3, channels = 4>} {
  ^bb0(%x: i64, %y: i64, %acc: i32):
    %t = arith.xori %x, %y : i64
    %p = math.ctpop %t : i64
    %q = arith.trunci %p : i64 to i32
    %s = arith.addi %acc, %q : i32
    linalg.yield %s : i32
  } -> tensor<1x4x4x4xi32>
  return %r : tensor<1x4x4x4xi32>
}
