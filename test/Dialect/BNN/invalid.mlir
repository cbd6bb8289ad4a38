// RUN: bnn-opt %s --split-input-file --verify-diagnostics

//===----------------------------------------------------------------------===//
// ODS constraints: element types, ranks, attribute kinds and sizes
//===----------------------------------------------------------------------===//

func.func @binary_conv2d_float_input(%a: tensor<1x8x8x64xf32>, %w: tensor<64x3x3x64xi1>) {
  // expected-error @+1 {{'bnn.binary_conv2d' op operand #0 must be 4D tensor of 1-bit signless integer values, but got 'tensor<1x8x8x64xf32>'}}
  %r = bnn.binary_conv2d %a, %w : tensor<1x8x8x64xf32>, tensor<64x3x3x64xi1> -> tensor<1x6x6x64xi32>
  return
}

// -----

func.func @binary_conv2d_float_filter(%a: tensor<1x8x8x64xi1>, %w: tensor<64x3x3x64xf32>) {
  // expected-error @+1 {{'bnn.binary_conv2d' op operand #1 must be 4D tensor of 1-bit signless integer values, but got 'tensor<64x3x3x64xf32>'}}
  %r = bnn.binary_conv2d %a, %w : tensor<1x8x8x64xi1>, tensor<64x3x3x64xf32> -> tensor<1x6x6x64xi32>
  return
}

// -----

func.func @binary_conv2d_rank3_input(%a: tensor<8x8x64xi1>, %w: tensor<64x3x3x64xi1>) {
  // expected-error @+1 {{'bnn.binary_conv2d' op operand #0 must be 4D tensor of 1-bit signless integer values, but got 'tensor<8x8x64xi1>'}}
  %r = bnn.binary_conv2d %a, %w : tensor<8x8x64xi1>, tensor<64x3x3x64xi1> -> tensor<1x6x6x64xi32>
  return
}

// -----

func.func @binary_conv2d_i64_result(%a: tensor<1x8x8x64xi1>, %w: tensor<64x3x3x64xi1>) {
  // expected-error @+1 {{'bnn.binary_conv2d' op result #0 must be 4D tensor of 32-bit signless integer values, but got 'tensor<1x6x6x64xi64>'}}
  %r = bnn.binary_conv2d %a, %w : tensor<1x8x8x64xi1>, tensor<64x3x3x64xi1> -> tensor<1x6x6x64xi64>
  return
}

// -----

func.func @binary_conv2d_three_strides(%a: tensor<1x8x8x64xi1>, %w: tensor<64x3x3x64xi1>) {
  // expected-error @+1 {{'bnn.binary_conv2d' op attribute 'strides' failed to satisfy constraint: i64 dense array attribute with exactly 2 elements}}
  %r = bnn.binary_conv2d %a, %w {strides = array<i64: 1, 1, 1>} : tensor<1x8x8x64xi1>, tensor<64x3x3x64xi1> -> tensor<1x6x6x64xi32>
  return
}

// -----

func.func @binary_conv2d_one_dilation(%a: tensor<1x8x8x64xi1>, %w: tensor<64x3x3x64xi1>) {
  // expected-error @+1 {{'bnn.binary_conv2d' op attribute 'dilations' failed to satisfy constraint: i64 dense array attribute with exactly 2 elements}}
  %r = bnn.binary_conv2d %a, %w {dilations = array<i64: 1>} : tensor<1x8x8x64xi1>, tensor<64x3x3x64xi1> -> tensor<1x6x6x64xi32>
  return
}

// -----

func.func @binary_conv2d_two_paddings(%a: tensor<1x8x8x64xi1>, %w: tensor<64x3x3x64xi1>) {
  // expected-error @+1 {{'bnn.binary_conv2d' op attribute 'padding' failed to satisfy constraint: i64 dense array attribute with exactly 4 elements}}
  %r = bnn.binary_conv2d %a, %w {padding = array<i64: 1, 1>} : tensor<1x8x8x64xi1>, tensor<64x3x3x64xi1> -> tensor<1x8x8x64xi32>
  return
}

// -----

func.func @binary_conv2d_i32_groups(%a: tensor<1x8x8x64xi1>, %w: tensor<64x3x3x32xi1>) {
  // expected-error @+1 {{'bnn.binary_conv2d' op attribute 'groups' failed to satisfy constraint: 64-bit signless integer attribute}}
  %r = bnn.binary_conv2d %a, %w {groups = 2 : i32} : tensor<1x8x8x64xi1>, tensor<64x3x3x32xi1> -> tensor<1x6x6x64xi32>
  return
}

// -----

