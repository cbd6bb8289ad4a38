// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-lower-pack))" --split-input-file | FileCheck %s

// 70 channels: word 0 packs channels 0..63 and word 1, by a generic of its
// own, channels 64..69 (its other bits stay zero); both read the channels
// in place, without padding, so that both can absorb the producer of the
// bits. Bit b of word w is channel 64 w + b, and each word ORs its bits
// shifted by their position. The operand indexed by b alone (64 or 6 x
// i8) is unused: it gives linalg the range of b.
// CHECK-DAG: #[[BITS:.+]] = affine_map<(d0, d1, d2) -> (d0, d1 * 64 + d2)>
// CHECK-DAG: #[[TAIL:.+]] = affine_map<(d0, d1, d2) -> (d0, d1 * 64 + d2 + 64)>
// CHECK-DAG: #[[B:.+]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-LABEL: func.func @pack_tail
// CHECK-SAME: (%[[IN:.+]]: tensor<3x70xi1>)
// CHECK-DAG: %[[ZERO:.+]] = arith.constant 0 : i64
// CHECK-DAG: %[[R64:.+]] = arith.constant dense<0> : tensor<64xi8>
// CHECK-DAG: %[[R6:.+]] = arith.constant dense<0> : tensor<6xi8>
// CHECK-NOT: tensor.pad
// CHECK: %[[INIT:.+]] = linalg.fill ins(%[[ZERO]] : i64)
// CHECK: %[[S0:.+]] = tensor.extract_slice %[[INIT]][0, 0] [3, 1] [1, 1]
// CHECK: %[[W0:.+]] = linalg.generic {indexing_maps = [#[[BITS]], #[[B]], #{{[a-z0-9]+}}]
// CHECK-SAME: iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-SAME: ins(%[[IN]], %[[R64]] : tensor<3x70xi1>, tensor<64xi8>) outs(%[[S0]] : tensor<3x1xi64>)
// CHECK: %[[BIT:.+]] = arith.extui %{{.+}} : i1 to i64
// CHECK: %[[J:.+]] = linalg.index 2
// CHECK: %[[SHIFT:.+]] = arith.index_cast %[[J]]
// CHECK: %[[S:.+]] = arith.shli %[[BIT]], %[[SHIFT]]
// CHECK: arith.ori %{{.+}}, %[[S]]
// CHECK: %[[P0:.+]] = tensor.insert_slice %[[W0]] into %[[INIT]][0, 0] [3, 1] [1, 1]
// CHECK: %[[S1:.+]] = tensor.extract_slice %[[P0]][0, 1] [3, 1] [1, 1]
// CHECK: %[[W1:.+]] = linalg.generic {indexing_maps = [#[[TAIL]], #[[B]], #{{[a-z0-9]+}}]
// CHECK-SAME: ins(%[[IN]], %[[R6]] : tensor<3x70xi1>, tensor<6xi8>) outs(%[[S1]] : tensor<3x1xi64>)
// CHECK: %[[P1:.+]] = tensor.insert_slice %[[W1]] into %[[P0]][0, 1] [3, 1] [1, 1]
// CHECK: return %[[P1]]
// CHECK-NOT: bnn.pack
func.func @pack_tail(%b: tensor<3x70xi1>) -> tensor<3x2xi64> {
  %p = bnn.pack %b : tensor<3x70xi1> -> tensor<3x2xi64>
  return %p : tensor<3x2xi64>
}

// -----

// A whole number of words is one generic, writing the whole result.
// CHECK-LABEL: func.func @pack_exact
// CHECK-NOT: tensor.extract_slice
// CHECK: linalg.generic {{.+}} ins(%{{.+}}, %{{.+}} : tensor<1x64xi1>, tensor<64xi8>)
// CHECK-NOT: tensor.insert_slice
func.func @pack_exact(%b: tensor<1x64xi1>) -> tensor<1x1xi64> {
  %p = bnn.pack %b : tensor<1x64xi1> -> tensor<1x1xi64>
  return %p : tensor<1x1xi64>
}

// -----

// A bit plane shifts the (signless view of the) value and keeps bit 0.
// CHECK-LABEL: func.func @bitplane
// CHECK: linalg.generic
// CHECK: %[[V:.+]] = builtin.unrealized_conversion_cast %{{.+}} : ui3 to i3
// CHECK: %[[S:.+]] = arith.shrui %[[V]], %{{.+}} : i3
// CHECK: arith.trunci %[[S]] : i3 to i1
func.func @bitplane(%x: tensor<2x5xui3>) -> tensor<2x5xi1> {
  %p = bnn.bitplane %x {bit = 2 : i64} : tensor<2x5xui3> -> tensor<2x5xi1>
  return %p : tensor<2x5xi1>
}

// -----

// Fewer than 64 channels: only the partial word.
// CHECK-LABEL: func.func @pack_short
// CHECK-NOT: tensor.extract_slice
// CHECK: linalg.generic {{.+}} ins(%{{.+}}, %{{.+}} : tensor<2x4x32xi1>, tensor<32xi8>) outs(%{{.+}} : tensor<2x4x1xi64>)
// CHECK-NOT: linalg.generic
func.func @pack_short(%b: tensor<2x4x32xi1>) -> tensor<2x4x1xi64> {
  %p = bnn.pack %b : tensor<2x4x32xi1> -> tensor<2x4x1xi64>
  return %p : tensor<2x4x1xi64>
}

// -----

// 32-bit words: bit b of word w is channel 32 w + b, the word and the
// shift i32; 40 channels are a full word and a tail of 8.
// CHECK-DAG: #[[BITS32:.+]] = affine_map<(d0, d1, d2) -> (d0, d1 * 32 + d2)>
// CHECK-DAG: #[[TAIL32:.+]] = affine_map<(d0, d1, d2) -> (d0, d1 * 32 + d2 + 32)>
// CHECK-LABEL: func.func @pack_i32
// CHECK-DAG: %[[ZERO32:.+]] = arith.constant 0 : i32
// CHECK-DAG: arith.constant dense<0> : tensor<32xi8>
// CHECK-DAG: arith.constant dense<0> : tensor<8xi8>
// CHECK: linalg.fill ins(%[[ZERO32]] : i32)
// CHECK: linalg.generic {indexing_maps = [#[[BITS32]],
// CHECK-SAME: outs(%{{.+}} : tensor<3x1xi32>)
// CHECK: arith.extui %{{.+}} : i1 to i32
// CHECK: arith.index_cast %{{.+}} : index to i32
// CHECK: linalg.generic {indexing_maps = [#[[TAIL32]],
// CHECK-NOT: bnn.pack
func.func @pack_i32(%b: tensor<3x40xi1>) -> tensor<3x2xi32> {
  %p = bnn.pack %b : tensor<3x40xi1> -> tensor<3x2xi32>
  return %p : tensor<3x2xi32>
}
