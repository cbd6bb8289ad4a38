// One binary 3x3 convolution (8x8 pixels, 64 -> 16 channels).
func.func @main(%x: tensor<1x8x8x64xi1>) -> tensor<1x8x8x16xi32> {
  %w = arith.constant dense<true> : tensor<16x3x3x64xi1>
  %r = bnn.binary_conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>, pad_value = #bnn.pad_value<plus_one>} : tensor<1x8x8x64xi1>, tensor<16x3x3x64xi1> -> tensor<1x8x8x16xi32>
  return %r : tensor<1x8x8x16xi32>
}