func.func @binary_conv2d_unknown_pad_value(%a: tensor<1x8x8x64xi1>, %w: tensor<64x3x3x64xi1>) {
  // expected-error @+2 {{expected ::mlir::bnn::PadValue to be one of: zero, plus_one, minus_one}}
  // expected-error @+1 {{failed to parse BNN_PadValueAttr parameter 'value' which is to be a `::mlir::bnn::PadValue`}}
  %r = bnn.binary_conv2d %a, %w {pad_value = #bnn.pad_value<one>} : tensor<1x8x8x64xi1>, tensor<64x3x3x64xi1> -> tensor<1x6x6x64xi32>
  return
}

// -----

func.func @bitserial_conv2d_ui9_input(%a: tensor<1x8x8x8xui9>, %w: tensor<8x3x3x8xi1>) {
  // expected-error @+1 {{'bnn.bitserial_conv2d' op operand #0 must be 4D tensor of 1-bit unsigned integer or 2-bit unsigned integer or 3-bit unsigned integer or 4-bit unsigned integer or 5-bit unsigned integer or 6-bit unsigned integer or 7-bit unsigned integer or 8-bit unsigned integer values, but got 'tensor<1x8x8x8xui9>'}}
  %r = bnn.bitserial_conv2d %a, %w : tensor<1x8x8x8xui9>, tensor<8x3x3x8xi1> -> tensor<1x6x6x8xi32>
  return
}

// -----

func.func @bitserial_conv2d_signless_i2_input(%a: tensor<1x8x8x8xi2>, %w: tensor<8x3x3x8xi1>) {
  // expected-error @+1 {{'bnn.bitserial_conv2d' op operand #0 must be 4D tensor of 1-bit unsigned integer or 2-bit unsigned integer or 3-bit unsigned integer or 4-bit unsigned integer or 5-bit unsigned integer or 6-bit unsigned integer or 7-bit unsigned integer or 8-bit unsigned integer values, but got 'tensor<1x8x8x8xi2>'}}
  %r = bnn.bitserial_conv2d %a, %w : tensor<1x8x8x8xi2>, tensor<8x3x3x8xi1> -> tensor<1x6x6x8xi32>
  return
}

// -----

func.func @bitserial_conv2d_binary_input(%a: tensor<1x8x8x8xi1>, %w: tensor<8x3x3x8xi1>) {
  // expected-error @+1 {{'bnn.bitserial_conv2d' op operand #0 must be 4D tensor of 1-bit unsigned integer or 2-bit unsigned integer or 3-bit unsigned integer or 4-bit unsigned integer or 5-bit unsigned integer or 6-bit unsigned integer or 7-bit unsigned integer or 8-bit unsigned integer values, but got 'tensor<1x8x8x8xi1>'}}
  %r = bnn.bitserial_conv2d %a, %w : tensor<1x8x8x8xi1>, tensor<8x3x3x8xi1> -> tensor<1x6x6x8xi32>
  return
}

// -----

func.func @bitserial_conv2d_int8_filter(%a: tensor<1x8x8x8xui2>, %w: tensor<8x3x3x8xi8>) {
  // expected-error @+1 {{'bnn.bitserial_conv2d' op operand #1 must be 4D tensor of 1-bit signless integer or 1-bit unsigned integer or 2-bit unsigned integer or 3-bit unsigned integer or 4-bit unsigned integer or 5-bit unsigned integer or 6-bit unsigned integer or 7-bit unsigned integer or 8-bit unsigned integer values, but got 'tensor<8x3x3x8xi8>'}}
  %r = bnn.bitserial_conv2d %a, %w : tensor<1x8x8x8xui2>, tensor<8x3x3x8xi8> -> tensor<1x6x6x8xi32>
  return
}

// -----

func.func @int8_conv2d_unsigned_input(%a: tensor<1x8x8x8xui8>, %w: tensor<8x3x3x8xi8>) {
  // expected-error @+1 {{'bnn.int8_conv2d' op operand #0 must be 4D tensor of 8-bit signless integer values, but got 'tensor<1x8x8x8xui8>'}}
  %r = bnn.int8_conv2d %a, %w : tensor<1x8x8x8xui8>, tensor<8x3x3x8xi8> -> tensor<1x6x6x8xi32>
  return
}

// -----

func.func @int8_conv2d_zero_point_list(%a: tensor<1x8x8x8xi8>, %w: tensor<8x3x3x8xi8>) {
  // expected-error @+1 {{'bnn.int8_conv2d' op attribute 'weight_zero_point' failed to satisfy constraint: i64 dense array attribute}}
  %r = bnn.int8_conv2d %a, %w {weight_zero_point = [1, 2]} : tensor<1x8x8x8xi8>, tensor<8x3x3x8xi8> -> tensor<1x6x6x8xi32>
  return
}

// -----

func.func @binary_dense_rank3(%a: tensor<1x2x64xi1>, %w: tensor<10x64xi1>) {
  // expected-error @+1 {{'bnn.binary_dense' op operand #0 must be 2D tensor of 1-bit signless integer values, but got 'tensor<1x2x64xi1>'}}
  %r = bnn.binary_dense %a, %w : tensor<1x2x64xi1>, tensor<10x64xi1> -> tensor<1x10xi32>
  return
}

// -----

func.func @bitserial_dense_ui9_weight(%a: tensor<1x64xui2>, %w: tensor<10x64xui9>) {
  // expected-error @+1 {{'bnn.bitserial_dense' op operand #1 must be 2D tensor of 1-bit signless integer or 1-bit unsigned integer or 2-bit unsigned integer or 3-bit unsigned integer or 4-bit unsigned integer or 5-bit unsigned integer or 6-bit unsigned integer or 7-bit unsigned integer or 8-bit unsigned integer values, but got 'tensor<10x64xui9>'}}
  %r = bnn.bitserial_dense %a, %w : tensor<1x64xui2>, tensor<10x64xui9> -> tensor<1x10xi32>
  return
}

// -----

func.func @int8_dense_i32_input(%a: tensor<1x64xi32>, %w: tensor<10x64xi8>) {
  // expected-error @+1 {{'bnn.int8_dense' op operand #0 must be 2D tensor of 8-bit signless integer values, but got 'tensor<1x64xi32>'}}
  %r = bnn.int8_dense %a, %w : tensor<1x64xi32>, tensor<10x64xi8> -> tensor<1x10xi32>
  return
}

// -----

func.func @binarize_shape_mismatch(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'bnn.binarize' op requires the same shape for all operands and results}}
  %b = bnn.binarize %x : tensor<2x3xf32> -> tensor<3x2xi1>
  return
}

// -----

func.func @binarize_f64_input(%x: tensor<2x3xf64>) {
  // expected-error @+1 {{'bnn.binarize' op operand #0 must be ranked tensor of 32-bit float values, but got 'tensor<2x3xf64>'}}
  %b = bnn.binarize %x : tensor<2x3xf64> -> tensor<2x3xi1>
  return
}

// -----

// The custom syntax only parses ranked tensor types; the generic form
// reaches the ODS operand constraint.
func.func @binarize_unranked(%x: tensor<*xf32>) {
  // expected-error @+1 {{'bnn.binarize' op operand #0 must be ranked tensor of 32-bit float values, but got 'tensor<*xf32>'}}
  %b = "bnn.binarize"(%x) : (tensor<*xf32>) -> tensor<*xi1>
  return
}

// -----

func.func @binarize_unranked_custom_syntax(%x: tensor<*xf32>) {
  // expected-error @+1 {{custom op 'bnn.binarize' invalid kind of type specified: expected builtin.tensor, but found 'tensor<*xf32>'}}
  %b = bnn.binarize %x : tensor<*xf32> -> tensor<*xi1>
  return
}

// -----

func.func @unbinarize_shape_mismatch(%b: tensor<4xi1>) {
  // expected-error @+1 {{'bnn.unbinarize' op requires the same shape for all operands and results}}
  %f = bnn.unbinarize %b : tensor<4xi1> -> tensor<1x4xf32>
  return
}

// -----

func.func @unbinarize_i8_result(%b: tensor<4xi1>) {
  // expected-error @+1 {{'bnn.unbinarize' op result #0 must be ranked tensor of 32-bit float values, but got 'tensor<4xi8>'}}
  %f = bnn.unbinarize %b : tensor<4xi1> -> tensor<4xi8>
  return
}

// -----

