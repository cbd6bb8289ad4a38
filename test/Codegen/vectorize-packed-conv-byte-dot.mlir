// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-bitpack,bnn-tile-packed-conv{vector-bits=512 vector-registers=32},bnn-vectorize-packed-conv{vector-bits=512},canonicalize))" | FileCheck %s
// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-bitpack,bnn-tile-packed-conv{vector-bits=128 vector-registers=16},bnn-vectorize-packed-conv{vector-bits=128},canonicalize))" | FileCheck %s --check-prefix=NEON

// int8 convolutions accumulate in i32 lanes: 16 per 512-bit vector (4 per
// 128-bit one), one bnn.byte_dot per pixel and channel vector and word,
// with one broadcast input word per pixel and one filter vector load per
// channel vector. The register block takes 16 accumulators (half the 32
// registers): 8 pixels x 2 vectors of 16 channels here.

// CHECK-LABEL: func.func @conv
// CHECK:         scf.for
// CHECK:         scf.for
// CHECK:         scf.for
// CHECK:         scf.for
// CHECK:           %[[A0:.*]] = vector.broadcast %{{.*}} : i32 to vector<16xi32>
// CHECK:           %[[W0:.*]] = vector.transfer_read %{{.*}} : tensor<1x1x3x3x2x32xi32>, vector<16xi32>
// CHECK:           bnn.byte_dot %{{.*}}, %[[A0]], %[[W0]] : vector<16xi32>
// CHECK:           %[[W1:.*]] = vector.transfer_read %{{.*}} : tensor<1x1x3x3x2x32xi32>, vector<16xi32>
// CHECK:           bnn.byte_dot %{{.*}}, %[[A0]], %[[W1]] : vector<16xi32>
// CHECK-COUNT-7:   vector.broadcast %{{.*}} : i32 to vector<16xi32>
// CHECK:           bnn.byte_dot %{{.*}}, %{{.*}}, %[[W0]] : vector<16xi32>
// CHECK:           bnn.byte_dot %{{.*}}, %{{.*}}, %[[W1]] : vector<16xi32>
// CHECK-NOT:       bnn.byte_dot
// CHECK-NOT:       vector.transfer_read
// CHECK:           scf.yield
// NEON-LABEL: func.func @conv
// NEON:         bnn.byte_dot %{{.*}}, %{{.*}}, %{{.*}} : vector<4xi32>
func.func @conv(%a: tensor<1x8x8x8xi8>, %w: tensor<32x3x3x8xi8>) -> tensor<1x8x8x32xi32> {
  %r = bnn.int8_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>}
      : tensor<1x8x8x8xi8>, tensor<32x3x3x8xi8> -> tensor<1x8x8x32xi32>
  return %r : tensor<1x8x8x32xi32>
}

// The epilogue that tiling fuses into a block (here the zero-point bias
// and the requantization) runs on the block's vectors as well.
// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-bitpack,bnn-lower-to-linalg,bnn-fuse-bitpack,bnn-tile-packed-conv{vector-bits=512 vector-registers=32},bnn-vectorize-packed-conv{vector-bits=512},canonicalize))" | FileCheck %s --check-prefix=EPILOGUE

// EPILOGUE-LABEL: func.func @conv_requantize
// EPILOGUE:         scf.for
// EPILOGUE-COUNT-16:  bnn.byte_dot
// EPILOGUE:           arith.addi %{{.*}}, %{{.*}} : vector<1x1x8x32xi32>
// EPILOGUE:           arith.sitofp %{{.*}} : vector<1x1x8x32xi32> to vector<1x1x8x32xf32>
// EPILOGUE:           arith.fptosi %{{.*}} : vector<1x1x8x32xf32> to vector<1x1x8x32xi8>
// EPILOGUE:           vector.transfer_write %{{.*}} : vector<1x1x8x32xi8>, tensor<1x1x8x32xi8>
// EPILOGUE-NOT:     linalg.generic
// EPILOGUE:         return
func.func @conv_requantize(%a: tensor<1x8x8x8xi8>, %w: tensor<32x3x3x8xi8>, %s: tensor<32xf32>) -> tensor<1x8x8x32xi8> {
  %r = bnn.int8_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>}
      : tensor<1x8x8x8xi8>, tensor<32x3x3x8xi8> -> tensor<1x8x8x32xi32>
  %q = bnn.requantize %r, %s : tensor<1x8x8x32xi32>, tensor<32xf32> -> tensor<1x8x8x32xi8>
  return %q : tensor<1x8x8x32xi8>
}
