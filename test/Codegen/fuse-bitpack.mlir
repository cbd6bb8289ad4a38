// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-lower-pack,bnn-lower-to-linalg,bnn-fuse-bitpack,canonicalize))" --split-input-file | FileCheck %s
// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-lower-pack,bnn-lower-to-linalg,bnn-fuse-bitpack,bnn-vectorize-packed-conv,canonicalize))" --split-input-file | FileCheck %s --check-prefix=VEC
// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-lower-pack,bnn-lower-to-linalg,bnn-vectorize-packed-conv,canonicalize))" --split-input-file | FileCheck %s --check-prefix=UNFUSED
// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(convert-elementwise-to-linalg,bnn-fuse-bitpack,canonicalize))" --split-input-file | FileCheck %s --check-prefix=CHAIN
// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(convert-elementwise-to-linalg,bnn-fuse-bitpack{max-fused-ops=8},canonicalize))" --split-input-file | FileCheck %s --check-prefix=BOUND

// Threshold + pack: one generic reads the accumulators (channel 64 w + b
// of word w) and writes words; the only i1 tensor left is the directions
// input of the small per-channel mask generic.
// CHECK-LABEL: func.func @threshold_pack
// CHECK-SAME: (%[[ACC:.+]]: tensor<1x4x4x128xi32>, %[[T:.+]]: tensor<128xi32>,
// CHECK: %[[MASK:.+]] = linalg.generic {{.+}} ins(%{{.+}} : tensor<128xi1>) outs(%{{.+}} : tensor<128xi32>)
// CHECK: linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[ACC]], %[[T]], %[[MASK]], %{{.+}} : tensor<1x4x4x128xi32>, tensor<128xi32>, tensor<128xi32>, tensor<64xi8>) outs(%{{.+}} : tensor<1x4x4x2xi64>)
// CHECK: arith.cmpi slt
// CHECK: arith.shli
// CHECK: arith.ori
// CHECK-NOT: tensor<1x4x4x128xi1>
// (canonicalize folds "not (a >= b)" into "a < b".)
// Vectorized: per word, 64 lanes of accumulators, thresholds and masks,
// one comparison and one bitcast of the mask to the word.
// VEC-LABEL: func.func @threshold_pack
// VEC: scf.for
// VEC: vector.transfer_read {{.+}} : tensor<1x4x4x128xi32>, vector<64xi32>
// VEC: arith.cmpi {{sge|slt}}, %{{.+}}, %{{.+}} : vector<64xi32>
// VEC: vector.bitcast %{{.+}} : vector<64xi1> to vector<1xi64>
// VEC: tensor.insert
// Without the fusion the packing reads i1 bytes and stays a loop nest.
// UNFUSED-LABEL: func.func @threshold_pack
// UNFUSED-NOT: vector.bitcast
// UNFUSED: linalg.generic {{.+}} ins(%{{.+}}, %{{.+}} : tensor<1x4x4x128xi1>, tensor<64xi8>) outs(%{{.+}} : tensor<1x4x4x2xi64>)
func.func @threshold_pack(%acc: tensor<1x4x4x128xi32>, %t: tensor<128xi32>, %d: tensor<128xi1>) -> tensor<1x4x4x2xi64> {
  %b = bnn.threshold %acc, %t, %d : tensor<1x4x4x128xi32>, tensor<128xi32>, tensor<128xi1> -> tensor<1x4x4x128xi1>
  %p = bnn.pack %b : tensor<1x4x4x128xi1> -> tensor<1x4x4x2xi64>
  return %p : tensor<1x4x4x2xi64>
}

// -----

// Binarization of floats (x < 0 is bit 1) packs straight from the floats.
// CHECK-LABEL: func.func @binarize_pack
// CHECK: linalg.generic {{.+}} ins(%{{.+}}, %{{.+}} : tensor<2x64xf32>, tensor<64xi8>) outs(%{{.+}} : tensor<2x1xi64>)
// CHECK: arith.cmpf
// VEC-LABEL: func.func @binarize_pack
// VEC: vector.transfer_read {{.+}} : tensor<2x64xf32>, vector<64xf32>
// VEC: arith.cmpf {{.+}} : vector<64xf32>
// VEC: vector.bitcast %{{.+}} : vector<64xi1> to vector<1xi64>
// UNFUSED-LABEL: func.func @binarize_pack
func.func @binarize_pack(%x: tensor<2x64xf32>) -> tensor<2x1xi64> {
  %b = bnn.binarize %x : tensor<2x64xf32> -> tensor<2x64xi1>
  %p = bnn.pack %b : tensor<2x64xi1> -> tensor<2x1xi64>
  return %p : tensor<2x1xi64>
}