func.func @acc_to_float_rank2_multiplier(%acc: tensor<2x4xi32>, %m: tensor<1x4xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'bnn.acc_to_float' op operand #1 must be 1D tensor of 32-bit float values, but got 'tensor<1x4xf32>'}}
  %f = bnn.acc_to_float %acc, %m, %b : tensor<2x4xi32>, tensor<1x4xf32>, tensor<4xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @threshold_i8_directions(%acc: tensor<2x4xi32>, %t: tensor<4xi32>, %d: tensor<4xi8>) {
  // expected-error @+1 {{'bnn.threshold' op operand #2 must be 1D tensor of 1-bit signless integer values, but got 'tensor<4xi8>'}}
  %r = bnn.threshold %acc, %t, %d : tensor<2x4xi32>, tensor<4xi32>, tensor<4xi8> -> tensor<2x4xi1>
  return
}

// -----

func.func @requantize_f32_result(%acc: tensor<2x4xi32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'bnn.requantize' op result #0 must be ranked tensor of 8-bit signless integer values, but got 'tensor<2x4xf32>'}}
  %q = bnn.requantize %acc, %s : tensor<2x4xi32>, tensor<4xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @quantize_i32_result(%x: tensor<2x4xf32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'bnn.quantize' op result #0 must be ranked tensor of 8-bit signless integer or 1-bit unsigned integer or 2-bit unsigned integer or 3-bit unsigned integer or 4-bit unsigned integer or 5-bit unsigned integer or 6-bit unsigned integer or 7-bit unsigned integer or 8-bit unsigned integer values, but got 'tensor<2x4xi32>'}}
  %q = bnn.quantize %x, %s : tensor<2x4xf32>, tensor<4xf32> -> tensor<2x4xi32>
  return
}

// -----

func.func @quantize_binary_result(%x: tensor<2x4xf32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'bnn.quantize' op result #0 must be ranked tensor of 8-bit signless integer or 1-bit unsigned integer}}
  %q = bnn.quantize %x, %s : tensor<2x4xf32>, tensor<4xf32> -> tensor<2x4xi1>
  return
}

// -----

func.func @quantize_integer_input(%x: tensor<2x4xi32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'bnn.quantize' op operand #0 must be ranked tensor of 32-bit float values, but got 'tensor<2x4xi32>'}}
  %q = bnn.quantize %x, %s : tensor<2x4xi32>, tensor<4xf32> -> tensor<2x4xi8>
  return
}

// -----

func.func @quantize_scale_rank(%x: tensor<2x4xf32>, %s: tensor<1x4xf32>) {
  // expected-error @+1 {{'bnn.quantize' op operand #1 must be 1D tensor of 32-bit float values, but got 'tensor<1x4xf32>'}}
  %q = bnn.quantize %x, %s : tensor<2x4xf32>, tensor<1x4xf32> -> tensor<2x4xi8>
  return
}

// -----

func.func @multi_threshold_signless_result(%acc: tensor<2x4xi32>, %t: tensor<4x3xi32>, %d: tensor<4xi1>) {
  // expected-error @+1 {{'bnn.multi_threshold' op result #0 must be ranked tensor of 1-bit unsigned integer or 2-bit unsigned integer or 3-bit unsigned integer or 4-bit unsigned integer or 5-bit unsigned integer or 6-bit unsigned integer or 7-bit unsigned integer or 8-bit unsigned integer values, but got 'tensor<2x4xi2>'}}
  %q = bnn.multi_threshold %acc, %t, %d : tensor<2x4xi32>, tensor<4x3xi32>, tensor<4xi1> -> tensor<2x4xi2>
  return
}

// -----

func.func @multi_threshold_thresholds_rank(%acc: tensor<2x4xi32>, %t: tensor<4xi32>, %d: tensor<4xi1>) {
  // expected-error @+1 {{'bnn.multi_threshold' op operand #1 must be 2D tensor of 32-bit signless integer values, but got 'tensor<4xi32>'}}
  %q = bnn.multi_threshold %acc, %t, %d : tensor<2x4xi32>, tensor<4xi32>, tensor<4xi1> -> tensor<2x4xui1>
  return
}

// -----

func.func @multi_threshold_float_acc(%acc: tensor<2x4xf32>, %t: tensor<4x1xi32>, %d: tensor<4xi1>) {
  // expected-error @+1 {{'bnn.multi_threshold' op operand #0 must be ranked tensor of 32-bit signless integer values, but got 'tensor<2x4xf32>'}}
  %q = bnn.multi_threshold %acc, %t, %d : tensor<2x4xf32>, tensor<4x1xi32>, tensor<4xi1> -> tensor<2x4xui1>
  return
}

// -----

func.func @max_pool_missing_kernel(%a: tensor<1x8x8x64xi1>) {
  // expected-error @+1 {{'bnn.binary_max_pool2d' op requires attribute 'kernel'}}
  %p = bnn.binary_max_pool2d %a : tensor<1x8x8x64xi1> -> tensor<1x8x8x64xi1>
  return
}

// -----

func.func @max_pool_three_kernel_entries(%a: tensor<1x8x8x64xi1>) {
  // expected-error @+1 {{'bnn.binary_max_pool2d' op attribute 'kernel' failed to satisfy constraint: i64 dense array attribute with exactly 2 elements}}
  %p = bnn.binary_max_pool2d %a {kernel = array<i64: 2, 2, 2>} : tensor<1x8x8x64xi1> -> tensor<1x4x4x64xi1>
  return
}

//===----------------------------------------------------------------------===//
// Convolution verifier
//===----------------------------------------------------------------------===//

// -----

func.func @conv_zero_stride(%a: tensor<1x8x8x64xi1>, %w: tensor<64x3x3x64xi1>) {
  // expected-error @+1 {{'bnn.binary_conv2d' op 'strides' entries must be >= 1, got [1, 0]}}
  %r = bnn.binary_conv2d %a, %w {strides = array<i64: 1, 0>} : tensor<1x8x8x64xi1>, tensor<64x3x3x64xi1> -> tensor<1x6x6x64xi32>
  return
}

// -----

func.func @conv_negative_dilation(%a: tensor<1x8x8x8xui2>, %w: tensor<8x3x3x8xi1>) {
  // expected-error @+1 {{'bnn.bitserial_conv2d' op 'dilations' entries must be >= 1, got [-1, 1]}}
  %r = bnn.bitserial_conv2d %a, %w {dilations = array<i64: -1, 1>} : tensor<1x8x8x8xui2>, tensor<8x3x3x8xi1> -> tensor<1x6x6x8xi32>
  return
}

// -----

func.func @conv_negative_padding(%a: tensor<1x8x8x8xi8>, %w: tensor<8x3x3x8xi8>) {
  // expected-error @+1 {{'bnn.int8_conv2d' op 'padding' entries must be >= 0, got [0, 0, -1, 1]}}
  %r = bnn.int8_conv2d %a, %w {padding = array<i64: 0, 0, -1, 1>} : tensor<1x8x8x8xi8>, tensor<8x3x3x8xi8> -> tensor<1x6x6x8xi32>
  return
}

// -----

func.func @conv_zero_groups(%a: tensor<1x8x8x64xi1>, %w: tensor<64x3x3x64xi1>) {
  // expected-error @+1 {{'bnn.binary_conv2d' op 'groups' must be >= 1, got 0}}
  %r = bnn.binary_conv2d %a, %w {groups = 0 : i64} : tensor<1x8x8x64xi1>, tensor<64x3x3x64xi1> -> tensor<1x6x6x64xi32>
  return
}

// -----

func.func @conv_negative_groups(%a: tensor<1x8x8x64xi1>, %w: tensor<64x3x3x64xi1>) {
  // expected-error @+1 {{'bnn.binary_conv2d' op 'groups' must be >= 1, got -2}}
  %r = bnn.binary_conv2d %a, %w {groups = -2 : i64} : tensor<1x8x8x64xi1>, tensor<64x3x3x64xi1> -> tensor<1x6x6x64xi32>
  return
}

// -----

func.func @conv_dynamic_input(%a: tensor<1x?x8x64xi1>, %w: tensor<64x3x3x64xi1>) {
  // expected-error @+1 {{'bnn.binary_conv2d' op requires a static input shape}}
  %r = bnn.binary_conv2d %a, %w : tensor<1x?x8x64xi1>, tensor<64x3x3x64xi1> -> tensor<1x6x6x64xi32>
  return
}

// -----

func.func @conv_dynamic_filter(%a: tensor<1x8x8x8xui3>, %w: tensor<8x?x3x8xui2>) {
  // expected-error @+1 {{'bnn.bitserial_conv2d' op requires a static filter shape}}
  %r = bnn.bitserial_conv2d %a, %w : tensor<1x8x8x8xui3>, tensor<8x?x3x8xui2> -> tensor<1x6x6x8xi32>
  return
}

// -----

func.func @conv_dynamic_result(%a: tensor<1x8x8x8xi8>, %w: tensor<8x3x3x8xi8>) {
  // expected-error @+1 {{'bnn.int8_conv2d' op requires a static result shape}}
  %r = bnn.int8_conv2d %a, %w : tensor<1x8x8x8xi8>, tensor<8x3x3x8xi8> -> tensor<1x?x6x8xi32>
  return
}

// -----

func.func @conv_empty_input(%a: tensor<0x8x8x64xi1>, %w: tensor<64x3x3x64xi1>) {
  // expected-error @+1 {{'bnn.binary_conv2d' op requires a non-empty input, got shape [0, 8, 8, 64]}}
  %r = bnn.binary_conv2d %a, %w : tensor<0x8x8x64xi1>, tensor<64x3x3x64xi1> -> tensor<0x6x6x64xi32>
  return
}

// -----

func.func @conv_empty_filter(%a: tensor<1x8x8x64xi1>, %w: tensor<0x3x3x64xi1>) {
  // expected-error @+1 {{'bnn.binary_conv2d' op requires a non-empty filter, got shape [0, 3, 3, 64]}}
  %r = bnn.binary_conv2d %a, %w : tensor<1x8x8x64xi1>, tensor<0x3x3x64xi1> -> tensor<1x6x6x0xi32>
  return
}

// -----

func.func @conv_empty_result(%a: tensor<1x8x8x64xi1>, %w: tensor<64x3x3x64xi1>) {
  // expected-error @+1 {{'bnn.binary_conv2d' op requires a non-empty result, got shape [1, 0, 6, 64]}}
  %r = bnn.binary_conv2d %a, %w : tensor<1x8x8x64xi1>, tensor<64x3x3x64xi1> -> tensor<1x0x6x64xi32>
  return
}

// -----

func.func @conv_input_channels_not_divisible(%a: tensor<1x8x8x10xi1>, %w: tensor<12x3x3x2xi1>) {
  // expected-error @+1 {{'bnn.binary_conv2d' op input channels (10) must be divisible by groups (4)}}
  %r = bnn.binary_conv2d %a, %w {groups = 4 : i64} : tensor<1x8x8x10xi1>, tensor<12x3x3x2xi1> -> tensor<1x6x6x12xi32>
  return
}

// -----

func.func @conv_output_channels_not_divisible(%a: tensor<1x8x8x8xui2>, %w: tensor<6x3x3x2xi1>) {
  // expected-error @+1 {{'bnn.bitserial_conv2d' op output channels (6) must be divisible by groups (4)}}
  %r = bnn.bitserial_conv2d %a, %w {groups = 4 : i64} : tensor<1x8x8x8xui2>, tensor<6x3x3x2xi1> -> tensor<1x6x6x6xi32>
  return
}

// -----

func.func @conv_filter_channel_mismatch(%a: tensor<1x8x8x64xi1>, %w: tensor<64x3x3x32xi1>) {
  // expected-error @+1 {{'bnn.binary_conv2d' op filter has 32 input channels per group but input has 64 channels in 1 group(s); expected 64}}
  %r = bnn.binary_conv2d %a, %w : tensor<1x8x8x64xi1>, tensor<64x3x3x32xi1> -> tensor<1x6x6x64xi32>
  return
}

// -----

func.func @conv_grouped_filter_channel_mismatch(%a: tensor<1x8x8x16xi8>, %w: tensor<16x3x3x16xi8>) {
  // expected-error @+1 {{'bnn.int8_conv2d' op filter has 16 input channels per group but input has 16 channels in 16 group(s); expected 1}}
  %r = bnn.int8_conv2d %a, %w {groups = 16 : i64} : tensor<1x8x8x16xi8>, tensor<16x3x3x16xi8> -> tensor<1x6x6x16xi32>
  return
}

// -----

func.func @conv_window_does_not_fit(%a: tensor<1x2x2x8xi1>, %w: tensor<8x3x3x8xi1>) {
  // expected-error @+1 {{'bnn.binary_conv2d' op 3x3 window does not fit the 2x2 padded input}}
  %r = bnn.binary_conv2d %a, %w : tensor<1x2x2x8xi1>, tensor<8x3x3x8xi1> -> tensor<1x1x1x8xi32>
  return
}

// -----

// The dilated window is 5 wide and the padded input only 4 (3 + 0 + 1).
func.func @conv_dilated_window_does_not_fit(%a: tensor<1x5x3x8xui1>, %w: tensor<8x3x3x8xui1>) {
  // expected-error @+1 {{'bnn.bitserial_conv2d' op 3x3 window (5x5 with dilations [2, 2]) does not fit the 5x4 padded input}}
  %r = bnn.bitserial_conv2d %a, %w {dilations = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, 1>} : tensor<1x5x3x8xui1>, tensor<8x3x3x8xui1> -> tensor<1x1x1x8xi32>
  return
}

// -----

func.func @conv_result_shape_mismatch(%a: tensor<1x8x8x64xi1>, %w: tensor<32x3x3x64xi1>) {
  // expected-error @+1 {{'bnn.binary_conv2d' op result shape [1, 8, 8, 32] does not match the expected shape [1, 6, 6, 32]}}
  %r = bnn.binary_conv2d %a, %w : tensor<1x8x8x64xi1>, tensor<32x3x3x64xi1> -> tensor<1x8x8x32xi32>
  return
}

// -----

// Stride 2 over 9 + 1 + 0 rows with a 3-row window: (10 - 3) / 2 + 1 = 4.
func.func @conv_strided_result_shape_mismatch(%a: tensor<2x9x9x8xui4>, %w: tensor<4x3x3x8xui4>) {
  // expected-error @+1 {{'bnn.bitserial_conv2d' op result shape [2, 5, 4, 4] does not match the expected shape [2, 4, 4, 4]}}
  %r = bnn.bitserial_conv2d %a, %w {strides = array<i64: 2, 2>, padding = array<i64: 1, 0, 0, 0>} : tensor<2x9x9x8xui4>, tensor<4x3x3x8xui4> -> tensor<2x5x4x4xi32>
  return
}

// -----

func.func @conv_result_channels_mismatch(%a: tensor<1x8x8x8xi8>, %w: tensor<4x1x1x8xi8>) {
  // expected-error @+1 {{'bnn.int8_conv2d' op result shape [1, 8, 8, 8] does not match the expected shape [1, 8, 8, 4]}}
  %r = bnn.int8_conv2d %a, %w : tensor<1x8x8x8xi8>, tensor<4x1x1x8xi8> -> tensor<1x8x8x8xi32>
  return
}

// -----

func.func @int8_conv2d_input_zero_point_too_large(%a: tensor<1x8x8x8xi8>, %w: tensor<8x3x3x8xi8>) {
  // expected-error @+1 {{'bnn.int8_conv2d' op 'input_zero_point' must lie in [-128, 127], got 128}}
  %r = bnn.int8_conv2d %a, %w {input_zero_point = 128 : i64} : tensor<1x8x8x8xi8>, tensor<8x3x3x8xi8> -> tensor<1x6x6x8xi32>
  return
}

// -----

func.func @int8_conv2d_input_zero_point_too_small(%a: tensor<1x8x8x8xi8>, %w: tensor<8x3x3x8xi8>) {
  // expected-error @+1 {{'bnn.int8_conv2d' op 'input_zero_point' must lie in [-128, 127], got -129}}
  %r = bnn.int8_conv2d %a, %w {input_zero_point = -129 : i64} : tensor<1x8x8x8xi8>, tensor<8x3x3x8xi8> -> tensor<1x6x6x8xi32>
  return
}

// -----

func.func @int8_conv2d_weight_zero_point_count(%a: tensor<1x8x8x8xi8>, %w: tensor<8x3x3x8xi8>) {
  // expected-error @+1 {{'bnn.int8_conv2d' op 'weight_zero_point' must have 1 or 8 entries, got 2}}
  %r = bnn.int8_conv2d %a, %w {weight_zero_point = array<i64: 1, 2>} : tensor<1x8x8x8xi8>, tensor<8x3x3x8xi8> -> tensor<1x6x6x8xi32>
  return
}

// -----

func.func @int8_conv2d_weight_zero_point_empty(%a: tensor<1x8x8x8xi8>, %w: tensor<8x3x3x8xi8>) {
  // expected-error @+1 {{'bnn.int8_conv2d' op 'weight_zero_point' must have 1 or 8 entries, got 0}}
  %r = bnn.int8_conv2d %a, %w {weight_zero_point = array<i64>} : tensor<1x8x8x8xi8>, tensor<8x3x3x8xi8> -> tensor<1x6x6x8xi32>
  return
}

// -----

func.func @int8_conv2d_weight_zero_point_range(%a: tensor<1x8x8x8xi8>, %w: tensor<2x3x3x8xi8>) {
  // expected-error @+1 {{'bnn.int8_conv2d' op 'weight_zero_point' must lie in [-128, 127], got 200}}
  %r = bnn.int8_conv2d %a, %w {weight_zero_point = array<i64: 0, 200>} : tensor<1x8x8x8xi8>, tensor<2x3x3x8xi8> -> tensor<1x6x6x2xi32>
  return
}

//===----------------------------------------------------------------------===//
// Dense verifier
//===----------------------------------------------------------------------===//

// -----

func.func @dense_dynamic_input(%a: tensor<1x?xi1>, %w: tensor<10x64xi1>) {
  // expected-error @+1 {{'bnn.binary_dense' op requires a static input shape}}
  %r = bnn.binary_dense %a, %w : tensor<1x?xi1>, tensor<10x64xi1> -> tensor<1x10xi32>
  return
}

// -----

func.func @dense_dynamic_weight(%a: tensor<1x64xui2>, %w: tensor<10x?xi1>) {
  // expected-error @+1 {{'bnn.bitserial_dense' op requires a static weight shape}}
  %r = bnn.bitserial_dense %a, %w : tensor<1x64xui2>, tensor<10x?xi1> -> tensor<1x10xi32>
  return
}

// -----

func.func @dense_dynamic_result(%a: tensor<1x64xi8>, %w: tensor<10x64xi8>) {
  // expected-error @+1 {{'bnn.int8_dense' op requires a static result shape}}
  %r = bnn.int8_dense %a, %w : tensor<1x64xi8>, tensor<10x64xi8> -> tensor<1x?xi32>
  return
}

// -----

func.func @dense_empty_input(%a: tensor<1x0xi1>, %w: tensor<10x0xi1>) {
  // expected-error @+1 {{'bnn.binary_dense' op requires a non-empty input, got shape [1, 0]}}
  %r = bnn.binary_dense %a, %w : tensor<1x0xi1>, tensor<10x0xi1> -> tensor<1x10xi32>
  return
}

// -----

func.func @dense_empty_weight(%a: tensor<1x64xui2>, %w: tensor<0x64xui2>) {
  // expected-error @+1 {{'bnn.bitserial_dense' op requires a non-empty weight, got shape [0, 64]}}
  %r = bnn.bitserial_dense %a, %w : tensor<1x64xui2>, tensor<0x64xui2> -> tensor<1x0xi32>
  return
}

// -----

func.func @dense_empty_result(%a: tensor<1x64xi8>, %w: tensor<10x64xi8>) {
  // expected-error @+1 {{'bnn.int8_dense' op requires a non-empty result, got shape [0, 10]}}
  %r = bnn.int8_dense %a, %w : tensor<1x64xi8>, tensor<10x64xi8> -> tensor<0x10xi32>
  return
}

// -----

func.func @dense_feature_mismatch(%a: tensor<1x64xi1>, %w: tensor<10x63xi1>) {
  // expected-error @+1 {{'bnn.binary_dense' op input has 64 features but weight expects 63}}
  %r = bnn.binary_dense %a, %w : tensor<1x64xi1>, tensor<10x63xi1> -> tensor<1x10xi32>
  return
}

// -----

func.func @dense_result_shape_mismatch(%a: tensor<2x100xui3>, %w: tensor<10x100xui2>) {
  // expected-error @+1 {{'bnn.bitserial_dense' op result shape [10, 2] does not match the expected shape [2, 10]}}
  %r = bnn.bitserial_dense %a, %w : tensor<2x100xui3>, tensor<10x100xui2> -> tensor<10x2xi32>
  return
}

// -----

func.func @int8_dense_input_zero_point_range(%a: tensor<1x64xi8>, %w: tensor<10x64xi8>) {
  // expected-error @+1 {{'bnn.int8_dense' op 'input_zero_point' must lie in [-128, 127], got 255}}
  %r = bnn.int8_dense %a, %w {input_zero_point = 255 : i64} : tensor<1x64xi8>, tensor<10x64xi8> -> tensor<1x10xi32>
  return
}

// -----

func.func @int8_dense_weight_zero_point_count(%a: tensor<1x64xi8>, %w: tensor<10x64xi8>) {
  // expected-error @+1 {{'bnn.int8_dense' op 'weight_zero_point' must have 1 or 10 entries, got 3}}
  %r = bnn.int8_dense %a, %w {weight_zero_point = array<i64: 0, 0, 0>} : tensor<1x64xi8>, tensor<10x64xi8> -> tensor<1x10xi32>
  return
}

// -----

func.func @int8_dense_weight_zero_point_range(%a: tensor<1x64xi8>, %w: tensor<10x64xi8>) {
  // expected-error @+1 {{'bnn.int8_dense' op 'weight_zero_point' must lie in [-128, 127], got -300}}
  %r = bnn.int8_dense %a, %w {weight_zero_point = array<i64: -300>} : tensor<1x64xi8>, tensor<10x64xi8> -> tensor<1x10xi32>
  return
}

//===----------------------------------------------------------------------===//
// Epilogue verifiers
//===----------------------------------------------------------------------===//

// -----

func.func @acc_to_float_rank0(%acc: tensor<i32>, %m: tensor<1xf32>, %b: tensor<1xf32>) {
  // expected-error @+1 {{'bnn.acc_to_float' op requires an accumulator of rank >= 1}}
  %f = bnn.acc_to_float %acc, %m, %b : tensor<i32>, tensor<1xf32>, tensor<1xf32> -> tensor<f32>
  return
}

// -----

func.func @acc_to_float_dynamic_acc(%acc: tensor<2x?xi32>, %m: tensor<4xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'bnn.acc_to_float' op requires a static accumulator shape}}
  %f = bnn.acc_to_float %acc, %m, %b : tensor<2x?xi32>, tensor<4xf32>, tensor<4xf32> -> tensor<2x?xf32>
  return
}

