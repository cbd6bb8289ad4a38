// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-bitpack,bnn-parallelize-packed-conv))" --split-input-file | FileCheck %s
// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-bitpack,bnn-parallelize-packed-conv{channel-chunk=32}))" --split-input-file | FileCheck %s --check-prefix=CHUNK32
// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-parallelize-packed-conv{channel-chunk=2}))" --split-input-file | FileCheck %s --check-prefix=CHUNK2
// RUN: not bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-parallelize-packed-conv{channel-chunk=0}))" --split-input-file 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: error: bnn-parallelize-packed-conv: channel-chunk must be positive, got 0

// One task per output row and chunk of 64 output channels: 6 rows x 2
// chunks of the 128 channels, the chunks outermost (consecutive tasks
// share a chunk's weights). The epilogue (K - 2P) is tiled with the
// tasks and the convolution and its zero fill are fused into each.
// CHECK-LABEL: func.func @rows_and_chunks
// CHECK: scf.forall (%[[O:.+]], %[[Y:.+]]) = (0, 0) to (128, 6) step (64, 1)
// CHECK: linalg.fill {{.+}} -> tensor<1x1x8x64xi32>
// CHECK: bnn.packed_conv <xor> {{.+}} outs(%{{.+}} : tensor<1x1x8x64xi32>)
// CHECK: linalg.generic {{.+}} outs(%{{.+}} : tensor<1x1x8x64xi32>)
// CHECK: arith.subi
// CHECK: tensor.parallel_insert_slice
// CHECK-NOT: bnn.packed_conv
// CHUNK32-LABEL: func.func @rows_and_chunks
// CHUNK32: scf.forall (%{{.+}}, %{{.+}}) = (0, 0) to (128, 6) step (32, 1)
func.func @rows_and_chunks(%a: tensor<1x6x8x64xi1>, %w: tensor<128x3x3x64xi1>) -> tensor<1x6x8x128xi32> {
  %r = bnn.binary_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>, pad_value = #bnn.pad_value<plus_one>} : tensor<1x6x8x64xi1>, tensor<128x3x3x64xi1> -> tensor<1x6x8x128xi32>
  return %r : tensor<1x6x8x128xi32>
}

// -----

// A single output pixel and channel chunk: nothing to distribute.
// CHECK-LABEL: func.func @dense_one_task
// CHECK-NOT: scf.forall
// CHUNK32-LABEL: func.func @dense_one_task
func.func @dense_one_task(%a: tensor<1x256xi1>, %w: tensor<16x256xi1>) -> tensor<1x16xi32> {
  %r = bnn.binary_dense %a, %w : tensor<1x256xi1>, tensor<16x256xi1> -> tensor<1x16xi32>
  return %r : tensor<1x16xi32>
}

// -----

// One pixel per row (a dense layer): chunks as wide as the register block
// the whole layer gets (1 x 256 int8 channels: 16 vectors of 16 lanes on
// 512-bit vectors with 32 registers), not the 64 of channel-chunk. With 7
// pixels per row the chunks stay 64 channels (blocks of 7 x 32 inside).
// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-bitpack,bnn-parallelize-packed-conv{vector-bits=512 vector-registers=32}))" --split-input-file | FileCheck %s --check-prefix=WIDE
// WIDE-LABEL: func.func @dense_wide_block
// WIDE: scf.forall (%{{.+}}) = (0) to (1024) step (256)
// WIDE-LABEL: func.func @conv_narrow_block
// WIDE: scf.forall (%{{.+}}, %{{.+}}) = (0, 0) to (512, 7) step (64, 1)
// CHECK-LABEL: func.func @dense_wide_block
// CHUNK32-LABEL: func.func @dense_wide_block
func.func @dense_wide_block(%a: tensor<1x64xi8>, %w: tensor<1024x64xi8>) -> tensor<1x1024xi32> {
  %r = bnn.int8_dense %a, %w : tensor<1x64xi8>, tensor<1024x64xi8> -> tensor<1x1024xi32>
  return %r : tensor<1x1024xi32>
}

// -----

// CHECK-LABEL: func.func @conv_narrow_block
// CHUNK32-LABEL: func.func @conv_narrow_block
func.func @conv_narrow_block(%a: tensor<1x7x7x64xi8>, %w: tensor<512x3x3x64xi8>) -> tensor<1x7x7x512xi32> {
  %r = bnn.int8_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>} : tensor<1x7x7x64xi8>, tensor<512x3x3x64xi8> -> tensor<1x7x7x512xi32>
  return %r : tensor<1x7x7x512xi32>
}

// -----

// A constant filter read in chunks of output channels is stored chunk by
// chunk ([O / chunk, Q, G, KY, KX, W, chunk]), so that each task reads one
// contiguous block: rows (words) [0, 1, 2, 3] and [10, 11, 12, 13] in
// chunks of 2 become chunk 0 = [[0, 1], [10, 11]] and chunk 1 =
// [[2, 3], [12, 13]]. The task's slice of the filter is its chunk.
// CHUNK2-LABEL: func.func @chunk_major_filter
// CHUNK2: %[[F:.+]] = arith.constant dense<{{.+}}0, 1], [10, 11]{{.+}}2, 3], [12, 13]{{.+}}> : tensor<2x1x1x1x1x2x2xi64>
// CHUNK2: scf.forall (%[[O:.+]], %{{.+}}) = (0, 0) to (4, 3) step (2, 1)
// CHUNK2: %[[K:.+]] = affine.apply #{{.+}}(%[[O]])
// CHUNK2: tensor.extract_slice %[[F]][%[[K]], 0, 0, 0, 0, 0, 0] [1, 1, 1, 1, 1, 2, 2] [1, 1, 1, 1, 1, 1, 1] : tensor<2x1x1x1x1x2x2xi64> to tensor<1x1x1x1x2x2xi64>
// CHUNK2-NOT: tensor<1x1x1x1x2x4xi64>
func.func @chunk_major_filter(%a: tensor<1x1x3x3x1x2xi64>) -> tensor<1x3x3x4xi32> {
  %w = arith.constant dense<[[[[[[0, 1, 2, 3], [10, 11, 12, 13]]]]]]> : tensor<1x1x1x1x2x4xi64>
  %z = arith.constant 0 : i32
  %e = tensor.empty() : tensor<1x3x3x4xi32>
  %acc = linalg.fill ins(%z : i32) outs(%e : tensor<1x3x3x4xi32>) -> tensor<1x3x3x4xi32>
  %r = bnn.packed_conv <xor> ins(%a, %w : tensor<1x1x3x3x1x2xi64>, tensor<1x1x1x1x2x4xi64>) outs(%acc : tensor<1x3x3x4xi32>) strides = [1, 1] dilations = [1, 1] -> tensor<1x3x3x4xi32>
  return %r : tensor<1x3x3x4xi32>
}