// -----

// 32-bit words: 32 lanes per whole word, and the partial last word's 8
// lanes placed in the low lanes of a 32-lane mask.
// VEC-LABEL: func.func @binarize_pack_i32
// VEC: vector.transfer_read {{.+}} : tensor<2x40xf32>, vector<32xf32>
// VEC: vector.bitcast %{{.+}} : vector<32xi1> to vector<1xi32>
// VEC: vector.transfer_read {{.+}} : tensor<2x40xf32>, vector<8xf32>
// VEC: vector.insert_strided_slice %{{.+}} {offsets = [0], strides = [1]} : vector<8xi1> into vector<32xi1>
// VEC: vector.bitcast %{{.+}} : vector<32xi1> to vector<1xi32>
func.func @binarize_pack_i32(%x: tensor<2x40xf32>) -> tensor<2x2xi32> {
  %b = bnn.binarize %x : tensor<2x40xf32> -> tensor<2x40xi1>
  %p = bnn.pack %b : tensor<2x40xi1> -> tensor<2x2xi32>
  return %p : tensor<2x2xi32>
}

// -----

// 70 channels: the whole word and the partial last word (channels 64..69)
// are two packing generics, and the binarization fuses into both; the
// partial word computes 6 lanes, placed in the low lanes of the 64-lane
// mask. The other binarization is not fused: its binary tensor is also
// returned, so it must exist anyway.
// CHECK-LABEL: func.func @tail_fused
// CHECK-SAME: (%[[X:.+]]: tensor<3x70xf32>,
// CHECK: linalg.generic {{.+}} ins(%[[X]], %{{.+}} : tensor<3x70xf32>, tensor<64xi8>) outs(%{{.+}} : tensor<3x1xi64>)
// CHECK: arith.cmpf
// CHECK: linalg.generic {{.+}} ins(%[[X]], %{{.+}} : tensor<3x70xf32>, tensor<6xi8>) outs(%{{.+}} : tensor<3x1xi64>)
// CHECK: arith.cmpf
// CHECK: linalg.generic {{.+}} ins(%{{.+}}, %{{.+}} : tensor<3x64xi1>, tensor<64xi8>)
// VEC-LABEL: func.func @tail_fused
// VEC: vector.transfer_read {{.+}} : tensor<3x70xf32>, vector<64xf32>
// VEC: vector.bitcast %{{.+}} : vector<64xi1> to vector<1xi64>
// VEC: vector.transfer_read %{{.+}}[%{{.+}}, %c64], %{{.+}} {in_bounds = [true]} : tensor<3x70xf32>, vector<6xf32>
// VEC: %[[LOW:.+]] = arith.cmpf olt, %{{.+}}, %{{.+}} : vector<6xf32>
// VEC: %[[MASK:.+]] = vector.insert_strided_slice %[[LOW]], %{{.+}} {offsets = [0], strides = [1]} : vector<6xi1> into vector<64xi1>
// VEC: vector.bitcast %[[MASK]] : vector<64xi1> to vector<1xi64>
// VEC-NOT: vector.bitcast
// VEC: return
// UNFUSED-LABEL: func.func @tail_fused
func.func @tail_fused(%x: tensor<3x70xf32>, %y: tensor<3x64xf32>) -> (tensor<3x2xi64>, tensor<3x1xi64>, tensor<3x64xi1>) {
  %b = bnn.binarize %x : tensor<3x70xf32> -> tensor<3x70xi1>
  %p = bnn.pack %b : tensor<3x70xi1> -> tensor<3x2xi64>
  %c = bnn.binarize %y : tensor<3x64xf32> -> tensor<3x64xi1>
  %q = bnn.pack %c : tensor<3x64xi1> -> tensor<3x1xi64>
  return %p, %q, %c : tensor<3x2xi64>, tensor<3x1xi64>, tensor<3x64xi1>
}

// -----