// -----

func.func @threshold_empty_acc(%acc: tensor<2x0xi32>, %t: tensor<1xi32>, %d: tensor<1xi1>) {
  // expected-error @+1 {{'bnn.threshold' op requires a non-empty accumulator, got shape [2, 0]}}
  %r = bnn.threshold %acc, %t, %d : tensor<2x0xi32>, tensor<1xi32>, tensor<1xi1> -> tensor<2x0xi1>
  return
}

// -----

func.func @acc_to_float_result_shape(%acc: tensor<2x4xi32>, %m: tensor<4xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'bnn.acc_to_float' op result shape [4, 2] must equal the accumulator shape [2, 4]}}
  %f = bnn.acc_to_float %acc, %m, %b : tensor<2x4xi32>, tensor<4xf32>, tensor<4xf32> -> tensor<4x2xf32>
  return
}

// -----

func.func @acc_to_float_multiplier_size(%acc: tensor<2x4xi32>, %m: tensor<2xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'bnn.acc_to_float' op 'multiplier' must have 1 or 4 elements (the accumulator's last dimension), got type 'tensor<2xf32>'}}
  %f = bnn.acc_to_float %acc, %m, %b : tensor<2x4xi32>, tensor<2xf32>, tensor<4xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @acc_to_float_bias_size(%acc: tensor<2x4xi32>, %m: tensor<4xf32>, %b: tensor<8xf32>) {
  // expected-error @+1 {{'bnn.acc_to_float' op 'bias' must have 1 or 4 elements (the accumulator's last dimension), got type 'tensor<8xf32>'}}
  %f = bnn.acc_to_float %acc, %m, %b : tensor<2x4xi32>, tensor<4xf32>, tensor<8xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @acc_to_float_dynamic_bias(%acc: tensor<2x4xi32>, %m: tensor<4xf32>, %b: tensor<?xf32>) {
  // expected-error @+1 {{'bnn.acc_to_float' op 'bias' must have 1 or 4 elements (the accumulator's last dimension), got type 'tensor<?xf32>'}}
  %f = bnn.acc_to_float %acc, %m, %b : tensor<2x4xi32>, tensor<4xf32>, tensor<?xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @threshold_result_shape(%acc: tensor<1x2x2x4xi32>, %t: tensor<4xi32>, %d: tensor<4xi1>) {
  // expected-error @+1 {{'bnn.threshold' op result shape [1, 2, 4] must equal the accumulator shape [1, 2, 2, 4]}}
  %r = bnn.threshold %acc, %t, %d : tensor<1x2x2x4xi32>, tensor<4xi32>, tensor<4xi1> -> tensor<1x2x4xi1>
  return
}

// -----

func.func @threshold_thresholds_size(%acc: tensor<1x2x2x4xi32>, %t: tensor<3xi32>, %d: tensor<4xi1>) {
  // expected-error @+1 {{'bnn.threshold' op 'thresholds' must have 1 or 4 elements (the accumulator's last dimension), got type 'tensor<3xi32>'}}
  %r = bnn.threshold %acc, %t, %d : tensor<1x2x2x4xi32>, tensor<3xi32>, tensor<4xi1> -> tensor<1x2x2x4xi1>
  return
}

// -----

func.func @threshold_directions_size(%acc: tensor<1x2x2x4xi32>, %t: tensor<4xi32>, %d: tensor<2xi1>) {
  // expected-error @+1 {{'bnn.threshold' op 'directions' must have 1 or 4 elements (the accumulator's last dimension), got type 'tensor<2xi1>'}}
  %r = bnn.threshold %acc, %t, %d : tensor<1x2x2x4xi32>, tensor<4xi32>, tensor<2xi1> -> tensor<1x2x2x4xi1>
  return
}

// -----

func.func @multi_threshold_rank0(%acc: tensor<i32>, %t: tensor<1x3xi32>, %d: tensor<1xi1>) {
  // expected-error @+1 {{'bnn.multi_threshold' op requires an accumulator of rank >= 1}}
  %q = bnn.multi_threshold %acc, %t, %d : tensor<i32>, tensor<1x3xi32>, tensor<1xi1> -> tensor<ui2>
  return
}

// -----

func.func @multi_threshold_dynamic_channels(%acc: tensor<?x?xi32>, %t: tensor<1x3xi32>, %d: tensor<1xi1>) {
  // expected-error @+1 {{'bnn.multi_threshold' op requires a static accumulator shape (but for a dynamic batch in dimension 0)}}
  %q = bnn.multi_threshold %acc, %t, %d : tensor<?x?xi32>, tensor<1x3xi32>, tensor<1xi1> -> tensor<?x?xui2>
  return
}

// -----

func.func @multi_threshold_empty_acc(%acc: tensor<?x0xi32>, %t: tensor<1x3xi32>, %d: tensor<1xi1>) {
  // expected-error @+1 {{'bnn.multi_threshold' op requires a non-empty accumulator, got shape [1, 0]}}
  %q = bnn.multi_threshold %acc, %t, %d : tensor<?x0xi32>, tensor<1x3xi32>, tensor<1xi1> -> tensor<?x0xui2>
  return
}

// -----

func.func @multi_threshold_result_shape(%acc: tensor<2x4xi32>, %t: tensor<4x3xi32>, %d: tensor<4xi1>) {
  // expected-error @+1 {{'bnn.multi_threshold' op result shape [2, 1, 4] must equal the accumulator shape [2, 4]}}
  %q = bnn.multi_threshold %acc, %t, %d : tensor<2x4xi32>, tensor<4x3xi32>, tensor<4xi1> -> tensor<2x1x4xui2>
  return
}

// -----

func.func @multi_threshold_thresholds_rows(%acc: tensor<1x2x2x4xi32>, %t: tensor<2x3xi32>, %d: tensor<4xi1>) {
  // expected-error @+1 {{'bnn.multi_threshold' op 'thresholds' must have 1 or 4 rows (the accumulator's last dimension), got type 'tensor<2x3xi32>'}}
  %q = bnn.multi_threshold %acc, %t, %d : tensor<1x2x2x4xi32>, tensor<2x3xi32>, tensor<4xi1> -> tensor<1x2x2x4xui2>
  return
}

// -----

func.func @multi_threshold_dynamic_rows(%acc: tensor<2x4xi32>, %t: tensor<?x3xi32>, %d: tensor<4xi1>) {
  // expected-error @+1 {{'bnn.multi_threshold' op 'thresholds' must have 1 or 4 rows (the accumulator's last dimension), got type 'tensor<?x3xi32>'}}
  %q = bnn.multi_threshold %acc, %t, %d : tensor<2x4xi32>, tensor<?x3xi32>, tensor<4xi1> -> tensor<2x4xui2>
  return
}

// -----

func.func @multi_threshold_directions_size(%acc: tensor<2x4xi32>, %t: tensor<1x3xi32>, %d: tensor<3xi1>) {
  // expected-error @+1 {{'bnn.multi_threshold' op 'directions' must have 1 or 4 elements (the accumulator's last dimension), got type 'tensor<3xi1>'}}
  %q = bnn.multi_threshold %acc, %t, %d : tensor<2x4xi32>, tensor<1x3xi32>, tensor<3xi1> -> tensor<2x4xui2>
  return
}

// -----

// ui2 holds the counts 0 .. 3: at most 3 thresholds per channel.
func.func @multi_threshold_too_many_columns(%acc: tensor<2x4xi32>, %t: tensor<4x4xi32>, %d: tensor<4xi1>) {
  // expected-error @+1 {{'bnn.multi_threshold' op 'thresholds' must have 1 to 3 columns (one per level above 0 of 'ui2'), got type 'tensor<4x4xi32>'}}
  %q = bnn.multi_threshold %acc, %t, %d : tensor<2x4xi32>, tensor<4x4xi32>, tensor<4xi1> -> tensor<2x4xui2>
  return
}

// -----

func.func @multi_threshold_no_columns(%acc: tensor<2x4xi32>, %t: tensor<4x0xi32>, %d: tensor<1xi1>) {
  // expected-error @+1 {{'bnn.multi_threshold' op 'thresholds' must have 1 to 255 columns (one per level above 0 of 'ui8'), got type 'tensor<4x0xi32>'}}
  %q = bnn.multi_threshold %acc, %t, %d : tensor<2x4xi32>, tensor<4x0xi32>, tensor<1xi1> -> tensor<2x4xui8>
  return
}

// -----

func.func @multi_threshold_dynamic_columns(%acc: tensor<2x4xi32>, %t: tensor<1x?xi32>, %d: tensor<1xi1>) {
  // expected-error @+1 {{'bnn.multi_threshold' op 'thresholds' must have 1 to 1 columns (one per level above 0 of 'ui1'), got type 'tensor<1x?xi32>'}}
  %q = bnn.multi_threshold %acc, %t, %d : tensor<2x4xi32>, tensor<1x?xi32>, tensor<1xi1> -> tensor<2x4xui1>
  return
}

// -----

func.func @requantize_scale_size(%acc: tensor<2x4xi32>, %s: tensor<5xf32>) {
  // expected-error @+1 {{'bnn.requantize' op 'scale' must have 1 or 4 elements (the accumulator's last dimension), got type 'tensor<5xf32>'}}
  %q = bnn.requantize %acc, %s : tensor<2x4xi32>, tensor<5xf32> -> tensor<2x4xi8>
  return
}

// -----

func.func @requantize_result_shape(%acc: tensor<2x4xi32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'bnn.requantize' op result shape [2, 4, 1] must equal the accumulator shape [2, 4]}}
  %q = bnn.requantize %acc, %s : tensor<2x4xi32>, tensor<4xf32> -> tensor<2x4x1xi8>
  return
}

// -----

func.func @requantize_output_zero_point_range(%acc: tensor<2x4xi32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'bnn.requantize' op 'output_zero_point' must lie in [-128, 127], got 128}}
  %q = bnn.requantize %acc, %s {output_zero_point = 128 : i64} : tensor<2x4xi32>, tensor<4xf32> -> tensor<2x4xi8>
  return
}

