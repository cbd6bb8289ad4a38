// The artifact bnn-abi-fuzzer calls: every element type of the ABI, a
// rank-0 tensor, several results and a dynamic batch.
func.func @mixed(%a: tensor<2x3xf32>, %b: tensor<4xi8>, %c: tensor<i32>, %d: tensor<3xui8>) -> (tensor<2x3xf32>, tensor<4xi32>, tensor<i32>) {
  %0 = tosa.add %a, %a : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = tosa.cast %b : (tensor<4xi8>) -> tensor<4xi32>
  %2 = arith.addi %c, %c : tensor<i32>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<4xi32>, tensor<i32>
}

func.func @batch(%x: tensor<?x3x3x70xi1>) -> tensor<?x3x3x5xi32> {
  %w = arith.constant dense<true> : tensor<5x3x3x70xi1>
  %r = bnn.binary_conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>, pad_value = #bnn.pad_value<minus_one>} : tensor<?x3x3x70xi1>, tensor<5x3x3x70xi1> -> tensor<?x3x3x5xi32>
  return %r : tensor<?x3x3x5xi32>
}
