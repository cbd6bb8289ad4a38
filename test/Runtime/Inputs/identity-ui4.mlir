// The `identity` entry of fixture.c with a ui4 third argument, for bnn-interp.
func.func @identity(%a: tensor<2x3xf32>, %b: tensor<4xi1>, %c: tensor<5xui4>,
                    %d: tensor<3xi8>, %e: tensor<2xi32>)
    -> (tensor<2x3xf32>, tensor<4xi1>, tensor<5xui4>, tensor<3xi8>,
        tensor<2xi32>) {
  return %a, %b, %c, %d, %e
      : tensor<2x3xf32>, tensor<4xi1>, tensor<5xui4>, tensor<3xi8>,
        tensor<2xi32>
}
