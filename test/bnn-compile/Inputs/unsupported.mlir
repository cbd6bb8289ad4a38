// tosa.custom names an operator outside TOSA: nothing can lower it.
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = tosa.custom %x {operator_name = "my_op", domain_name = "ext", implementation_attrs = ""} : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