// A quantized (ui2) activation of a bit-serial product: each bit plane's
// packing computes the quantization itself from the floats (the unsigned
// reinterpretations cancel) and no ui2 or i1 tensor is left.
// CHECK-LABEL: func.func @quantize_bitplane_pack
// CHECK-NOT: ui2
// CHECK: linalg.generic {{.+}} ins(%{{.+}}, %{{.+}}, %{{.+}} : tensor<2x64xf32>, tensor<64xf32>, tensor<64xi8>) outs(%{{.+}} : tensor<2x1xi64>)
// CHECK: math.roundeven
// CHECK: arith.fptosi
// CHECK: arith.select {{.+}} : i2
// CHECK: arith.trunci {{.+}} : i2 to i1
// CHECK: linalg.generic {{.+}} ins(%{{.+}}, %{{.+}}, %{{.+}} : tensor<2x64xf32>, tensor<64xf32>, tensor<64xi8>) outs(%{{.+}} : tensor<2x1xi64>)
// CHECK: math.roundeven
// CHECK: arith.shrui {{.+}} : i2
// CHECK-NOT: ui2
// CHECK: return
// VEC-LABEL: func.func @quantize_bitplane_pack
// VEC: vector.transfer_read {{.+}} : tensor<2x64xf32>, vector<64xf32>
// VEC: math.roundeven {{.+}} : vector<64xf32>
// VEC: vector.bitcast %{{.+}} : vector<64xi1> to vector<1xi64>
// VEC: vector.bitcast %{{.+}} : vector<64xi1> to vector<1xi64>
// UNFUSED-LABEL: func.func @quantize_bitplane_pack
// UNFUSED-NOT: vector.bitcast
// UNFUSED: linalg.generic {{.+}} outs(%{{.+}} : tensor<2x64xui2>)
// UNFUSED: return
func.func @quantize_bitplane_pack(%x: tensor<2x64xf32>, %s: tensor<64xf32>) -> (tensor<2x1xi64>, tensor<2x1xi64>) {
  %q = bnn.quantize %x, %s {zero_point = 1 : i64} : tensor<2x64xf32>, tensor<64xf32> -> tensor<2x64xui2>
  %b0 = bnn.bitplane %q {bit = 0 : i64} : tensor<2x64xui2> -> tensor<2x64xi1>
  %b1 = bnn.bitplane %q {bit = 1 : i64} : tensor<2x64xui2> -> tensor<2x64xi1>
  %p0 = bnn.pack %b0 : tensor<2x64xi1> -> tensor<2x1xi64>
  %p1 = bnn.pack %b1 : tensor<2x64xi1> -> tensor<2x1xi64>
  return %p0, %p1 : tensor<2x1xi64>, tensor<2x1xi64>
}

// -----

// Thresholded (ui2) activations of a bit-serial product: as for a
// quantization, each bit plane's packing counts the thresholds itself from
// the accumulators (the columns of the table are per-channel operands), and
// the counts become 64-lane vector comparisons and additions.
// CHECK-LABEL: func.func @multi_threshold_bitplane_pack
// CHECK-NOT: ui2
// CHECK: linalg.generic {{.+}} ins(%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}} : tensor<2x64xi32>, tensor<64xi32>, tensor<64xi32>, tensor<64xi32>, tensor<1xi32>, tensor<64xi8>) outs(%{{.+}} : tensor<2x1xi64>)
// CHECK-COUNT-3: arith.cmpi sge
// CHECK: arith.trunci {{.+}} : i2 to i1
// CHECK: linalg.generic {{.+}} ins(%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}} : tensor<2x64xi32>, tensor<64xi32>, tensor<64xi32>, tensor<64xi32>, tensor<1xi32>, tensor<64xi8>) outs(%{{.+}} : tensor<2x1xi64>)
// CHECK-COUNT-3: arith.cmpi sge
// CHECK: arith.shrui {{.+}} : i2
// CHECK-NOT: ui2
// CHECK: return
// VEC-LABEL: func.func @multi_threshold_bitplane_pack
// VEC: vector.transfer_read {{.+}} : tensor<2x64xi32>, vector<64xi32>
// VEC: arith.cmpi sge, {{.+}} : vector<64xi32>
// VEC: arith.addi {{.+}} : vector<64xi2>
// VEC: vector.bitcast %{{.+}} : vector<64xi1> to vector<1xi64>
// VEC: vector.bitcast %{{.+}} : vector<64xi1> to vector<1xi64>
// UNFUSED-LABEL: func.func @multi_threshold_bitplane_pack
// UNFUSED-NOT: vector.bitcast
// UNFUSED: linalg.generic {{.+}} outs(%{{.+}} : tensor<2x64xui2>)
// UNFUSED: return
func.func @multi_threshold_bitplane_pack(%acc: tensor<2x64xi32>, %t: tensor<64x3xi32>, %d: tensor<1xi1>) -> (tensor<2x1xi64>, tensor<2x1xi64>) {
  %q = bnn.multi_threshold %acc, %t, %d : tensor<2x64xi32>, tensor<64x3xi32>, tensor<1xi1> -> tensor<2x64xui2>
  %b0 = bnn.bitplane %q {bit = 0 : i64} : tensor<2x64xui2> -> tensor<2x64xi1>
  %b1 = bnn.bitplane %q {bit = 1 : i64} : tensor<2x64xui2> -> tensor<2x64xi1>
  %p0 = bnn.pack %b0 : tensor<2x64xi1> -> tensor<2x1xi64>
  %p1 = bnn.pack %b1 : tensor<2x64xi1> -> tensor<2x1xi64>
  return %p0, %p1 : tensor<2x1xi64>, tensor<2x1xi64>
}

