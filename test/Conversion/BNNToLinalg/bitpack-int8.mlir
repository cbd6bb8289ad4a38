// RUN: bnn-opt %s --bnn-bitpack --canonicalize --split-input-file | FileCheck %s
// RUN: bnn-opt %s --bnn-bitpack="signed-bytes=true" --canonicalize --split-input-file | FileCheck %s --check-prefix=SIGNED

// Constant weights are packed at compile time, four channels' bytes to an
// i32 word (channel 4w + j at bits 8j), the channel tail padded with zero
// bytes, output channels innermost: [1, 2, 3, 4 | 5, 0, 0, 0] ->
// 0x04030201 = 67305985 and 5; the second output channel
// [-1, 0, 0, 0 | 0, ...] -> 0xff = 255 and 0.
// The input bytes are flipped to unsigned (xor 0x80) and its zero point
// moves to uzp = izp + 128 = 130; the bias is K uzp wzp - uzp sum(w) with
// wzp = 0: -130 * 15 = -1950 and -130 * -1 = 130.

// CHECK-LABEL: func.func @conv_constant_weights
// CHECK-DAG:     %[[W:.*]] = arith.constant dense<{{\[\[\[\[\[\[}}67305985, 255], [5, 0]{{\]\]\]\]\]}}> : tensor<1x1x1x1x2x2xi32>
// CHECK-DAG:     %[[BIAS:.*]] = arith.constant dense<[-1950, 130]> : tensor<2xi32>
// CHECK-DAG:     %[[FLIP:.*]] = arith.constant -128 : i8
// CHECK:         tensor.pad %{{.*}} low[0, 0, 0, 0, 0] high[0, 0, 0, 0, 3]
// CHECK:         linalg.generic
// CHECK:           arith.xori %{{.*}}, %[[FLIP]] : i8
// CHECK:           arith.shli
// CHECK:           arith.ori
// CHECK:         %[[D:.*]] = bnn.packed_conv <byte_dot> ins(%{{.*}}, %[[W]] : tensor<1x1x4x4x1x2xi32>, tensor<1x1x1x1x2x2xi32>) outs(%{{.*}} : tensor<1x4x4x2xi32>)
// CHECK:         linalg.generic {{.*}} ins(%[[D]], %[[BIAS]] : tensor<1x4x4x2xi32>, tensor<2xi32>)
// CHECK:           arith.addi
// CHECK-NOT:       arith.muli
// CHECK:           linalg.yield
// With signed-bytes the input bytes are not flipped and uzp = izp = 2: the
// bias is -2 * 15 = -30 and -2 * -1 = 2, the term signed_byte_dot.
// SIGNED-LABEL: func.func @conv_constant_weights
// SIGNED-DAG:     %[[BIAS:.*]] = arith.constant dense<[-30, 2]> : tensor<2xi32>
// SIGNED-NOT:     arith.xori
// SIGNED:         bnn.packed_conv <signed_byte_dot>
func.func @conv_constant_weights(%a: tensor<1x4x4x5xi8>) -> tensor<1x4x4x2xi32> {
  %w = arith.constant dense<[[[[1, 2, 3, 4, 5]]], [[[-1, 0, 0, 0, 0]]]]> : tensor<2x1x1x5xi8>
  %r = bnn.int8_conv2d %a, %w {input_zero_point = 2 : i64}
      : tensor<1x4x4x5xi8>, tensor<2x1x1x5xi8> -> tensor<1x4x4x2xi32>
  return %r : tensor<1x4x4x2xi32>
}

// -----

// Weight zero points add - wzp * (sum of u over the receptive field),
// zero-point padding included; the bias holds K uzp wzp:
// 9 * 128 * 3 - 128 * sum(w) with w all 1 (sum 9): 3456 - 1152 = 2304.

// CHECK-LABEL: func.func @conv_weight_zero_point
// CHECK-DAG:     %[[BIAS:.*]] = arith.constant dense<2304> : tensor<1xi32>
// CHECK-DAG:     %[[WZP:.*]] = arith.constant dense<3> : tensor<1xi32>
// CHECK:         %[[D:.*]] = bnn.packed_conv <byte_dot>
// CHECK:         %[[SU:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
// CHECK:           arith.xori
// CHECK:           arith.extui
// CHECK:         linalg.generic {{.*}} ins(%[[D]], %[[BIAS]], %[[WZP]], %[[SU]] :
// CHECK:           arith.muli
// CHECK:           arith.subi
// Signed bytes: the window sum sign-extends x; padding holds x = izp = 0,
// so the bias is K * 0 * 3 - 0 * 9 = 0.
// SIGNED-LABEL: func.func @conv_weight_zero_point
// SIGNED-DAG:     arith.constant dense<0> : tensor<1xi32>
// SIGNED:         bnn.packed_conv <signed_byte_dot>
// SIGNED:         linalg.generic
// SIGNED-NOT:       arith.xori
// SIGNED:           arith.extsi
// SIGNED:           arith.addi
func.func @conv_weight_zero_point(%a: tensor<1x4x4x1xi8>) -> tensor<1x4x4x1xi32> {
  %w = arith.constant dense<1> : tensor<1x3x3x1xi8>
  %r = bnn.int8_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>,
                               weight_zero_point = array<i64: 3>}
      : tensor<1x4x4x1xi8>, tensor<1x3x3x1xi8> -> tensor<1x4x4x1xi32>
  return %r : tensor<1x4x4x1xi32>
}

// -----

// Weights that are arguments are packed by a generic, and their bias by a
// reduction that starts from K uzp wzp per channel. Dense layers are 1x1
// convolutions of one pixel.

// CHECK-LABEL: func.func @dense_argument_weights
// CHECK:         linalg.generic {{.*}} ins(%{{.*}} : tensor<1x3x1x1x2x4xi8>)
// CHECK-NOT:       arith.xori
// CHECK:           arith.shli
// CHECK:         linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction", "reduction", "reduction"]
// CHECK:           arith.extsi
// CHECK:           arith.subi
// CHECK:         bnn.packed_conv <byte_dot> ins(%{{.*}}, %{{.*}} : tensor<1x2x1x1x1x2xi32>, tensor<1x1x1x1x2x3xi32>)
func.func @dense_argument_weights(%a: tensor<2x8xi8>, %w: tensor<3x8xi8>) -> tensor<2x3xi32> {
  %r = bnn.int8_dense %a, %w {input_zero_point = -5 : i64}
      : tensor<2x8xi8>, tensor<3x8xi8> -> tensor<2x3xi32>
  return %r : tensor<2x3xi32>
}

// -----

// Groups keep their own words; the result merges them back.

// CHECK-LABEL: func.func @conv_groups
// CHECK:         bnn.packed_conv <byte_dot> ins(%{{.*}}, %{{.*}} : tensor<1x1x6x6x2x2xi32>, tensor<1x2x3x3x2x4xi32>) outs(%{{.*}} : tensor<1x4x4x2x4xi32>)
// CHECK:         tensor.collapse_shape %{{.*}} {{\[\[}}0], [1], [2], [3, 4]] : tensor<1x4x4x2x4xi32> into tensor<1x4x4x8xi32>
func.func @conv_groups(%a: tensor<1x6x6x16xi8>, %w: tensor<8x3x3x8xi8>) -> tensor<1x4x4x8xi32> {
  %r = bnn.int8_conv2d %a, %w {groups = 2 : i64}
      : tensor<1x6x6x16xi8>, tensor<8x3x3x8xi8> -> tensor<1x4x4x8xi32>
  return %r : tensor<1x4x4x8xi32>
}