// -----

func.func @requantize_clamp_min_range(%acc: tensor<2x4xi32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'bnn.requantize' op 'clamp_min' must lie in [-128, 127], got -129}}
  %q = bnn.requantize %acc, %s {clamp_min = -129 : i64} : tensor<2x4xi32>, tensor<4xf32> -> tensor<2x4xi8>
  return
}

// -----

func.func @requantize_clamp_max_range(%acc: tensor<2x4xi32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'bnn.requantize' op 'clamp_max' must lie in [-128, 127], got 1000}}
  %q = bnn.requantize %acc, %s {clamp_max = 1000 : i64} : tensor<2x4xi32>, tensor<4xf32> -> tensor<2x4xi8>
  return
}

// -----

func.func @requantize_clamp_order(%acc: tensor<2x4xi32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'bnn.requantize' op 'clamp_min' (10) must not exceed 'clamp_max' (9)}}
  %q = bnn.requantize %acc, %s {clamp_min = 10 : i64, clamp_max = 9 : i64} : tensor<2x4xi32>, tensor<4xf32> -> tensor<2x4xi8>
  return
}

//===----------------------------------------------------------------------===//
// Quantize verifier
//===----------------------------------------------------------------------===//

// -----

func.func @quantize_rank0(%x: tensor<f32>, %s: tensor<1xf32>) {
  // expected-error @+1 {{'bnn.quantize' op requires an input of rank >= 1}}
  %q = bnn.quantize %x, %s : tensor<f32>, tensor<1xf32> -> tensor<i8>
  return
}