// -----

// Three operations per threshold: the 15 thresholds of ui4 still fit the
// default bound of the fused body (max-fused-ops = 64).
// CHECK-LABEL: func.func @multi_threshold_ui4_fused
// CHECK-NOT: ui4
// CHECK: linalg.generic {{.+}} outs(%{{.+}} : tensor<2x1xi64>)
// CHECK-COUNT-15: arith.cmpi sge
// CHECK-NOT: ui4
// CHECK: return
func.func @multi_threshold_ui4_fused(%acc: tensor<2x64xi32>, %t: tensor<64x15xi32>, %d: tensor<64xi1>) -> tensor<2x1xi64> {
  %q = bnn.multi_threshold %acc, %t, %d : tensor<2x64xi32>, tensor<64x15xi32>, tensor<64xi1> -> tensor<2x64xui4>
  %b3 = bnn.bitplane %q {bit = 3 : i64} : tensor<2x64xui4> -> tensor<2x64xi1>
  %p3 = bnn.pack %b3 : tensor<2x64xi1> -> tensor<2x1xi64>
  return %p3 : tensor<2x1xi64>
}

// -----

// A chain of elementwise ops, each the only use of the one before: fused
// into one generic (20 additions) by default. Every fusion copies both
// bodies, so the fused body is bounded (max-fused-ops, operations and
// operands): with a bound of 8 the chain becomes several generics of at
// most 8 operations, and a chain of N ops costs O(N), not O(N^2).
// CHAIN-LABEL: func.func @elementwise_chain
// CHAIN-COUNT-1: linalg.generic
// CHAIN-COUNT-20: arith.addf
// CHAIN-NOT: linalg.generic
// CHAIN: return
// BOUND-LABEL: func.func @elementwise_chain
// BOUND: linalg.generic
// BOUND-COUNT-2: arith.addf
// BOUND-NEXT: linalg.yield
// BOUND-COUNT-3: linalg.generic
// BOUND-NOT: linalg.generic
// BOUND: return
func.func @elementwise_chain(%x: tensor<1x16xf32>, %y: tensor<1x16xf32>) -> tensor<1x16xf32> {
  %a0 = arith.addf %x, %y : tensor<1x16xf32>
  %a1 = arith.addf %a0, %y : tensor<1x16xf32>
  %a2 = arith.addf %a1, %y : tensor<1x16xf32>
  %a3 = arith.addf %a2, %y : tensor<1x16xf32>
  %a4 = arith.addf %a3, %y : tensor<1x16xf32>
  %a5 = arith.addf %a4, %y : tensor<1x16xf32>
  %a6 = arith.addf %a5, %y : tensor<1x16xf32>
  %a7 = arith.addf %a6, %y : tensor<1x16xf32>
  %a8 = arith.addf %a7, %y : tensor<1x16xf32>
  %a9 = arith.addf %a8, %y : tensor<1x16xf32>
  %a10 = arith.addf %a9, %y : tensor<1x16xf32>
  %a11 = arith.addf %a10, %y : tensor<1x16xf32>
  %a12 = arith.addf %a11, %y : tensor<1x16xf32>
  %a13 = arith.addf %a12, %y : tensor<1x16xf32>
  %a14 = arith.addf %a13, %y : tensor<1x16xf32>
  %a15 = arith.addf %a14, %y : tensor<1x16xf32>
  %a16 = arith.addf %a15, %y : tensor<1x16xf32>
  %a17 = arith.addf %a16, %y : tensor<1x16xf32>
  %a18 = arith.addf %a17, %y : tensor<1x16xf32>
  %a19 = arith.addf %a18, %y : tensor<1x16xf32>
  return %a19 : tensor<1x16xf32>
}
