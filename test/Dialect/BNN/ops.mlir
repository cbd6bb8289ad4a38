// RUN: bnn-opt %s | bnn-opt | FileCheck %s
// RUN: bnn-opt %s --mlir-print-op-generic | bnn-opt | FileCheck %s

// Round trip of every bnn operator. Default-valued attributes (groups = 1,
// pad_value = zero, input_zero_point = 0, output_zero_point = 0,
// clamp_min = -128, clamp_max = 127) are elided by the printer.

//===----------------------------------------------------------------------===//
// binarize / unbinarize
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @binarize
// CHECK-SAME: (%[[X:.+]]: tensor<1x8x8x64xf32>)
func.func @binarize(%x: tensor<1x8x8x64xf32>) -> tensor<1x8x8x64xi1> {
  // CHECK: %[[B:.+]] = bnn.binarize %[[X]] : tensor<1x8x8x64xf32> -> tensor<1x8x8x64xi1>
  // CHECK: return %[[B]]
  %b = bnn.binarize %x : tensor<1x8x8x64xf32> -> tensor<1x8x8x64xi1>
  return %b : tensor<1x8x8x64xi1>
}

// CHECK-LABEL: func.func @binarize_rank0
// CHECK-SAME: (%[[X:.+]]: tensor<f32>)
func.func @binarize_rank0(%x: tensor<f32>) -> tensor<i1> {
  // CHECK: %[[B:.+]] = bnn.binarize %[[X]] : tensor<f32> -> tensor<i1>
  // CHECK: return %[[B]]
  %b = bnn.binarize %x : tensor<f32> -> tensor<i1>
  return %b : tensor<i1>
}

// CHECK-LABEL: func.func @unbinarize
// CHECK-SAME: (%[[B:.+]]: tensor<1x10xi1>)
func.func @unbinarize(%b: tensor<1x10xi1>) -> tensor<1x10xf32> {
  // CHECK: %[[F:.+]] = bnn.unbinarize %[[B]] : tensor<1x10xi1> -> tensor<1x10xf32>
  // CHECK: return %[[F]]
  %f = bnn.unbinarize %b : tensor<1x10xi1> -> tensor<1x10xf32>
  return %f : tensor<1x10xf32>
}

//===----------------------------------------------------------------------===//
// binary_conv2d
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @binary_conv2d_defaults
// CHECK-SAME: (%[[A:.+]]: tensor<1x8x8x64xi1>, %[[W:.+]]: tensor<32x3x3x64xi1>)
func.func @binary_conv2d_defaults(%a: tensor<1x8x8x64xi1>, %w: tensor<32x3x3x64xi1>) -> tensor<1x6x6x32xi32> {
  // CHECK: %[[R:.+]] = bnn.binary_conv2d %[[A]], %[[W]] : tensor<1x8x8x64xi1>, tensor<32x3x3x64xi1> -> tensor<1x6x6x32xi32>
  // CHECK: return %[[R]]
  %r = bnn.binary_conv2d %a, %w : tensor<1x8x8x64xi1>, tensor<32x3x3x64xi1> -> tensor<1x6x6x32xi32>
  return %r : tensor<1x6x6x32xi32>
}

// The explicit default pad value and group count are elided.
// CHECK-LABEL: func.func @binary_conv2d_pad_zero
// CHECK-SAME: (%[[A:.+]]: tensor<1x8x8x64xi1>, %[[W:.+]]: tensor<64x3x3x64xi1>)
func.func @binary_conv2d_pad_zero(%a: tensor<1x8x8x64xi1>, %w: tensor<64x3x3x64xi1>) -> tensor<1x8x8x64xi32> {
  // CHECK: %[[R:.+]] = bnn.binary_conv2d %[[A]], %[[W]] {padding = array<i64: 1, 1, 1, 1>} : tensor<1x8x8x64xi1>, tensor<64x3x3x64xi1> -> tensor<1x8x8x64xi32>
  // CHECK: return %[[R]]
  %r = bnn.binary_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>, pad_value = #bnn.pad_value<zero>, groups = 1 : i64} : tensor<1x8x8x64xi1>, tensor<64x3x3x64xi1> -> tensor<1x8x8x64xi32>
  return %r : tensor<1x8x8x64xi32>
}

// CHECK-LABEL: func.func @binary_conv2d_pad_plus_one
// CHECK-SAME: (%[[A:.+]]: tensor<1x8x8x64xi1>, %[[W:.+]]: tensor<64x3x3x64xi1>)
func.func @binary_conv2d_pad_plus_one(%a: tensor<1x8x8x64xi1>, %w: tensor<64x3x3x64xi1>) -> tensor<1x8x8x64xi32> {
  // CHECK: %[[R:.+]] = bnn.binary_conv2d %[[A]], %[[W]] {pad_value = #bnn.pad_value<plus_one>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x8x8x64xi1>, tensor<64x3x3x64xi1> -> tensor<1x8x8x64xi32>
  // CHECK: return %[[R]]
  %r = bnn.binary_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>, pad_value = #bnn.pad_value<plus_one>} : tensor<1x8x8x64xi1>, tensor<64x3x3x64xi1> -> tensor<1x8x8x64xi32>
  return %r : tensor<1x8x8x64xi32>
}

// CHECK-LABEL: func.func @binary_conv2d_pad_minus_one
// CHECK-SAME: (%[[A:.+]]: tensor<1x8x8x64xi1>, %[[W:.+]]: tensor<64x3x3x64xi1>)
func.func @binary_conv2d_pad_minus_one(%a: tensor<1x8x8x64xi1>, %w: tensor<64x3x3x64xi1>) -> tensor<1x8x8x64xi32> {
  // CHECK: %[[R:.+]] = bnn.binary_conv2d %[[A]], %[[W]] {pad_value = #bnn.pad_value<minus_one>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x8x8x64xi1>, tensor<64x3x3x64xi1> -> tensor<1x8x8x64xi32>
  // CHECK: return %[[R]]
  %r = bnn.binary_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>, pad_value = #bnn.pad_value<minus_one>} : tensor<1x8x8x64xi1>, tensor<64x3x3x64xi1> -> tensor<1x8x8x64xi32>
  return %r : tensor<1x8x8x64xi32>
}

