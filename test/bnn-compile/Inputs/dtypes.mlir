// One public function per element type the runtime ABI accepts, a private
// function and an external declaration (neither is an entry point).
func.func @floats(%a: tensor<1x2x3xf32>, %b: tensor<f32>) -> tensor<1x2x3xf32> {
  return %a : tensor<1x2x3xf32>
}
func.func @binary(%a: tensor<8xi1>) -> (tensor<8xi1>, tensor<2xi32>) {
  %c = arith.constant dense<[1, 2]> : tensor<2xi32>
  return %a, %c : tensor<8xi1>, tensor<2xi32>
}
func.func @lowbit(%a: tensor<3xui4>, %b: tensor<3xui8>, %c: tensor<3xi8>) -> tensor<3xi8> {
  return %c : tensor<3xi8>
}
func.func @noinputs() -> tensor<2xf32> {
  %c = arith.constant dense<1.0> : tensor<2xf32>
  return %c : tensor<2xf32>
}
func.func private @helper(%a: tensor<4xf32>) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}