// -----

func.func @quantize_dynamic_input(%x: tensor<2x?xf32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'bnn.quantize' op requires a static input shape}}
  %q = bnn.quantize %x, %s : tensor<2x?xf32>, tensor<4xf32> -> tensor<2x?xi8>
  return
}

// -----

func.func @quantize_empty_input(%x: tensor<0x4xf32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'bnn.quantize' op requires a non-empty input, got shape [0, 4]}}
  %q = bnn.quantize %x, %s : tensor<0x4xf32>, tensor<4xf32> -> tensor<0x4xi8>
  return
}

// -----

func.func @quantize_result_shape(%x: tensor<2x4xf32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'bnn.quantize' op result shape [4, 2] must equal the input shape [2, 4]}}
  %q = bnn.quantize %x, %s : tensor<2x4xf32>, tensor<4xf32> -> tensor<4x2xui3>
  return
}

// -----

func.func @quantize_scale_size(%x: tensor<2x4xf32>, %s: tensor<2xf32>) {
  // expected-error @+1 {{'bnn.quantize' op 'scale' must have 1 or 4 elements (the input's last dimension), got type 'tensor<2xf32>'}}
  %q = bnn.quantize %x, %s : tensor<2x4xf32>, tensor<2xf32> -> tensor<2x4xi8>
  return
}

