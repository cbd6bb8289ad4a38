// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-bitpack,canonicalize,bnn-lower-pack,bnn-lower-to-linalg,bnn-fuse-bitpack,bnn-tile-packed-conv{vector-bits=512 vector-registers=32},canonicalize))" --split-input-file | FileCheck %s

// Epilogue fusion: the K - 2P epilogue is tiled in 4-pixel x 32-channel
// blocks and each block's convolution and zero fill computed inside it;
// no full-size fill or accumulator tensor is left outside the loops.
// CHECK-LABEL: func.func @epilogue
// CHECK-NOT: linalg.fill {{.+}} -> tensor<1x6x8x32xi32>
// CHECK: scf.for %{{.+}} = %c0 to %c6 step %c1 iter_args(%{{.+}}) -> (tensor<1x6x8x32xi32>)
// CHECK: scf.for %{{.+}} = %c0 to %c8 step %c4
// CHECK: linalg.fill {{.+}} -> tensor<1x1x4x32xi32>
// CHECK: bnn.packed_conv <xor> {{.+}} outs(%{{.+}} : tensor<1x1x4x32xi32>)
// CHECK: linalg.generic {{.+}} outs(%{{.+}} : tensor<1x1x4x32xi32>)
// CHECK: arith.subi
// CHECK: tensor.insert_slice
func.func @epilogue(%a: tensor<1x6x8x64xi1>, %w: tensor<32x3x3x64xi1>) -> tensor<1x6x8x32xi32> {
  %r = bnn.binary_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>, pad_value = #bnn.pad_value<plus_one>} : tensor<1x6x8x64xi1>, tensor<32x3x3x64xi1> -> tensor<1x6x8x32xi32>
  return %r : tensor<1x6x8x32xi32>
}

// -----

// Bitpack fusion into the blocks: the packing of the thresholded result
// (one generic after bnn-fuse-bitpack) is tiled in 4-pixel x 1-word
// tiles; each tile computes its 64 channels of convolution (two 32-channel
// register blocks) and packs them: the convolution writes words.
// CHECK-LABEL: func.func @packed_result
// CHECK: scf.for %{{.+}} = %c0 to %c6 step %c1 iter_args(%{{.+}}) -> (tensor<1x6x8x1xi64>)
// CHECK: scf.for %{{.+}} = %c0 to %c8 step %c4 iter_args(%{{.+}}) -> (tensor<1x6x8x1xi64>)
// CHECK: linalg.fill {{.+}} -> tensor<1x1x4x64xi32>
// CHECK: scf.for %{{.+}} = %c0 to %c64 step %c32 iter_args(%{{.+}}) -> (tensor<1x1x4x64xi32>)
// CHECK: bnn.packed_conv <xor> {{.+}} outs(%{{.+}} : tensor<1x1x4x32xi32>)
// CHECK: linalg.generic {{.+}} ins(%{{.+}} : tensor<1x1x4x64xi32>, {{.+}}) outs(%{{.+}} : tensor<1x1x4x1xi64>)
// CHECK: arith.ori
func.func @packed_result(%a: tensor<1x6x8x64xi1>, %w: tensor<64x3x3x64xi1>, %t: tensor<64xi32>, %d: tensor<64xi1>) -> tensor<1x6x8x1xi64> {
  %r = bnn.binary_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>, pad_value = #bnn.pad_value<plus_one>} : tensor<1x6x8x64xi1>, tensor<64x3x3x64xi1> -> tensor<1x6x8x64xi32>
  %b = bnn.threshold %r, %t, %d : tensor<1x6x8x64xi32>, tensor<64xi32>, tensor<64xi1> -> tensor<1x6x8x64xi1>
  %p = bnn.pack %b : tensor<1x6x8x64xi1> -> tensor<1x6x8x1xi64>
  return %p : tensor<1x6x8x1xi64>
}

// -----

// A packing into 32-bit words (the next layer's 96 channels) fuses the
// same way, a 32-channel word per tile: each 4-pixel x 32-channel block
// writes one i32 word per pixel.
// CHECK-LABEL: func.func @packed_result_i32
// CHECK: scf.for %{{.+}} = %c0 to %c6 step %c1 iter_args(%{{.+}}) -> (tensor<1x6x8x3xi32>)
// CHECK: scf.for %{{.+}} = %c0 to %c8 step %c4 iter_args(%{{.+}}) -> (tensor<1x6x8x3xi32>)
// CHECK: scf.for %{{.+}} = %c0 to %c3 step %c1 iter_args(%{{.+}}) -> (tensor<1x6x8x3xi32>)
// CHECK: bnn.packed_conv <xor> {{.+}} outs(%{{.+}} : tensor<1x1x4x32xi32>)
// CHECK: linalg.generic {{.+}} ins(%{{.+}} : tensor<1x1x4x32xi32>, {{.+}}) outs(%{{.+}} : tensor<1x1x4x1xi32>)
// CHECK: arith.ori %{{.+}} : i32
func.func @packed_result_i32(%a: tensor<1x6x8x64xi1>, %w: tensor<96x3x3x64xi1>, %t: tensor<96xi32>, %d: tensor<96xi1>) -> tensor<1x6x8x3xi32> {
  %r = bnn.binary_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>, pad_value = #bnn.pad_value<plus_one>} : tensor<1x6x8x64xi1>, tensor<96x3x3x64xi1> -> tensor<1x6x8x96xi32>
  %b = bnn.threshold %r, %t, %d : tensor<1x6x8x96xi32>, tensor<96xi32>, tensor<96xi1> -> tensor<1x6x8x96xi1>
  %p = bnn.pack %b : tensor<1x6x8x96xi1> -> tensor<1x6x8x3xi32>
  return %p : tensor<1x6x8x3xi32>
}

// -----

// Groups: the merge of [G, O/G] into O channels (collapse_shape) moves
// after the float glue, which bnn-fuse-bitpack expands to the groups, so
// that the glue is fused into the blocks as for one group; the per-channel
// operands are read per group.
// CHECK-LABEL: func.func @grouped_epilogue
// CHECK: tensor.expand_shape %{{.+}} {{\[\[}}0, 1]] output_shape [2, 32] : tensor<64xf32> into tensor<2x32xf32>
// CHECK: scf.for {{.+}} -> (tensor<1x6x8x2x32xf32>)
// CHECK: scf.for {{.+}} -> (tensor<1x6x8x2x32xf32>)
// CHECK: bnn.packed_conv <xor> {{.+}} outs(%{{.+}} : tensor<1x1x8x1x32xi32>)
// CHECK: linalg.generic {{.+}} outs(%{{.+}} : tensor<1x1x8x1x32xf32>)
// CHECK: arith.sitofp
// CHECK: tensor.collapse_shape %{{.+}} : tensor<1x6x8x2x32xf32> into tensor<1x6x8x64xf32>
func.func @grouped_epilogue(%a: tensor<1x6x8x64xi1>, %w: tensor<64x3x3x32xi1>, %m: tensor<64xf32>, %b: tensor<64xf32>) -> tensor<1x6x8x64xf32> {
  %r = bnn.binary_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>, pad_value = #bnn.pad_value<plus_one>, groups = 2 : i64} : tensor<1x6x8x64xi1>, tensor<64x3x3x32xi1> -> tensor<1x6x8x64xi32>
  %f = bnn.acc_to_float %r, %m, %b : tensor<1x6x8x64xi32>, tensor<64xf32>, tensor<64xf32> -> tensor<1x6x8x64xf32>
  return %f : tensor<1x6x8x64xf32>
}
