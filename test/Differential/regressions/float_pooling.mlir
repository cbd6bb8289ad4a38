// Float pooling of the glue, vectorized by bnn-vectorize-float-conv
// (tiles of one output row, 1-D pooling): max pooling with -inf padding as
// a stem has it (3x3 stride 2, SAME), average pooling with and without
// padding; special floats (NaN, infinities, -0) in the inputs.

// diff-npy-inputs: 3 0 special_f32
func.func @max_pool_stem(%x: tensor<1x14x14x48xf32>) -> tensor<1x7x7x48xf32> {
  %r = tosa.max_pool2d %x {kernel = array<i64: 3, 3>, pad = array<i64: 0, 1, 0, 1>, stride = array<i64: 2, 2>} : (tensor<1x14x14x48xf32>) -> tensor<1x7x7x48xf32>
  return %r : tensor<1x7x7x48xf32>
}

// diff-npy-inputs: 4 0 special_f32
func.func @max_pool_odd_channels(%x: tensor<2x9x11x5xf32>) -> tensor<2x7x9x5xf32> {
  %r = tosa.max_pool2d %x {kernel = array<i64: 3, 3>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<2x9x11x5xf32>) -> tensor<2x7x9x5xf32>
  return %r : tensor<2x7x9x5xf32>
}

// diff-random-inputs: 1 2
func.func @avg_pool_padded(%x: tensor<1x8x8x40xf32>) -> tensor<1x8x8x40xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %r = tosa.avg_pool2d %x, %zp, %zp {acc_type = f32, kernel = array<i64: 3, 3>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x8x8x40xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x40xf32>
  return %r : tensor<1x8x8x40xf32>
}

func.func @avg_pool_stride(%x: tensor<1x9x9x24xf32>) -> tensor<1x4x4x24xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %r = tosa.avg_pool2d %x, %zp, %zp {acc_type = f32, kernel = array<i64: 3, 3>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x9x9x24xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x24xf32>
  return %r : tensor<1x4x4x24xf32>
}