// -----

func.func @quantize_dynamic_scale(%x: tensor<2x4xf32>, %s: tensor<?xf32>) {
  // expected-error @+1 {{'bnn.quantize' op 'scale' must have 1 or 4 elements (the input's last dimension), got type 'tensor<?xf32>'}}
  %q = bnn.quantize %x, %s : tensor<2x4xf32>, tensor<?xf32> -> tensor<2x4xi8>
  return
}

// -----

func.func @quantize_zero_point_i8(%x: tensor<2x4xf32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'bnn.quantize' op 'zero_point' must lie in [-128, 127] (the range of 'i8'), got 128}}
  %q = bnn.quantize %x, %s {zero_point = 128 : i64} : tensor<2x4xf32>, tensor<4xf32> -> tensor<2x4xi8>
  return
}

// -----

func.func @quantize_zero_point_unsigned(%x: tensor<2x4xf32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'bnn.quantize' op 'zero_point' must lie in [0, 3] (the range of 'ui2'), got -1}}
  %q = bnn.quantize %x, %s {zero_point = -1 : i64} : tensor<2x4xf32>, tensor<4xf32> -> tensor<2x4xui2>
  return
}

// -----

func.func @quantize_clamp_min_range(%x: tensor<2x4xf32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'bnn.quantize' op 'clamp_min' must lie in [0, 255] (the range of 'ui8'), got -128}}
  %q = bnn.quantize %x, %s {clamp_min = -128 : i64} : tensor<2x4xf32>, tensor<4xf32> -> tensor<2x4xui8>
  return
}

// -----

func.func @quantize_clamp_max_range(%x: tensor<2x4xf32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'bnn.quantize' op 'clamp_max' must lie in [0, 1] (the range of 'ui1'), got 2}}
  %q = bnn.quantize %x, %s {clamp_max = 2 : i64} : tensor<2x4xf32>, tensor<4xf32> -> tensor<2x4xui1>
  return
}

// -----

func.func @quantize_clamp_order(%x: tensor<2x4xf32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'bnn.quantize' op 'clamp_min' (10) must not exceed 'clamp_max' (9)}}
  %q = bnn.quantize %x, %s {clamp_min = 10 : i64, clamp_max = 9 : i64} : tensor<2x4xf32>, tensor<4xf32> -> tensor<2x4xi8>
  return
}

// -----

func.func @quantize_clamp_order_unsigned(%x: tensor<2x4xf32>, %s: tensor<4xf32>) {
  // expected-error @+1 {{'bnn.quantize' op 'clamp_min' (5) must not exceed 'clamp_max' (4)}}
  %q = bnn.quantize %x, %s {clamp_min = 5 : i64, clamp_max = 4 : i64} : tensor<2x4xf32>, tensor<4xf32> -> tensor<2x4xui3>
  return
}

//===----------------------------------------------------------------------===//
// Max-pool verifier
//===----------------------------------------------------------------------===//

// -----

func.func @max_pool_zero_kernel(%a: tensor<1x8x8x64xi1>) {
  // expected-error @+1 {{'bnn.binary_max_pool2d' op 'kernel' entries must be >= 1, got [0, 2]}}
  %p = bnn.binary_max_pool2d %a {kernel = array<i64: 0, 2>} : tensor<1x8x8x64xi1> -> tensor<1x8x7x64xi1>
  return
}

// -----

func.func @max_pool_zero_stride(%a: tensor<1x8x8x64xi1>) {
  // expected-error @+1 {{'bnn.binary_max_pool2d' op 'strides' entries must be >= 1, got [0, 0]}}
  %p = bnn.binary_max_pool2d %a {kernel = array<i64: 2, 2>, strides = array<i64: 0, 0>} : tensor<1x8x8x64xi1> -> tensor<1x4x4x64xi1>
  return
}

// -----

func.func @max_pool_negative_padding(%a: tensor<1x8x8x64xi1>) {
  // expected-error @+1 {{'bnn.binary_max_pool2d' op 'padding' entries must be >= 0, got [0, 0, 0, -1]}}
  %p = bnn.binary_max_pool2d %a {kernel = array<i64: 2, 2>, padding = array<i64: 0, 0, 0, -1>} : tensor<1x8x8x64xi1> -> tensor<1x7x7x64xi1>
  return
}

