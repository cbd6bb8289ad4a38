// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-generalize-packed-conv))" --split-input-file | FileCheck %s
// RUN: bnn-opt %s --split-input-file --one-shot-bufferize="bufferize-function-boundaries" | FileCheck %s --check-prefix=BUF
// RUN: bnn-opt %s --split-input-file --one-shot-bufferize="bufferize-function-boundaries" | bnn-opt --split-input-file --pass-pipeline="builtin.module(func.func(bnn-generalize-packed-conv))" | FileCheck %s --check-prefix=BUFGEN

// Each term becomes the linalg.generic of the packed convolution's loops
// (n oy ox g o | p q ky kx w) with the input window at
// oy * stride + ky * dilation.

// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d5, d0, d1 * 2 + d7 * 3, d2 + d8, d3, d9)>
// CHECK-DAG: #[[W:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d6, d3, d7, d8, d9, d4)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d0, d1, d2, d4)>
// CHECK-LABEL: func.func @xor
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[W]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "reduction", "reduction"]}
// CHECK-NEXT: ^bb0(%[[A:.+]]: i64, %[[F:.+]]: i64, %[[ACC:.+]]: i32):
// CHECK: %[[X:.+]] = arith.xori %[[A]], %[[F]] : i64
// CHECK: %[[C:.+]] = math.ctpop %[[X]] : i64
// CHECK: %[[T:.+]] = arith.trunci %[[C]] : i64 to i32
// CHECK: %[[S:.+]] = arith.addi %[[ACC]], %[[T]] : i32
// CHECK: linalg.yield %[[S]]
// CHECK-NOT: bnn.packed_conv
// BUF-LABEL: func.func @xor
// BUF: bnn.packed_conv <xor> ins(%{{.+}}, %{{.+}} : memref<1x1x9x6x1x1xi64{{.*}}>, memref<1x1x3x3x1x4xi64{{.*}}>) outs(%{{.+}} : memref<1x2x4x4xi32{{.*}}>) strides = [2, 1] dilations = [3, 1]{{$}}
// BUFGEN-LABEL: func.func @xor
// BUFGEN: linalg.generic {{.+}} ins(%{{.+}}, %{{.+}} : memref<1x1x9x6x1x1xi64{{.*}}>, memref<1x1x3x3x1x4xi64{{.*}}>) outs(%{{.+}} : memref<1x2x4x4xi32{{.*}}>)
// BUFGEN: math.ctpop
// BUFGEN-NOT: bnn.packed_conv
func.func @xor(%a: tensor<1x1x9x6x1x1xi64>, %w: tensor<1x1x3x3x1x4xi64>, %acc: tensor<1x2x4x4xi32>) -> tensor<1x2x4x4xi32> {
  %r = bnn.packed_conv <xor> ins(%a, %w : tensor<1x1x9x6x1x1xi64>, tensor<1x1x3x3x1x4xi64>) outs(%acc : tensor<1x2x4x4xi32>) strides = [2, 1] dilations = [3, 1] -> tensor<1x2x4x4xi32>
  return %r : tensor<1x2x4x4xi32>
}

// -----

// Signed weights: (popcount(a) - 2 popcount(a & f)) << p.
// CHECK-LABEL: func.func @signed_weights
// CHECK: ^bb0(%[[A:.+]]: i64, %[[F:.+]]: i64, %[[ACC:.+]]: i32):
// CHECK: %[[P:.+]] = linalg.index 5 : index
// CHECK: %[[ALL:.+]] = math.ctpop %[[A]] : i64
// CHECK: %[[AND:.+]] = arith.andi %[[A]], %[[F]] : i64
// CHECK: %[[NEG:.+]] = math.ctpop %[[AND]] : i64
// CHECK: %[[TWICE:.+]] = arith.shli %[[NEG]], %{{.+}} : i64
// CHECK: %[[DIFF:.+]] = arith.subi %[[ALL]], %[[TWICE]] : i64
// CHECK: %[[PI:.+]] = arith.index_cast %[[P]] : index to i64
// CHECK: %[[SH:.+]] = arith.addi %{{.+}}, %[[PI]] : i64
// CHECK: arith.shli %[[DIFF]], %[[SH]] : i64
func.func @signed_weights(%a: tensor<2x1x6x6x1x1xi64>, %w: tensor<1x1x3x3x1x4xi64>, %acc: tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32> {
  %r = bnn.packed_conv <signed_weights> ins(%a, %w : tensor<2x1x6x6x1x1xi64>, tensor<1x1x3x3x1x4xi64>) outs(%acc : tensor<1x4x4x4xi32>) strides = [1, 1] dilations = [1, 1] -> tensor<1x4x4x4xi32>
  return %r : tensor<1x4x4x4xi32>
}

// -----

// Unsigned weights, with groups: popcount(a & f) << (p + q).
// CHECK-DAG: #[[OUT5:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @unsigned_weights
// CHECK: linalg.generic {indexing_maps = [#{{.+}}, #{{.+}}, #[[OUT5]]]
// CHECK: %[[P:.+]] = linalg.index 5 : index
// CHECK: %[[Q:.+]] = linalg.index 6 : index
// CHECK: %[[AND:.+]] = arith.andi
// CHECK: %[[C:.+]] = math.ctpop %[[AND]] : i64
// CHECK: %[[PI:.+]] = arith.index_cast %[[P]] : index to i64
// CHECK: %[[S1:.+]] = arith.addi %{{.+}}, %[[PI]] : i64
// CHECK: %[[QI:.+]] = arith.index_cast %[[Q]] : index to i64
// CHECK: %[[S2:.+]] = arith.addi %[[S1]], %[[QI]] : i64
// CHECK: arith.shli %[[C]], %[[S2]] : i64
func.func @unsigned_weights(%a: tensor<2x1x6x6x2x1xi64>, %w: tensor<2x2x3x3x1x4xi64>, %acc: tensor<1x4x4x2x4xi32>) -> tensor<1x4x4x2x4xi32> {
  %r = bnn.packed_conv <unsigned_weights> ins(%a, %w : tensor<2x1x6x6x2x1xi64>, tensor<2x2x3x3x1x4xi64>) outs(%acc : tensor<1x4x4x2x4xi32>) strides = [1, 1] dilations = [1, 1] -> tensor<1x4x4x2x4xi32>
  return %r : tensor<1x4x4x2x4xi32>
}
