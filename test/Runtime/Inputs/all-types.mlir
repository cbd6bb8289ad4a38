// Every element type of --random-inputs, in larger tensors, for bnn-interp.
func.func @all(%a: tensor<16x16xf32>, %b: tensor<64xi1>, %c: tensor<64xui1>,
               %d: tensor<64xui4>, %e: tensor<64xui8>, %f: tensor<64xi8>,
               %g: tensor<64xi32>, %h: tensor<64xi64>)
    -> (tensor<16x16xf32>, tensor<64xi1>, tensor<64xui1>, tensor<64xui4>,
        tensor<64xui8>, tensor<64xi8>, tensor<64xi32>, tensor<64xi64>) {
  return %a, %b, %c, %d, %e, %f, %g, %h
      : tensor<16x16xf32>, tensor<64xi1>, tensor<64xui1>, tensor<64xui4>,
        tensor<64xui8>, tensor<64xi8>, tensor<64xi32>, tensor<64xi64>
}
