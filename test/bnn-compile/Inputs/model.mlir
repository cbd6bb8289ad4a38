// A small float model in upstream dialects: clamp(x + y + bias, 0, 6) with a
// constant bias, plus an integer entry and a private helper.
module @model {
  func.func @main(%x: tensor<2x3xf32>, %y: tensor<2x3xf32>) -> tensor<2x3xf32> {
    %bias = "tosa.const"() {values = dense<[[0.5, -1.0, 2.0]]> : tensor<1x3xf32>} : () -> tensor<1x3xf32>
    %0 = tosa.add %x, %y : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
    %1 = tosa.add %0, %bias : (tensor<2x3xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
    %2 = tosa.clamp %1 {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
    return %2 : tensor<2x3xf32>
  }

  func.func @twice(%x: tensor<4xi32>) -> tensor<4xi32> {
    %0 = call @double(%x) : (tensor<4xi32>) -> tensor<4xi32>
    return %0 : tensor<4xi32>
  }

  func.func private @double(%x: tensor<4xi32>) -> tensor<4xi32> {
    %0 = arith.addi %x, %x : tensor<4xi32>
    return %0 : tensor<4xi32>
  }
}