// -----

func.func @max_pool_dynamic_input(%a: tensor<1x?x8x64xi1>) {
  // expected-error @+1 {{'bnn.binary_max_pool2d' op requires a static input shape}}
  %p = bnn.binary_max_pool2d %a {kernel = array<i64: 2, 2>} : tensor<1x?x8x64xi1> -> tensor<1x7x7x64xi1>
  return
}

// -----

func.func @max_pool_empty_input(%a: tensor<1x8x8x0xi1>) {
  // expected-error @+1 {{'bnn.binary_max_pool2d' op requires a non-empty input, got shape [1, 8, 8, 0]}}
  %p = bnn.binary_max_pool2d %a {kernel = array<i64: 2, 2>} : tensor<1x8x8x0xi1> -> tensor<1x7x7x0xi1>
  return
}

// -----

func.func @max_pool_dynamic_result(%a: tensor<1x8x8x64xi1>) {
  // expected-error @+1 {{'bnn.binary_max_pool2d' op requires a static result shape}}
  %p = bnn.binary_max_pool2d %a {kernel = array<i64: 2, 2>} : tensor<1x8x8x64xi1> -> tensor<1x7x?x64xi1>
  return
}

// -----

func.func @max_pool_empty_result(%a: tensor<1x8x8x64xi1>) {
  // expected-error @+1 {{'bnn.binary_max_pool2d' op requires a non-empty result, got shape [0, 7, 7, 64]}}
  %p = bnn.binary_max_pool2d %a {kernel = array<i64: 2, 2>} : tensor<1x8x8x64xi1> -> tensor<0x7x7x64xi1>
  return
}

// -----

func.func @max_pool_padding_equals_kernel(%a: tensor<1x8x8x64xi1>) {
  // expected-error @+1 {{'bnn.binary_max_pool2d' op padding [0, 0, 2, 0] must be smaller than the 3x2 kernel in each dimension}}
  %p = bnn.binary_max_pool2d %a {kernel = array<i64: 3, 2>, padding = array<i64: 0, 0, 2, 0>} : tensor<1x8x8x64xi1> -> tensor<1x6x9x64xi1>
  return
}

// -----

func.func @max_pool_bottom_padding_exceeds_kernel(%a: tensor<1x8x8x64xi1>) {
  // expected-error @+1 {{'bnn.binary_max_pool2d' op padding [0, 5, 0, 0] must be smaller than the 2x2 kernel in each dimension}}
  %p = bnn.binary_max_pool2d %a {kernel = array<i64: 2, 2>, padding = array<i64: 0, 5, 0, 0>} : tensor<1x8x8x64xi1> -> tensor<1x12x7x64xi1>
  return
}

// -----

func.func @max_pool_window_does_not_fit(%a: tensor<1x2x8x64xi1>) {
  // expected-error @+1 {{'bnn.binary_max_pool2d' op 4x2 window does not fit the 3x8 padded input}}
  %p = bnn.binary_max_pool2d %a {kernel = array<i64: 4, 2>, padding = array<i64: 1, 0, 0, 0>} : tensor<1x2x8x64xi1> -> tensor<1x1x7x64xi1>
  return
}

// -----

func.func @max_pool_result_shape(%a: tensor<1x8x8x64xi1>) {
  // expected-error @+1 {{'bnn.binary_max_pool2d' op result shape [1, 8, 8, 64] does not match the expected shape [1, 4, 4, 64]}}
  %p = bnn.binary_max_pool2d %a {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x8x64xi1> -> tensor<1x8x8x64xi1>
  return
}

// -----

// Window attributes are bounded so that no shape computation can overflow.
func.func @conv_padding_too_large(%a: tensor<1x4x4x1xi1>, %w: tensor<1x1x1x1xi1>) {
  // expected-error @+1 {{'bnn.binary_conv2d' op 'padding' entries must be <= 1073741824, got [9223372036854775807, 9223372036854775807, 0, 0]}}
  %r = bnn.binary_conv2d %a, %w {padding = array<i64: 9223372036854775807, 9223372036854775807, 0, 0>} : tensor<1x4x4x1xi1>, tensor<1x1x1x1xi1> -> tensor<1x2x4x1xi32>
  return
}

// -----

func.func @conv_dilation_too_large(%a: tensor<1x4x4x1xi1>, %w: tensor<1x3x1x1xi1>) {
  // expected-error @+1 {{'bnn.binary_conv2d' op 'dilations' entries must be <= 1073741824, got [4611686018427387904, 1]}}
  %r = bnn.binary_conv2d %a, %w {dilations = array<i64: 4611686018427387904, 1>} : tensor<1x4x4x1xi1>, tensor<1x3x1x1xi1> -> tensor<1x1x4x1xi32>
  return
}

// -----

func.func @pool_stride_too_large(%a: tensor<1x4x4x1xi1>) {
  // expected-error @+1 {{'bnn.binary_max_pool2d' op 'strides' entries must be <= 1073741824, got [2147483648, 1]}}
  %r = bnn.binary_max_pool2d %a {kernel = array<i64: 1, 1>, strides = array<i64: 2147483648, 1>} : tensor<1x4x4x1xi1> -> tensor<1x1x4x1xi1>
  return
}

// -----

func.func @pack_wrong_word_count(%b: tensor<2x65xi1>) {
  // expected-error @+1 {{'bnn.pack' op result shape [2, 1] does not match the expected shape [2, 2] (64 channels per word)}}
  %p = bnn.pack %b : tensor<2x65xi1> -> tensor<2x1xi64>
  return
}

// -----

func.func @pack_wrong_word_count_i32(%b: tensor<2x65xi1>) {
  // expected-error @+1 {{'bnn.pack' op result shape [2, 2] does not match the expected shape [2, 3] (32 channels per word)}}
  %p = bnn.pack %b : tensor<2x65xi1> -> tensor<2x2xi32>
  return
}

// -----

func.func @pack_word_type(%b: tensor<2x8xi1>) {
  // expected-error @+1 {{'bnn.pack' op result #0 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values}}
  %p = bnn.pack %b : tensor<2x8xi1> -> tensor<2x1xi16>
  return
}

// -----

func.func @pack_rank0(%b: tensor<i1>) {
  // expected-error @+1 {{'bnn.pack' op requires an input of rank >= 1}}
  %p = bnn.pack %b : tensor<i1> -> tensor<i64>
  return
}

// -----

func.func @pack_not_binary(%b: tensor<2x8xi8>) {
  // expected-error @+1 {{'bnn.pack' op operand #0 must be ranked tensor of 1-bit signless integer values}}
  %p = bnn.pack %b : tensor<2x8xi8> -> tensor<2x1xi64>
  return
}

// -----

func.func @bitplane_out_of_range(%x: tensor<4xui3>) {
  // expected-error @+1 {{'bnn.bitplane' op 'bit' must lie in [0, 3) for 'ui3' elements, got 3}}
  %p = bnn.bitplane %x {bit = 3 : i64} : tensor<4xui3> -> tensor<4xi1>
  return
}

// -----

func.func @bitplane_negative(%x: tensor<4xui3>) {
  // expected-error @+1 {{'bnn.bitplane' op 'bit' must lie in [0, 3) for 'ui3' elements, got -1}}
  %p = bnn.bitplane %x {bit = -1 : i64} : tensor<4xui3> -> tensor<4xi1>
  return
}

// -----

// expected-error @+1 {{register block sizes must be positive, got 0 pixels and 4 channels}}
func.func @register_block_empty() attributes {bnn.register_block = #bnn.register_block<pixels = 0, channels = 4>} {
  return
}
