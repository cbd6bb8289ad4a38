// Requantization where many products are exact ties (x.5).
// diff-random-inputs: 1 2 3

// requantize of odd accumulators (K = 7) by [0.5]: round half to even; zero point 0, clamp [-128, 127]
func.func @ties_dense_k7(%a0: tensor<4x7xi1>) -> tensor<4x4xi8> {
  %w = arith.constant dense<[[0, 0, 0, 0, 1, 1, 1], [1, 0, 1, 0, 0, 1, 0], [0, 1, 0, 1, 1, 0, 1], [0, 1, 0, 0, 1, 1, 1]]> : tensor<4x7xi1>
  %s = arith.constant dense<[0.5]> : tensor<1xf32>
  %acc = bnn.binary_dense %a0, %w : tensor<4x7xi1>, tensor<4x7xi1> -> tensor<4x4xi32>
  %r = bnn.requantize %acc, %s {output_zero_point = 0 : i64, clamp_min = -128 : i64, clamp_max = 127 : i64} : tensor<4x4xi32>, tensor<1xf32> -> tensor<4x4xi8>
  return %r : tensor<4x4xi8>
}

// requantize of odd accumulators (K = 9) by [0.5, 1.5, 2.5, -0.5]: round half to even; zero point 3, clamp [-128, 127]
func.func @ties_dense_k9(%a0: tensor<4x9xi1>) -> tensor<4x4xi8> {
  %w = arith.constant dense<[[0, 1, 0, 0, 0, 0, 1, 1, 0], [0, 0, 0, 0, 1, 0, 0, 0, 0], [0, 0, 0, 0, 1, 1, 1, 0, 1], [1, 0, 1, 0, 1, 1, 0, 1, 1]]> : tensor<4x9xi1>
  %s = arith.constant dense<[0.5, 1.5, 2.5, -0.5]> : tensor<4xf32>
  %acc = bnn.binary_dense %a0, %w : tensor<4x9xi1>, tensor<4x9xi1> -> tensor<4x4xi32>
  %r = bnn.requantize %acc, %s {output_zero_point = 3 : i64, clamp_min = -128 : i64, clamp_max = 127 : i64} : tensor<4x4xi32>, tensor<4xf32> -> tensor<4x4xi8>
  return %r : tensor<4x4xi8>
}

// requantize of odd accumulators (K = 65) by [0.25, 0.5, 0.125, 0.75]: round half to even; zero point -128, clamp [-128, 127]
func.func @ties_dense_k65(%a0: tensor<4x65xi1>) -> tensor<4x4xi8> {
  %w = arith.constant dense<[[0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1, 0, 0, 1, 1, 1, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0], [0, 0, 1, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0], [0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 1, 1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 0, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0, 0]]> : tensor<4x65xi1>
  %s = arith.constant dense<[0.25, 0.5, 0.125, 0.75]> : tensor<4xf32>
  %acc = bnn.binary_dense %a0, %w : tensor<4x65xi1>, tensor<4x65xi1> -> tensor<4x4xi32>
  %r = bnn.requantize %acc, %s {output_zero_point = -128 : i64, clamp_min = -128 : i64, clamp_max = 127 : i64} : tensor<4x4xi32>, tensor<4xf32> -> tensor<4x4xi8>
  return %r : tensor<4x4xi8>
}

// requantize of odd accumulators (K = 5) by [0.5]: round half to even; zero point 127, clamp [120, 127]
func.func @ties_dense_k5(%a0: tensor<4x5xi1>) -> tensor<4x4xi8> {
  %w = arith.constant dense<[[1, 0, 0, 0, 1], [0, 1, 1, 0, 0], [1, 0, 1, 0, 1], [1, 1, 1, 1, 1]]> : tensor<4x5xi1>
  %s = arith.constant dense<[0.5]> : tensor<1xf32>
  %acc = bnn.binary_dense %a0, %w : tensor<4x5xi1>, tensor<4x5xi1> -> tensor<4x4xi32>
  %r = bnn.requantize %acc, %s {output_zero_point = 127 : i64, clamp_min = 120 : i64, clamp_max = 127 : i64} : tensor<4x4xi32>, tensor<1xf32> -> tensor<4x4xi8>
  return %r : tensor<4x4xi8>
}

// diff-npy-inputs: 0 0 acc:100
// requantize of small integers by [0.5]: every odd product is a tie
func.func @ties_i32_s1(%a0: tensor<3x11x9xi32>) -> tensor<3x11x9xi8> {
  %s = arith.constant dense<[0.5]> : tensor<1xf32>
  %r = bnn.requantize %a0, %s {output_zero_point = -1 : i64} : tensor<3x11x9xi32>, tensor<1xf32> -> tensor<3x11x9xi8>
  return %r : tensor<3x11x9xi8>
}

// diff-npy-inputs: 0 0 acc:100
// requantize of small integers by [0.5, 0.25, 1.5, -0.5, 0.125, 2.5, 0.375]: every odd product is a tie
func.func @ties_i32_s7(%a0: tensor<3x11x7xi32>) -> tensor<3x11x7xi8> {
  %s = arith.constant dense<[0.5, 0.25, 1.5, -0.5, 0.125, 2.5, 0.375]> : tensor<7xf32>
  %r = bnn.requantize %a0, %s {output_zero_point = -1 : i64} : tensor<3x11x7xi32>, tensor<7xf32> -> tensor<3x11x7xi8>
  return %r : tensor<3x11x7xi8>
}

// bit-serial dense then requantize by 0.5 with a ReLU clamp
func.func @ties_bitserial_relu(%a0: tensor<5x3xui2>) -> tensor<5x6xi8> {
  %w = arith.constant dense<[[2, 0, 2], [1, 2, 1], [2, 2, 3], [0, 3, 3], [3, 2, 3], [0, 1, 2]]> : tensor<6x3xui2>
  %s = arith.constant dense<[0.5]> : tensor<1xf32>
  %acc = bnn.bitserial_dense %a0, %w : tensor<5x3xui2>, tensor<6x3xui2> -> tensor<5x6xi32>
  %r = bnn.requantize %acc, %s {clamp_min = 0 : i64} : tensor<5x6xi32>, tensor<1xf32> -> tensor<5x6xi8>
  return %r : tensor<5x6xi8>
}
