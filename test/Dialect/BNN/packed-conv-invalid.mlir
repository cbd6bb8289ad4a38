// RUN: bnn-opt %s --split-input-file --verify-diagnostics

// Every rule of the bnn.packed_conv verifier, one case each.

func.func @mixed(%a: tensor<1x1x6x6x1x1xi64>, %w: memref<1x1x3x3x1x4xi64>, %acc: tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32> {
  // expected-error @+1 {{requires operands that are all tensors or all memrefs}}
  %r = bnn.packed_conv <xor> ins(%a, %w : tensor<1x1x6x6x1x1xi64>, memref<1x1x3x3x1x4xi64>) outs(%acc : tensor<1x4x4x4xi32>) strides = [1, 1] dilations = [1, 1] -> tensor<1x4x4x4xi32>
  return %r : tensor<1x4x4x4xi32>
}

// -----

func.func @no_result(%a: tensor<1x1x6x6x1x1xi64>, %w: tensor<1x1x3x3x1x4xi64>, %acc: tensor<1x4x4x4xi32>) {
  // expected-error @+1 {{requires one result on tensors and none on memrefs}}
  bnn.packed_conv <xor> ins(%a, %w : tensor<1x1x6x6x1x1xi64>, tensor<1x1x3x3x1x4xi64>) outs(%acc : tensor<1x4x4x4xi32>) strides = [1, 1] dilations = [1, 1]
  return
}

// -----

func.func @result_type(%a: tensor<1x1x6x6x1x1xi64>, %w: tensor<1x1x3x3x1x4xi64>, %acc: tensor<1x4x4x4xi32>) -> tensor<1x4x4x8xi32> {
  // expected-error @+1 {{result type 'tensor<1x4x4x8xi32>' differs from the accumulators' 'tensor<1x4x4x4xi32>'}}
  %r = bnn.packed_conv <xor> ins(%a, %w : tensor<1x1x6x6x1x1xi64>, tensor<1x1x3x3x1x4xi64>) outs(%acc : tensor<1x4x4x4xi32>) strides = [1, 1] dilations = [1, 1] -> tensor<1x4x4x8xi32>
  return %r : tensor<1x4x4x8xi32>
}

// -----

func.func @element_type(%a: tensor<1x1x6x6x1x1xi16>, %w: tensor<1x1x3x3x1x4xi64>, %acc: tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32> {
  // expected-error @+1 {{operand #0 must be}}
  %r = bnn.packed_conv <xor> ins(%a, %w : tensor<1x1x6x6x1x1xi16>, tensor<1x1x3x3x1x4xi64>) outs(%acc : tensor<1x4x4x4xi32>) strides = [1, 1] dilations = [1, 1] -> tensor<1x4x4x4xi32>
  return %r : tensor<1x4x4x4xi32>
}

// -----

func.func @popcount_words_mixed(%a: tensor<1x1x6x6x1x1xi32>, %w: tensor<1x1x3x3x1x4xi64>, %acc: tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32> {
  // expected-error @+1 {{requires i64 or i32 words, the same for input and filter, for term xor}}
  %r = bnn.packed_conv <xor> ins(%a, %w : tensor<1x1x6x6x1x1xi32>, tensor<1x1x3x3x1x4xi64>) outs(%acc : tensor<1x4x4x4xi32>) strides = [1, 1] dilations = [1, 1] -> tensor<1x4x4x4xi32>
  return %r : tensor<1x4x4x4xi32>
}

// -----

func.func @bitserial_words(%a: tensor<2x1x6x6x1x1xi32>, %w: tensor<1x1x3x3x1x4xi32>, %acc: tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32> {
  // expected-error @+1 {{requires i64 words, the same for input and filter, for term signed_weights}}
  %r = bnn.packed_conv <signed_weights> ins(%a, %w : tensor<2x1x6x6x1x1xi32>, tensor<1x1x3x3x1x4xi32>) outs(%acc : tensor<1x4x4x4xi32>) strides = [1, 1] dilations = [1, 1] -> tensor<1x4x4x4xi32>
  return %r : tensor<1x4x4x4xi32>
}

// -----

func.func @byte_dot_words(%a: tensor<1x1x6x6x1x1xi64>, %w: tensor<1x1x3x3x1x4xi64>, %acc: tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32> {
  // expected-error @+1 {{requires i32 words, the same for input and filter, for term byte_dot}}
  %r = bnn.packed_conv <byte_dot> ins(%a, %w : tensor<1x1x6x6x1x1xi64>, tensor<1x1x3x3x1x4xi64>) outs(%acc : tensor<1x4x4x4xi32>) strides = [1, 1] dilations = [1, 1] -> tensor<1x4x4x4xi32>
  return %r : tensor<1x4x4x4xi32>
}

// -----

func.func @byte_dot_planes(%a: tensor<2x1x6x6x1x1xi32>, %w: tensor<1x1x3x3x1x4xi32>, %acc: tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32> {
  // expected-error @+1 {{input planes and 1 (one for this term) differ: 2 vs 1}}
  %r = bnn.packed_conv <byte_dot> ins(%a, %w : tensor<2x1x6x6x1x1xi32>, tensor<1x1x3x3x1x4xi32>) outs(%acc : tensor<1x4x4x4xi32>) strides = [1, 1] dilations = [1, 1] -> tensor<1x4x4x4xi32>
  return %r : tensor<1x4x4x4xi32>
}

// -----

func.func @stride(%a: tensor<1x1x6x6x1x1xi64>, %w: tensor<1x1x3x3x1x4xi64>, %acc: tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32> {
  // expected-error @+1 {{requires positive strides and dilations}}
  %r = bnn.packed_conv <xor> ins(%a, %w : tensor<1x1x6x6x1x1xi64>, tensor<1x1x3x3x1x4xi64>) outs(%acc : tensor<1x4x4x4xi32>) strides = [0, 1] dilations = [1, 1] -> tensor<1x4x4x4xi32>
  return %r : tensor<1x4x4x4xi32>
}

// -----

func.func @words(%a: tensor<1x1x6x6x1x2xi64>, %w: tensor<1x1x3x3x1x4xi64>, %acc: tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32> {
  // expected-error @+1 {{words of input and filter differ: 2 vs 1}}
  %r = bnn.packed_conv <xor> ins(%a, %w : tensor<1x1x6x6x1x2xi64>, tensor<1x1x3x3x1x4xi64>) outs(%acc : tensor<1x4x4x4xi32>) strides = [1, 1] dilations = [1, 1] -> tensor<1x4x4x4xi32>
  return %r : tensor<1x4x4x4xi32>
}

// -----

func.func @groups(%a: tensor<1x1x6x6x2x1xi64>, %w: tensor<1x1x3x3x1x4xi64>, %acc: tensor<1x4x4x2x4xi32>) -> tensor<1x4x4x2x4xi32> {
  // expected-error @+1 {{groups of input and filter differ: 2 vs 1}}
  %r = bnn.packed_conv <xor> ins(%a, %w : tensor<1x1x6x6x2x1xi64>, tensor<1x1x3x3x1x4xi64>) outs(%acc : tensor<1x4x4x2x4xi32>) strides = [1, 1] dilations = [1, 1] -> tensor<1x4x4x2x4xi32>
  return %r : tensor<1x4x4x2x4xi32>
}

// -----

func.func @group_dim(%a: tensor<1x1x6x6x2x1xi64>, %w: tensor<1x2x3x3x1x4xi64>, %acc: tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32> {
  // expected-error @+1 {{groups of input and accumulators without a group dimension differ: 2 vs 1}}
  %r = bnn.packed_conv <xor> ins(%a, %w : tensor<1x1x6x6x2x1xi64>, tensor<1x2x3x3x1x4xi64>) outs(%acc : tensor<1x4x4x4xi32>) strides = [1, 1] dilations = [1, 1] -> tensor<1x4x4x4xi32>
  return %r : tensor<1x4x4x4xi32>
}

// -----

func.func @batch(%a: tensor<1x2x6x6x1x1xi64>, %w: tensor<1x1x3x3x1x4xi64>, %acc: tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32> {
  // expected-error @+1 {{batch of input and accumulators differ: 2 vs 1}}
  %r = bnn.packed_conv <xor> ins(%a, %w : tensor<1x2x6x6x1x1xi64>, tensor<1x1x3x3x1x4xi64>) outs(%acc : tensor<1x4x4x4xi32>) strides = [1, 1] dilations = [1, 1] -> tensor<1x4x4x4xi32>
  return %r : tensor<1x4x4x4xi32>
}

// -----

func.func @channels(%a: tensor<1x1x6x6x1x1xi64>, %w: tensor<1x1x3x3x1x4xi64>, %acc: tensor<1x4x4x8xi32>) -> tensor<1x4x4x8xi32> {
  // expected-error @+1 {{output channels of filter and accumulators differ: 4 vs 8}}
  %r = bnn.packed_conv <xor> ins(%a, %w : tensor<1x1x6x6x1x1xi64>, tensor<1x1x3x3x1x4xi64>) outs(%acc : tensor<1x4x4x8xi32>) strides = [1, 1] dilations = [1, 1] -> tensor<1x4x4x8xi32>
  return %r : tensor<1x4x4x8xi32>
}

// -----

func.func @xor_planes(%a: tensor<2x1x6x6x1x1xi64>, %w: tensor<1x1x3x3x1x4xi64>, %acc: tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32> {
  // expected-error @+1 {{input planes and 1 (one for this term) differ: 2 vs 1}}
  %r = bnn.packed_conv <xor> ins(%a, %w : tensor<2x1x6x6x1x1xi64>, tensor<1x1x3x3x1x4xi64>) outs(%acc : tensor<1x4x4x4xi32>) strides = [1, 1] dilations = [1, 1] -> tensor<1x4x4x4xi32>
  return %r : tensor<1x4x4x4xi32>
}

// -----

func.func @signed_planes(%a: tensor<2x1x6x6x1x1xi64>, %w: tensor<2x1x3x3x1x4xi64>, %acc: tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32> {
  // expected-error @+1 {{filter planes and 1 (one for this term) differ: 2 vs 1}}
  %r = bnn.packed_conv <signed_weights> ins(%a, %w : tensor<2x1x6x6x1x1xi64>, tensor<2x1x3x3x1x4xi64>) outs(%acc : tensor<1x4x4x4xi32>) strides = [1, 1] dilations = [1, 1] -> tensor<1x4x4x4xi32>
  return %r : tensor<1x4x4x4xi32>
}

// -----

func.func @out_of_bounds(%a: tensor<1x1x6x6x1x1xi64>, %w: tensor<1x1x3x3x1x4xi64>, %acc: tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32> {
  // expected-error @+1 {{rows: the last tap 8 is out of the input's 6}}
  %r = bnn.packed_conv <xor> ins(%a, %w : tensor<1x1x6x6x1x1xi64>, tensor<1x1x3x3x1x4xi64>) outs(%acc : tensor<1x4x4x4xi32>) strides = [2, 1] dilations = [1, 1] -> tensor<1x4x4x4xi32>
  return %r : tensor<1x4x4x4xi32>
}

// -----

func.func @overflow(%a: tensor<1x1x6x6x1x1xi64>, %w: tensor<1x1x3x3x1x4xi64>, %acc: tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32> {
  // expected-error @+1 {{columns: the last tap overflows 64 bits}}
  %r = bnn.packed_conv <xor> ins(%a, %w : tensor<1x1x6x6x1x1xi64>, tensor<1x1x3x3x1x4xi64>) outs(%acc : tensor<1x4x4x4xi32>) strides = [1, 4611686018427387904] dilations = [1, 1] -> tensor<1x4x4x4xi32>
  return %r : tensor<1x4x4x4xi32>
}

// -----

func.func @register_block(%a: tensor<1x1x6x6x1x1xi64>, %w: tensor<1x1x3x3x1x4xi64>, %acc: tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32> {
  // expected-error @+1 {{#bnn.register_block<pixels = 3, channels = 4> does not divide the 4 output columns and 4 output channels per group}}
  %r = bnn.packed_conv <xor> ins(%a, %w : tensor<1x1x6x6x1x1xi64>, tensor<1x1x3x3x1x4xi64>) outs(%acc : tensor<1x4x4x4xi32>) strides = [1, 1] dilations = [1, 1] {register_block = #bnn.register_block<pixels = 3, channels = 4>} -> tensor<1x4x4x4xi32>
  return %r : tensor<1x4x4x4xi32>
}

// -----

func.func @register_block_sizes(%a: tensor<1x1x6x6x1x1xi64>, %w: tensor<1x1x3x3x1x4xi64>, %acc: tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32> {
  // expected-error @+1 {{register block sizes must be positive, got 0 pixels and 4 channels}}
  %r = bnn.packed_conv <xor> ins(%a, %w : tensor<1x1x6x6x1x1xi64>, tensor<1x1x3x3x1x4xi64>) outs(%acc : tensor<1x4x4x4xi32>) strides = [1, 1] dilations = [1, 1] {register_block = #bnn.register_block<pixels = 0, channels = 4>} -> tensor<1x4x4x4xi32>
  return %r : tensor<1x4x4x4xi32>
}