// Asymmetric padding [top, bottom, left, right] = [0, 1, 2, 3]:
// OH = (5 + 0 + 1 - 3) + 1 = 4, OW = (5 + 2 + 3 - 3) + 1 = 8.
// CHECK-LABEL: func.func @binary_conv2d_asymmetric_padding
// CHECK-SAME: (%[[A:.+]]: tensor<1x5x5x8xi1>, %[[W:.+]]: tensor<4x3x3x8xi1>)
func.func @binary_conv2d_asymmetric_padding(%a: tensor<1x5x5x8xi1>, %w: tensor<4x3x3x8xi1>) -> tensor<1x4x8x4xi32> {
  // CHECK: %[[R:.+]] = bnn.binary_conv2d %[[A]], %[[W]] {pad_value = #bnn.pad_value<minus_one>, padding = array<i64: 0, 1, 2, 3>} : tensor<1x5x5x8xi1>, tensor<4x3x3x8xi1> -> tensor<1x4x8x4xi32>
  // CHECK: return %[[R]]
  %r = bnn.binary_conv2d %a, %w {padding = array<i64: 0, 1, 2, 3>, pad_value = #bnn.pad_value<minus_one>} : tensor<1x5x5x8xi1>, tensor<4x3x3x8xi1> -> tensor<1x4x8x4xi32>
  return %r : tensor<1x4x8x4xi32>
}

// Strides and dilations of 2: the dilated window is 5 wide,
// OH = OW = (9 - 5) / 2 + 1 = 3.
// CHECK-LABEL: func.func @binary_conv2d_strides_dilations
// CHECK-SAME: (%[[A:.+]]: tensor<2x9x9x16xi1>, %[[W:.+]]: tensor<8x3x3x16xi1>)
func.func @binary_conv2d_strides_dilations(%a: tensor<2x9x9x16xi1>, %w: tensor<8x3x3x16xi1>) -> tensor<2x3x3x8xi32> {
  // CHECK: %[[R:.+]] = bnn.binary_conv2d %[[A]], %[[W]] {dilations = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<2x9x9x16xi1>, tensor<8x3x3x16xi1> -> tensor<2x3x3x8xi32>
  // CHECK: return %[[R]]
  %r = bnn.binary_conv2d %a, %w {strides = array<i64: 2, 2>, dilations = array<i64: 2, 2>} : tensor<2x9x9x16xi1>, tensor<8x3x3x16xi1> -> tensor<2x3x3x8xi32>
  return %r : tensor<2x3x3x8xi32>
}

// Different values per dimension: strides [1, 2], dilations [2, 1] and a
// 2x3 kernel: OH = (7 - 3) / 1 + 1 = 5, OW = (7 - 3) / 2 + 1 = 3.
// CHECK-LABEL: func.func @binary_conv2d_nonsquare
// CHECK-SAME: (%[[A:.+]]: tensor<1x7x7x4xi1>, %[[W:.+]]: tensor<4x2x3x4xi1>)
func.func @binary_conv2d_nonsquare(%a: tensor<1x7x7x4xi1>, %w: tensor<4x2x3x4xi1>) -> tensor<1x5x3x4xi32> {
  // CHECK: %[[R:.+]] = bnn.binary_conv2d %[[A]], %[[W]] {dilations = array<i64: 2, 1>, strides = array<i64: 1, 2>} : tensor<1x7x7x4xi1>, tensor<4x2x3x4xi1> -> tensor<1x5x3x4xi32>
  // CHECK: return %[[R]]
  %r = bnn.binary_conv2d %a, %w {strides = array<i64: 1, 2>, dilations = array<i64: 2, 1>} : tensor<1x7x7x4xi1>, tensor<4x2x3x4xi1> -> tensor<1x5x3x4xi32>
  return %r : tensor<1x5x3x4xi32>
}

// CHECK-LABEL: func.func @binary_conv2d_groups
// CHECK-SAME: (%[[A:.+]]: tensor<1x4x4x8xi1>, %[[W:.+]]: tensor<6x3x3x4xi1>)
func.func @binary_conv2d_groups(%a: tensor<1x4x4x8xi1>, %w: tensor<6x3x3x4xi1>) -> tensor<1x2x2x6xi32> {
  // CHECK: %[[R:.+]] = bnn.binary_conv2d %[[A]], %[[W]] {groups = 2 : i64} : tensor<1x4x4x8xi1>, tensor<6x3x3x4xi1> -> tensor<1x2x2x6xi32>
  // CHECK: return %[[R]]
  %r = bnn.binary_conv2d %a, %w {groups = 2 : i64} : tensor<1x4x4x8xi1>, tensor<6x3x3x4xi1> -> tensor<1x2x2x6xi32>
  return %r : tensor<1x2x2x6xi32>
}

// Depthwise with channel multiplier 2: groups = C = 16, O = 32.
// CHECK-LABEL: func.func @binary_conv2d_depthwise
// CHECK-SAME: (%[[A:.+]]: tensor<1x6x6x16xi1>, %[[W:.+]]: tensor<32x3x3x1xi1>)
func.func @binary_conv2d_depthwise(%a: tensor<1x6x6x16xi1>, %w: tensor<32x3x3x1xi1>) -> tensor<1x6x6x32xi32> {
  // CHECK: %[[R:.+]] = bnn.binary_conv2d %[[A]], %[[W]] {groups = 16 : i64, pad_value = #bnn.pad_value<plus_one>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x6x6x16xi1>, tensor<32x3x3x1xi1> -> tensor<1x6x6x32xi32>
  // CHECK: return %[[R]]
  %r = bnn.binary_conv2d %a, %w {groups = 16 : i64, padding = array<i64: 1, 1, 1, 1>, pad_value = #bnn.pad_value<plus_one>} : tensor<1x6x6x16xi1>, tensor<32x3x3x1xi1> -> tensor<1x6x6x32xi32>
  return %r : tensor<1x6x6x32xi32>
}

//===----------------------------------------------------------------------===//
// bitserial_conv2d
//===----------------------------------------------------------------------===//

// Every activation width ui1 .. ui8, with binary (i1) and unsigned weights.
// CHECK-LABEL: func.func @bitserial_conv2d_widths
// CHECK-SAME: (%[[A1:.+]]: tensor<1x4x4x8xui1>, %[[A2:.+]]: tensor<1x4x4x8xui2>, %[[A3:.+]]: tensor<1x4x4x8xui3>, %[[A4:.+]]: tensor<1x4x4x8xui4>, %[[A5:.+]]: tensor<1x4x4x8xui5>, %[[A6:.+]]: tensor<1x4x4x8xui6>, %[[A7:.+]]: tensor<1x4x4x8xui7>, %[[A8:.+]]: tensor<1x4x4x8xui8>, %[[WB:.+]]: tensor<2x3x3x8xi1>, %[[WU1:.+]]: tensor<2x3x3x8xui1>, %[[WU2:.+]]: tensor<2x3x3x8xui2>, %[[WU8:.+]]: tensor<2x3x3x8xui8>)
func.func @bitserial_conv2d_widths(
    %a1: tensor<1x4x4x8xui1>, %a2: tensor<1x4x4x8xui2>,
    %a3: tensor<1x4x4x8xui3>, %a4: tensor<1x4x4x8xui4>,
    %a5: tensor<1x4x4x8xui5>, %a6: tensor<1x4x4x8xui6>,
    %a7: tensor<1x4x4x8xui7>, %a8: tensor<1x4x4x8xui8>,
    %wb: tensor<2x3x3x8xi1>, %wu1: tensor<2x3x3x8xui1>,
    %wu2: tensor<2x3x3x8xui2>, %wu8: tensor<2x3x3x8xui8>)
    -> (tensor<1x2x2x2xi32>, tensor<1x2x2x2xi32>, tensor<1x2x2x2xi32>,
        tensor<1x2x2x2xi32>, tensor<1x2x2x2xi32>, tensor<1x2x2x2xi32>,
        tensor<1x2x2x2xi32>, tensor<1x2x2x2xi32>) {
  // CHECK: %[[R1:.+]] = bnn.bitserial_conv2d %[[A1]], %[[WB]] : tensor<1x4x4x8xui1>, tensor<2x3x3x8xi1> -> tensor<1x2x2x2xi32>
  // CHECK: %[[R2:.+]] = bnn.bitserial_conv2d %[[A2]], %[[WB]] : tensor<1x4x4x8xui2>, tensor<2x3x3x8xi1> -> tensor<1x2x2x2xi32>
  // CHECK: %[[R3:.+]] = bnn.bitserial_conv2d %[[A3]], %[[WU1]] : tensor<1x4x4x8xui3>, tensor<2x3x3x8xui1> -> tensor<1x2x2x2xi32>
  // CHECK: %[[R4:.+]] = bnn.bitserial_conv2d %[[A4]], %[[WU2]] : tensor<1x4x4x8xui4>, tensor<2x3x3x8xui2> -> tensor<1x2x2x2xi32>
  // CHECK: %[[R5:.+]] = bnn.bitserial_conv2d %[[A5]], %[[WU8]] : tensor<1x4x4x8xui5>, tensor<2x3x3x8xui8> -> tensor<1x2x2x2xi32>
  // CHECK: %[[R6:.+]] = bnn.bitserial_conv2d %[[A6]], %[[WB]] : tensor<1x4x4x8xui6>, tensor<2x3x3x8xi1> -> tensor<1x2x2x2xi32>
  // CHECK: %[[R7:.+]] = bnn.bitserial_conv2d %[[A7]], %[[WU2]] : tensor<1x4x4x8xui7>, tensor<2x3x3x8xui2> -> tensor<1x2x2x2xi32>
  // CHECK: %[[R8:.+]] = bnn.bitserial_conv2d %[[A8]], %[[WU8]] : tensor<1x4x4x8xui8>, tensor<2x3x3x8xui8> -> tensor<1x2x2x2xi32>
  // CHECK: return %[[R1]], %[[R2]], %[[R3]], %[[R4]], %[[R5]], %[[R6]], %[[R7]], %[[R8]]
  %r1 = bnn.bitserial_conv2d %a1, %wb : tensor<1x4x4x8xui1>, tensor<2x3x3x8xi1> -> tensor<1x2x2x2xi32>
  %r2 = bnn.bitserial_conv2d %a2, %wb : tensor<1x4x4x8xui2>, tensor<2x3x3x8xi1> -> tensor<1x2x2x2xi32>
  %r3 = bnn.bitserial_conv2d %a3, %wu1 : tensor<1x4x4x8xui3>, tensor<2x3x3x8xui1> -> tensor<1x2x2x2xi32>
  %r4 = bnn.bitserial_conv2d %a4, %wu2 : tensor<1x4x4x8xui4>, tensor<2x3x3x8xui2> -> tensor<1x2x2x2xi32>
  %r5 = bnn.bitserial_conv2d %a5, %wu8 : tensor<1x4x4x8xui5>, tensor<2x3x3x8xui8> -> tensor<1x2x2x2xi32>
  %r6 = bnn.bitserial_conv2d %a6, %wb : tensor<1x4x4x8xui6>, tensor<2x3x3x8xi1> -> tensor<1x2x2x2xi32>
  %r7 = bnn.bitserial_conv2d %a7, %wu2 : tensor<1x4x4x8xui7>, tensor<2x3x3x8xui2> -> tensor<1x2x2x2xi32>
  %r8 = bnn.bitserial_conv2d %a8, %wu8 : tensor<1x4x4x8xui8>, tensor<2x3x3x8xui8> -> tensor<1x2x2x2xi32>
  return %r1, %r2, %r3, %r4, %r5, %r6, %r7, %r8 : tensor<1x2x2x2xi32>, tensor<1x2x2x2xi32>, tensor<1x2x2x2xi32>, tensor<1x2x2x2xi32>, tensor<1x2x2x2xi32>, tensor<1x2x2x2xi32>, tensor<1x2x2x2xi32>, tensor<1x2x2x2xi32>
}

// CHECK-LABEL: func.func @bitserial_conv2d_geometry
// CHECK-SAME: (%[[A:.+]]: tensor<1x9x9x20xui2>, %[[W:.+]]: tensor<8x3x3x20xi1>)
func.func @bitserial_conv2d_geometry(%a: tensor<1x9x9x20xui2>, %w: tensor<8x3x3x20xi1>) -> tensor<1x4x4x8xi32> {
  // CHECK: %[[R:.+]] = bnn.bitserial_conv2d %[[A]], %[[W]] {strides = array<i64: 2, 2>} : tensor<1x9x9x20xui2>, tensor<8x3x3x20xi1> -> tensor<1x4x4x8xi32>
  // CHECK: return %[[R]]
  %r = bnn.bitserial_conv2d %a, %w {strides = array<i64: 2, 2>} : tensor<1x9x9x20xui2>, tensor<8x3x3x20xi1> -> tensor<1x4x4x8xi32>
  return %r : tensor<1x4x4x8xi32>
}

// Groups 4, dilation 2 and asymmetric padding [1, 0, 0, 2]:
// OH = (6 + 1 + 0 - 5) + 1 = 3, OW = (6 + 0 + 2 - 5) + 1 = 4.
// CHECK-LABEL: func.func @bitserial_conv2d_groups_dilations_padding
// CHECK-SAME: (%[[A:.+]]: tensor<1x6x6x8xui3>, %[[W:.+]]: tensor<4x3x3x2xui2>)
func.func @bitserial_conv2d_groups_dilations_padding(%a: tensor<1x6x6x8xui3>, %w: tensor<4x3x3x2xui2>) -> tensor<1x3x4x4xi32> {
  // CHECK: %[[R:.+]] = bnn.bitserial_conv2d %[[A]], %[[W]] {dilations = array<i64: 2, 2>, groups = 4 : i64, padding = array<i64: 1, 0, 0, 2>} : tensor<1x6x6x8xui3>, tensor<4x3x3x2xui2> -> tensor<1x3x4x4xi32>
  // CHECK: return %[[R]]
  %r = bnn.bitserial_conv2d %a, %w {groups = 4 : i64, dilations = array<i64: 2, 2>, padding = array<i64: 1, 0, 0, 2>} : tensor<1x6x6x8xui3>, tensor<4x3x3x2xui2> -> tensor<1x3x4x4xi32>
  return %r : tensor<1x3x4x4xi32>
}

//===----------------------------------------------------------------------===//
// int8_conv2d
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @int8_conv2d_defaults
// CHECK-SAME: (%[[A:.+]]: tensor<1x8x8x16xi8>, %[[W:.+]]: tensor<32x3x3x16xi8>)
func.func @int8_conv2d_defaults(%a: tensor<1x8x8x16xi8>, %w: tensor<32x3x3x16xi8>) -> tensor<1x6x6x32xi32> {
  // CHECK: %[[R:.+]] = bnn.int8_conv2d %[[A]], %[[W]] : tensor<1x8x8x16xi8>, tensor<32x3x3x16xi8> -> tensor<1x6x6x32xi32>
  // CHECK: return %[[R]]
  %r = bnn.int8_conv2d %a, %w : tensor<1x8x8x16xi8>, tensor<32x3x3x16xi8> -> tensor<1x6x6x32xi32>
  return %r : tensor<1x6x6x32xi32>
}

// Per-tensor zero points, at both ends of the int8 range.
// CHECK-LABEL: func.func @int8_conv2d_per_tensor_zero_points
// CHECK-SAME: (%[[A:.+]]: tensor<1x8x8x16xi8>, %[[W:.+]]: tensor<32x3x3x16xi8>)
func.func @int8_conv2d_per_tensor_zero_points(%a: tensor<1x8x8x16xi8>, %w: tensor<32x3x3x16xi8>) -> tensor<1x8x8x32xi32> {
  // CHECK: %[[R:.+]] = bnn.int8_conv2d %[[A]], %[[W]] {input_zero_point = -128 : i64, padding = array<i64: 1, 1, 1, 1>, weight_zero_point = array<i64: 127>} : tensor<1x8x8x16xi8>, tensor<32x3x3x16xi8> -> tensor<1x8x8x32xi32>
  // CHECK: return %[[R]]
  %r = bnn.int8_conv2d %a, %w {input_zero_point = -128 : i64, weight_zero_point = array<i64: 127>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x8x8x16xi8>, tensor<32x3x3x16xi8> -> tensor<1x8x8x32xi32>
  return %r : tensor<1x8x8x32xi32>
}

// Per-channel weight zero points (one per output channel), groups = 2.
// CHECK-LABEL: func.func @int8_conv2d_per_channel_zero_points
// CHECK-SAME: (%[[A:.+]]: tensor<1x5x5x4xi8>, %[[W:.+]]: tensor<4x3x3x2xi8>)
func.func @int8_conv2d_per_channel_zero_points(%a: tensor<1x5x5x4xi8>, %w: tensor<4x3x3x2xi8>) -> tensor<1x2x2x4xi32> {
  // CHECK: %[[R:.+]] = bnn.int8_conv2d %[[A]], %[[W]] {groups = 2 : i64, input_zero_point = 5 : i64, strides = array<i64: 2, 2>, weight_zero_point = array<i64: -1, 0, 3, -128>} : tensor<1x5x5x4xi8>, tensor<4x3x3x2xi8> -> tensor<1x2x2x4xi32>
  // CHECK: return %[[R]]
  %r = bnn.int8_conv2d %a, %w {input_zero_point = 5 : i64, weight_zero_point = array<i64: -1, 0, 3, -128>, groups = 2 : i64, strides = array<i64: 2, 2>} : tensor<1x5x5x4xi8>, tensor<4x3x3x2xi8> -> tensor<1x2x2x4xi32>
  return %r : tensor<1x2x2x4xi32>
}

//===----------------------------------------------------------------------===//
// Dense
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @binary_dense
// CHECK-SAME: (%[[A:.+]]: tensor<1x4096xi1>, %[[W:.+]]: tensor<1000x4096xi1>)
func.func @binary_dense(%a: tensor<1x4096xi1>, %w: tensor<1000x4096xi1>) -> tensor<1x1000xi32> {
  // CHECK: %[[R:.+]] = bnn.binary_dense %[[A]], %[[W]] : tensor<1x4096xi1>, tensor<1000x4096xi1> -> tensor<1x1000xi32>
  // CHECK: return %[[R]]
  %r = bnn.binary_dense %a, %w : tensor<1x4096xi1>, tensor<1000x4096xi1> -> tensor<1x1000xi32>
  return %r : tensor<1x1000xi32>
}

// CHECK-LABEL: func.func @bitserial_dense
// CHECK-SAME: (%[[A3:.+]]: tensor<2x100xui3>, %[[W2:.+]]: tensor<10x100xui2>, %[[A8:.+]]: tensor<2x100xui8>, %[[WB:.+]]: tensor<10x100xi1>, %[[A1:.+]]: tensor<2x100xui1>, %[[W8:.+]]: tensor<10x100xui8>)
func.func @bitserial_dense(%a3: tensor<2x100xui3>, %w2: tensor<10x100xui2>,
                           %a8: tensor<2x100xui8>, %wb: tensor<10x100xi1>,
                           %a1: tensor<2x100xui1>, %w8: tensor<10x100xui8>)
    -> (tensor<2x10xi32>, tensor<2x10xi32>, tensor<2x10xi32>) {
  // CHECK: %[[R0:.+]] = bnn.bitserial_dense %[[A3]], %[[W2]] : tensor<2x100xui3>, tensor<10x100xui2> -> tensor<2x10xi32>
  // CHECK: %[[R1:.+]] = bnn.bitserial_dense %[[A8]], %[[WB]] : tensor<2x100xui8>, tensor<10x100xi1> -> tensor<2x10xi32>
  // CHECK: %[[R2:.+]] = bnn.bitserial_dense %[[A1]], %[[W8]] : tensor<2x100xui1>, tensor<10x100xui8> -> tensor<2x10xi32>
  // CHECK: return %[[R0]], %[[R1]], %[[R2]]
  %r0 = bnn.bitserial_dense %a3, %w2 : tensor<2x100xui3>, tensor<10x100xui2> -> tensor<2x10xi32>
  %r1 = bnn.bitserial_dense %a8, %wb : tensor<2x100xui8>, tensor<10x100xi1> -> tensor<2x10xi32>
  %r2 = bnn.bitserial_dense %a1, %w8 : tensor<2x100xui1>, tensor<10x100xui8> -> tensor<2x10xi32>
  return %r0, %r1, %r2 : tensor<2x10xi32>, tensor<2x10xi32>, tensor<2x10xi32>
}

// CHECK-LABEL: func.func @int8_dense
// CHECK-SAME: (%[[A:.+]]: tensor<1x64xi8>, %[[W:.+]]: tensor<3x64xi8>)
func.func @int8_dense(%a: tensor<1x64xi8>, %w: tensor<3x64xi8>) -> (tensor<1x3xi32>, tensor<1x3xi32>, tensor<1x3xi32>) {
  // CHECK: %[[R0:.+]] = bnn.int8_dense %[[A]], %[[W]] : tensor<1x64xi8>, tensor<3x64xi8> -> tensor<1x3xi32>
  // CHECK: %[[R1:.+]] = bnn.int8_dense %[[A]], %[[W]] {input_zero_point = 5 : i64, weight_zero_point = array<i64: 0>} : tensor<1x64xi8>, tensor<3x64xi8> -> tensor<1x3xi32>
  // CHECK: %[[R2:.+]] = bnn.int8_dense %[[A]], %[[W]] {input_zero_point = -7 : i64, weight_zero_point = array<i64: 1, -2, 3>} : tensor<1x64xi8>, tensor<3x64xi8> -> tensor<1x3xi32>
  // CHECK: return %[[R0]], %[[R1]], %[[R2]]
  %r0 = bnn.int8_dense %a, %w {input_zero_point = 0 : i64} : tensor<1x64xi8>, tensor<3x64xi8> -> tensor<1x3xi32>
  %r1 = bnn.int8_dense %a, %w {input_zero_point = 5 : i64, weight_zero_point = array<i64: 0>} : tensor<1x64xi8>, tensor<3x64xi8> -> tensor<1x3xi32>
  %r2 = bnn.int8_dense %a, %w {input_zero_point = -7 : i64, weight_zero_point = array<i64: 1, -2, 3>} : tensor<1x64xi8>, tensor<3x64xi8> -> tensor<1x3xi32>
  return %r0, %r1, %r2 : tensor<1x3xi32>, tensor<1x3xi32>, tensor<1x3xi32>
}

//===----------------------------------------------------------------------===//
// Epilogues
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @acc_to_float
// CHECK-SAME: (%[[ACC:.+]]: tensor<1x8x8x64xi32>, %[[M:.+]]: tensor<64xf32>, %[[B:.+]]: tensor<64xf32>, %[[S:.+]]: tensor<1xf32>, %[[ACC2:.+]]: tensor<3x64xi32>)
func.func @acc_to_float(%acc: tensor<1x8x8x64xi32>, %m: tensor<64xf32>, %b: tensor<64xf32>, %s: tensor<1xf32>, %acc2: tensor<3x64xi32>)
    -> (tensor<1x8x8x64xf32>, tensor<1x8x8x64xf32>, tensor<3x64xf32>) {
  // CHECK: %[[R0:.+]] = bnn.acc_to_float %[[ACC]], %[[M]], %[[B]] : tensor<1x8x8x64xi32>, tensor<64xf32>, tensor<64xf32> -> tensor<1x8x8x64xf32>
  // CHECK: %[[R1:.+]] = bnn.acc_to_float %[[ACC]], %[[S]], %[[B]] : tensor<1x8x8x64xi32>, tensor<1xf32>, tensor<64xf32> -> tensor<1x8x8x64xf32>
  // CHECK: %[[R2:.+]] = bnn.acc_to_float %[[ACC2]], %[[M]], %[[S]] : tensor<3x64xi32>, tensor<64xf32>, tensor<1xf32> -> tensor<3x64xf32>
  // CHECK: return %[[R0]], %[[R1]], %[[R2]]
  %r0 = bnn.acc_to_float %acc, %m, %b : tensor<1x8x8x64xi32>, tensor<64xf32>, tensor<64xf32> -> tensor<1x8x8x64xf32>
  %r1 = bnn.acc_to_float %acc, %s, %b : tensor<1x8x8x64xi32>, tensor<1xf32>, tensor<64xf32> -> tensor<1x8x8x64xf32>
  %r2 = bnn.acc_to_float %acc2, %m, %s : tensor<3x64xi32>, tensor<64xf32>, tensor<1xf32> -> tensor<3x64xf32>
  return %r0, %r1, %r2 : tensor<1x8x8x64xf32>, tensor<1x8x8x64xf32>, tensor<3x64xf32>
}

// CHECK-LABEL: func.func @threshold
// CHECK-SAME: (%[[ACC:.+]]: tensor<1x8x8x64xi32>, %[[T:.+]]: tensor<64xi32>, %[[D:.+]]: tensor<64xi1>, %[[T1:.+]]: tensor<1xi32>, %[[D1:.+]]: tensor<1xi1>, %[[ACC2:.+]]: tensor<2x64xi32>)
func.func @threshold(%acc: tensor<1x8x8x64xi32>, %t: tensor<64xi32>, %d: tensor<64xi1>, %t1: tensor<1xi32>, %d1: tensor<1xi1>, %acc2: tensor<2x64xi32>)
    -> (tensor<1x8x8x64xi1>, tensor<2x64xi1>) {
  // CHECK: %[[R0:.+]] = bnn.threshold %[[ACC]], %[[T]], %[[D]] : tensor<1x8x8x64xi32>, tensor<64xi32>, tensor<64xi1> -> tensor<1x8x8x64xi1>
  // CHECK: %[[R1:.+]] = bnn.threshold %[[ACC2]], %[[T1]], %[[D1]] : tensor<2x64xi32>, tensor<1xi32>, tensor<1xi1> -> tensor<2x64xi1>
  // CHECK: return %[[R0]], %[[R1]]
  %r0 = bnn.threshold %acc, %t, %d : tensor<1x8x8x64xi32>, tensor<64xi32>, tensor<64xi1> -> tensor<1x8x8x64xi1>
  %r1 = bnn.threshold %acc2, %t1, %d1 : tensor<2x64xi32>, tensor<1xi32>, tensor<1xi1> -> tensor<2x64xi1>
  return %r0, %r1 : tensor<1x8x8x64xi1>, tensor<2x64xi1>
}

// Per-channel and single-row thresholds, per-channel and single
// directions, and the extremes of the column count: 1 for ui1, 255 for ui8.
// CHECK-LABEL: func.func @multi_threshold
// CHECK-SAME: (%[[ACC:.+]]: tensor<1x8x8x64xi32>, %[[T:.+]]: tensor<64x3xi32>, %[[D:.+]]: tensor<64xi1>, %[[T1:.+]]: tensor<1x1xi32>, %[[D1:.+]]: tensor<1xi1>, %[[ACC2:.+]]: tensor<2x64xi32>, %[[T255:.+]]: tensor<1x255xi32>)
func.func @multi_threshold(%acc: tensor<1x8x8x64xi32>, %t: tensor<64x3xi32>, %d: tensor<64xi1>, %t1: tensor<1x1xi32>, %d1: tensor<1xi1>, %acc2: tensor<2x64xi32>, %t255: tensor<1x255xi32>)
    -> (tensor<1x8x8x64xui2>, tensor<2x64xui1>, tensor<2x64xui8>) {
  // CHECK: %[[R0:.+]] = bnn.multi_threshold %[[ACC]], %[[T]], %[[D]] : tensor<1x8x8x64xi32>, tensor<64x3xi32>, tensor<64xi1> -> tensor<1x8x8x64xui2>
  // CHECK: %[[R1:.+]] = bnn.multi_threshold %[[ACC2]], %[[T1]], %[[D1]] : tensor<2x64xi32>, tensor<1x1xi32>, tensor<1xi1> -> tensor<2x64xui1>
  // CHECK: %[[R2:.+]] = bnn.multi_threshold %[[ACC2]], %[[T255]], %[[D]] : tensor<2x64xi32>, tensor<1x255xi32>, tensor<64xi1> -> tensor<2x64xui8>
  // CHECK: return %[[R0]], %[[R1]], %[[R2]]
  %r0 = bnn.multi_threshold %acc, %t, %d : tensor<1x8x8x64xi32>, tensor<64x3xi32>, tensor<64xi1> -> tensor<1x8x8x64xui2>
  %r1 = bnn.multi_threshold %acc2, %t1, %d1 : tensor<2x64xi32>, tensor<1x1xi32>, tensor<1xi1> -> tensor<2x64xui1>
  %r2 = bnn.multi_threshold %acc2, %t255, %d : tensor<2x64xi32>, tensor<1x255xi32>, tensor<64xi1> -> tensor<2x64xui8>
  return %r0, %r1, %r2 : tensor<1x8x8x64xui2>, tensor<2x64xui1>, tensor<2x64xui8>
}

// CHECK-LABEL: func.func @requantize
// CHECK-SAME: (%[[ACC:.+]]: tensor<1x8x8x32xi32>, %[[S:.+]]: tensor<32xf32>, %[[S1:.+]]: tensor<1xf32>)
func.func @requantize(%acc: tensor<1x8x8x32xi32>, %s: tensor<32xf32>, %s1: tensor<1xf32>)
    -> (tensor<1x8x8x32xi8>, tensor<1x8x8x32xi8>, tensor<1x8x8x32xi8>, tensor<1x8x8x32xi8>) {
  // CHECK: %[[R0:.+]] = bnn.requantize %[[ACC]], %[[S]] : tensor<1x8x8x32xi32>, tensor<32xf32> -> tensor<1x8x8x32xi8>
  // CHECK: %[[R1:.+]] = bnn.requantize %[[ACC]], %[[S]] {output_zero_point = -4 : i64} : tensor<1x8x8x32xi32>, tensor<32xf32> -> tensor<1x8x8x32xi8>
  // CHECK: %[[R2:.+]] = bnn.requantize %[[ACC]], %[[S1]] {clamp_min = -4 : i64, output_zero_point = -4 : i64} : tensor<1x8x8x32xi32>, tensor<1xf32> -> tensor<1x8x8x32xi8>
  // CHECK: %[[R3:.+]] = bnn.requantize %[[ACC]], %[[S1]] {clamp_max = 100 : i64, clamp_min = 100 : i64, output_zero_point = 127 : i64} : tensor<1x8x8x32xi32>, tensor<1xf32> -> tensor<1x8x8x32xi8>
  // CHECK: return %[[R0]], %[[R1]], %[[R2]], %[[R3]]
  %r0 = bnn.requantize %acc, %s {output_zero_point = 0 : i64, clamp_min = -128 : i64, clamp_max = 127 : i64} : tensor<1x8x8x32xi32>, tensor<32xf32> -> tensor<1x8x8x32xi8>
  %r1 = bnn.requantize %acc, %s {output_zero_point = -4 : i64} : tensor<1x8x8x32xi32>, tensor<32xf32> -> tensor<1x8x8x32xi8>
  %r2 = bnn.requantize %acc, %s1 {output_zero_point = -4 : i64, clamp_min = -4 : i64} : tensor<1x8x8x32xi32>, tensor<1xf32> -> tensor<1x8x8x32xi8>
  %r3 = bnn.requantize %acc, %s1 {output_zero_point = 127 : i64, clamp_min = 100 : i64, clamp_max = 100 : i64} : tensor<1x8x8x32xi32>, tensor<1xf32> -> tensor<1x8x8x32xi8>
  return %r0, %r1, %r2, %r3 : tensor<1x8x8x32xi8>, tensor<1x8x8x32xi8>, tensor<1x8x8x32xi8>, tensor<1x8x8x32xi8>
}

//===----------------------------------------------------------------------===//
// quantize
//===----------------------------------------------------------------------===//

// zero_point = 0 is elided; clamp_min / clamp_max are kept when given, even
// at the result type's bounds (their defaults depend on the result type).
// CHECK-LABEL: func.func @quantize
// CHECK-SAME: (%[[X:.+]]: tensor<1x8x8x32xf32>, %[[S:.+]]: tensor<32xf32>, %[[S1:.+]]: tensor<1xf32>, %[[V:.+]]: tensor<5xf32>, %[[S5:.+]]: tensor<5xf32>)
func.func @quantize(%x: tensor<1x8x8x32xf32>, %s: tensor<32xf32>, %s1: tensor<1xf32>, %v: tensor<5xf32>, %s5: tensor<5xf32>)
    -> (tensor<1x8x8x32xi8>, tensor<1x8x8x32xi8>, tensor<1x8x8x32xui2>, tensor<1x8x8x32xui8>, tensor<5xui1>, tensor<5xi8>) {
  // CHECK: %[[R0:.+]] = bnn.quantize %[[X]], %[[S]] : tensor<1x8x8x32xf32>, tensor<32xf32> -> tensor<1x8x8x32xi8>
  // CHECK: %[[R1:.+]] = bnn.quantize %[[X]], %[[S]] {zero_point = -3 : i64} : tensor<1x8x8x32xf32>, tensor<32xf32> -> tensor<1x8x8x32xi8>
  // CHECK: %[[R2:.+]] = bnn.quantize %[[X]], %[[S1]] : tensor<1x8x8x32xf32>, tensor<1xf32> -> tensor<1x8x8x32xui2>
  // CHECK: %[[R3:.+]] = bnn.quantize %[[X]], %[[S1]] {clamp_max = 200 : i64, clamp_min = 7 : i64, zero_point = 255 : i64} : tensor<1x8x8x32xf32>, tensor<1xf32> -> tensor<1x8x8x32xui8>
  // CHECK: %[[R4:.+]] = bnn.quantize %[[V]], %[[S5]] {clamp_max = 1 : i64, clamp_min = 0 : i64} : tensor<5xf32>, tensor<5xf32> -> tensor<5xui1>
  // CHECK: %[[R5:.+]] = bnn.quantize %[[V]], %[[S1]] {clamp_max = -128 : i64, clamp_min = -128 : i64, zero_point = 127 : i64} : tensor<5xf32>, tensor<1xf32> -> tensor<5xi8>
  // CHECK: return %[[R0]], %[[R1]], %[[R2]], %[[R3]], %[[R4]], %[[R5]]
  %r0 = bnn.quantize %x, %s {zero_point = 0 : i64} : tensor<1x8x8x32xf32>, tensor<32xf32> -> tensor<1x8x8x32xi8>
  %r1 = bnn.quantize %x, %s {zero_point = -3 : i64} : tensor<1x8x8x32xf32>, tensor<32xf32> -> tensor<1x8x8x32xi8>
  %r2 = bnn.quantize %x, %s1 : tensor<1x8x8x32xf32>, tensor<1xf32> -> tensor<1x8x8x32xui2>
  %r3 = bnn.quantize %x, %s1 {zero_point = 255 : i64, clamp_min = 7 : i64, clamp_max = 200 : i64} : tensor<1x8x8x32xf32>, tensor<1xf32> -> tensor<1x8x8x32xui8>
  %r4 = bnn.quantize %v, %s5 {clamp_min = 0 : i64, clamp_max = 1 : i64} : tensor<5xf32>, tensor<5xf32> -> tensor<5xui1>
  %r5 = bnn.quantize %v, %s1 {zero_point = 127 : i64, clamp_min = -128 : i64, clamp_max = -128 : i64} : tensor<5xf32>, tensor<1xf32> -> tensor<5xi8>
  return %r0, %r1, %r2, %r3, %r4, %r5 : tensor<1x8x8x32xi8>, tensor<1x8x8x32xi8>, tensor<1x8x8x32xui2>, tensor<1x8x8x32xui8>, tensor<5xui1>, tensor<5xi8>
}

//===----------------------------------------------------------------------===//
// binary_max_pool2d
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @binary_max_pool2d
// CHECK-SAME: (%[[A:.+]]: tensor<1x8x8x64xi1>)
func.func @binary_max_pool2d(%a: tensor<1x8x8x64xi1>) -> (tensor<1x4x4x64xi1>, tensor<1x8x8x64xi1>, tensor<1x3x4x64xi1>) {
  // CHECK: %[[R0:.+]] = bnn.binary_max_pool2d %[[A]] {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x8x64xi1> -> tensor<1x4x4x64xi1>
  // CHECK: %[[R1:.+]] = bnn.binary_max_pool2d %[[A]] {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x8x8x64xi1> -> tensor<1x8x8x64xi1>
  // CHECK: %[[R2:.+]] = bnn.binary_max_pool2d %[[A]] {kernel = array<i64: 3, 2>, padding = array<i64: 0, 2, 1, 0>, strides = array<i64: 3, 2>} : tensor<1x8x8x64xi1> -> tensor<1x3x4x64xi1>
  // CHECK: return %[[R0]], %[[R1]], %[[R2]]
  %r0 = bnn.binary_max_pool2d %a {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x8x64xi1> -> tensor<1x4x4x64xi1>
  %r1 = bnn.binary_max_pool2d %a {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x8x8x64xi1> -> tensor<1x8x8x64xi1>
  // OH = (8 + 0 + 2 - 3) / 3 + 1 = 3, OW = (8 + 1 + 0 - 2) / 2 + 1 = 4.
  %r2 = bnn.binary_max_pool2d %a {kernel = array<i64: 3, 2>, strides = array<i64: 3, 2>, padding = array<i64: 0, 2, 1, 0>} : tensor<1x8x8x64xi1> -> tensor<1x3x4x64xi1>
  return %r0, %r1, %r2 : tensor<1x4x4x64xi1>, tensor<1x8x8x64xi1>, tensor<1x3x4x64xi1>
}

// -----

// CHECK-LABEL: func.func @pack_and_bitplane
// CHECK: %[[P:.+]] = bnn.pack %{{.+}} : tensor<2x3x100xi1> -> tensor<2x3x2xi64>
// CHECK: %[[B:.+]] = bnn.bitplane %{{.+}} {bit = 2 : i64} : tensor<4x5xui3> -> tensor<4x5xi1>
// CHECK: return %[[P]], %[[B]]
func.func @pack_and_bitplane(%b: tensor<2x3x100xi1>, %x: tensor<4x5xui3>) -> (tensor<2x3x2xi64>, tensor<4x5xi1>) {
  %p = bnn.pack %b : tensor<2x3x100xi1> -> tensor<2x3x2xi64>
  %q = bnn.bitplane %x {bit = 2 : i64} : tensor<4x5xui3> -> tensor<4x5xi1>
  return %p, %q : tensor<2x3x2xi64>, tensor<4x5xi1>
}

// -----

// A dynamic batch (dimension 0) is accepted by every operator on
// activations; weights stay static (docs/RuntimeABI.md#dynamic-batch).
// CHECK-LABEL: func.func @dynamic_batch
// CHECK: bnn.binary_conv2d {{.*}} : tensor<?x8x8x64xi1>, tensor<16x3x3x64xi1> -> tensor<?x8x8x16xi32>
// CHECK: bnn.threshold {{.*}} : tensor<?x8x8x16xi32>, tensor<16xi32>, tensor<16xi1> -> tensor<?x8x8x16xi1>
// CHECK: bnn.binary_max_pool2d {{.*}} : tensor<?x8x8x16xi1> -> tensor<?x4x4x16xi1>
// CHECK: bnn.quantize {{.*}} : tensor<?x64xf32>, tensor<1xf32> -> tensor<?x64xui2>
// CHECK: bnn.bitserial_dense {{.*}} : tensor<?x64xui2>, tensor<10x64xi1> -> tensor<?x10xi32>
// CHECK: bnn.multi_threshold {{.*}} : tensor<?x10xi32>, tensor<10x3xi32>, tensor<1xi1> -> tensor<?x10xui2>
func.func @dynamic_batch(%a: tensor<?x8x8x64xi1>, %w: tensor<16x3x3x64xi1>, %t: tensor<16xi32>, %d: tensor<16xi1>, %x: tensor<?x64xf32>, %s: tensor<1xf32>, %v: tensor<10x64xi1>, %mt: tensor<10x3xi32>, %md: tensor<1xi1>) -> (tensor<?x4x4x16xi1>, tensor<?x10xi32>, tensor<?x10xui2>) {
  %acc = bnn.binary_conv2d %a, %w {padding = array<i64: 1, 1, 1, 1>} : tensor<?x8x8x64xi1>, tensor<16x3x3x64xi1> -> tensor<?x8x8x16xi32>
  %b = bnn.threshold %acc, %t, %d : tensor<?x8x8x16xi32>, tensor<16xi32>, tensor<16xi1> -> tensor<?x8x8x16xi1>
  %p = bnn.binary_max_pool2d %b {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<?x8x8x16xi1> -> tensor<?x4x4x16xi1>
  %q = bnn.quantize %x, %s : tensor<?x64xf32>, tensor<1xf32> -> tensor<?x64xui2>
  %r = bnn.bitserial_dense %q, %v : tensor<?x64xui2>, tensor<10x64xi1> -> tensor<?x10xi32>
  %m = bnn.multi_threshold %r, %mt, %md : tensor<?x10xi32>, tensor<10x3xi32>, tensor<1xi1> -> tensor<?x10xui2>
  return %p, %r, %m : tensor<?x4x4x16xi1>, tensor<?x10xi32>, tensor<?x10xui2>
}

// CHECK-LABEL: func.func @register_block
// CHECK-SAME: bnn.register_block = #bnn.register_block<pixels = 4, channels = 32>
func.func @register_block() attributes {bnn.register_block = #bnn.register_block<pixels = 4, channels = 32>} {
  return
}
