// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-lower-pack))" --split-input-file | FileCheck %s

// 70 channels: the tail is padded with zero bits to 128; bit b of word w
// is channel 64 w + b (read in place), and each word ORs its bits shifted
// by their position. The 64 x i8 operand indexed by b alone is unused: it
// gives linalg the range of b.
// CHECK-DAG: #[[BITS:.+]] = affine_map<(d0, d1, d2) -> (d0, d1 * 64 + d2)>
// CHECK-DAG: #[[B64:.+]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-LABEL: func.func @pack_tail
// CHECK-SAME: (%[[B:.+]]: tensor<3x70xi1>)
// CHECK-DAG: %[[FALSE:.+]] = arith.constant false
// CHECK-DAG: %[[ZERO:.+]] = arith.constant 0 : i64
// CHECK-DAG: %[[RANGE:.+]] = arith.constant dense<0> : tensor<64xi8>
// CHECK: %[[PADDED:.+]] = tensor.pad %[[B]] low[0, 0] high[0, 58]
// CHECK: tensor.yield %[[FALSE]]
// CHECK: %[[INIT:.+]] = linalg.fill ins(%[[ZERO]] : i64)
// CHECK: linalg.generic {indexing_maps = [#[[BITS]], #[[B64]], #{{[a-z0-9]+}}]
// CHECK-SAME: iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-SAME: ins(%[[PADDED]], %[[RANGE]] : tensor<3x128xi1>, tensor<64xi8>) outs(%[[INIT]] : tensor<3x2xi64>)
// CHECK: %[[BIT:.+]] = arith.extui %{{.+}} : i1 to i64
// CHECK: %[[J:.+]] = linalg.index 2
// CHECK: %[[SHIFT:.+]] = arith.index_cast %[[J]]
// CHECK: %[[S:.+]] = arith.shli %[[BIT]], %[[SHIFT]]
// CHECK: arith.ori %{{.+}}, %[[S]]
// CHECK-NOT: bnn.pack
func.func @pack_tail(%b: tensor<3x70xi1>) -> tensor<3x2xi64> {
  %p = bnn.pack %b : tensor<3x70xi1> -> tensor<3x2xi64>
  return %p : tensor<3x2xi64>
}

// -----

// A whole number of words needs no padding.
// CHECK-LABEL: func.func @pack_exact
// CHECK-NOT: tensor.pad
// CHECK: linalg.generic {{.+}} ins(%{{.+}}, %{{.+}} : tensor<1x64xi1>, tensor<64xi8>)
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
