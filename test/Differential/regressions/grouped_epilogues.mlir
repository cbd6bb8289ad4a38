// Epilogues of grouped binary convolutions, which bnn-fuse-bitpack
// expands to the groups and bnn-tile-packed-conv fuses into the blocks:
// thresholds (compared with the popcounts under +1 padding, with the
// corrected sums under zero padding), float glue, and a chain whose
// grouped result the next layer packs.
// diff-random-inputs: 1

// 3x3 conv, C = 64, O = 64, 2 groups, pad_value plus_one, threshold
func.func @g2_threshold_plus_one(%a0: tensor<1x5x6x64xi1>, %w: tensor<64x3x3x32xi1>) -> tensor<1x5x6x64xi1> {
  %c = bnn.binary_conv2d %a0, %w {padding = array<i64: 1, 1, 1, 1>, pad_value = #bnn.pad_value<plus_one>, groups = 2 : i64} : tensor<1x5x6x64xi1>, tensor<64x3x3x32xi1> -> tensor<1x5x6x64xi32>
  %t = arith.constant dense<[-212, -215,  172,    0,   52,   59,  123, -273,   -8, -204,  -57,  248,   28, -249,   25, -214,  147,  260,  278,   71,  213,  -76, -205,    7,  -33,   94,  286, -130,  206, -210,  -88,  167, -146,   99,  -24,    7,  256,  183,  196,   28,  279,  278, -211, -171, -111,   31,  188,   -9,  280,  -85,  248,   53,  128, -153,   53,  175,  224,  213,  271, -215,  161,  -19,  108, -129]> : tensor<64xi32>
  %d = arith.constant dense<[false, false,  true,  true, false, false, false, false,  true,  true, false, false,  true,  true,  true, false,  true, false, false, false, false, false,  true, false, false,  true,  true,  true,  true, false,  true, false, false, false, false,  true, false, false,  true,  true,  true, false, false, false, false,  true, false,  true, false, false,  true, false, false, false,  true, false, false, false, false,  true, false, false, false, false]> : tensor<64xi1>
  %r = bnn.threshold %c, %t, %d : tensor<1x5x6x64xi32>, tensor<64xi32>, tensor<64xi1> -> tensor<1x5x6x64xi1>
  return %r : tensor<1x5x6x64xi1>
}

// 3x3 conv, C = 128, O = 64, 4 groups, pad_value zero, threshold
func.func @g4_threshold_zero(%a0: tensor<1x5x6x128xi1>, %w: tensor<64x3x3x32xi1>) -> tensor<1x5x6x64xi1> {
  %c = bnn.binary_conv2d %a0, %w {padding = array<i64: 1, 1, 1, 1>, pad_value = #bnn.pad_value<zero>, groups = 4 : i64} : tensor<1x5x6x128xi1>, tensor<64x3x3x32xi1> -> tensor<1x5x6x64xi32>
  %t = arith.constant dense<[  84,  139,  281, -176,  245, -254, -208,   57,  213,  229,  139, -274,  -48,  177,   16, -179,  105, -236,  114, -279,  -81, -120,  255,  131,   90,   -4, -124,  204,  258, -164, -148, -107,  -13, -140,  -55,  277,  -77,  255,    2,  -92,  252,  -37,  159, -108,  289,  143,  219, -266, -227, -250,   18,  -56,  277, -148, -192,  200, -115,  140, -122,   27, -242,   93,  241,  111]> : tensor<64xi32>
  %d = arith.constant dense<[ true,  true,  true,  true, false, false,  true,  true, false, false,  true, false, false,  true,  true,  true, false,  true,  true, false, false, false,  true, false,  true,  true, false, false,  true, false,  true, false,  true, false,  true,  true, false,  true, false, false, false, false,  true, false, false,  true, false, false, false, false,  true, false,  true,  true, false,  true, false, false, false,  true, false, false, false, false]> : tensor<64xi1>
  %r = bnn.threshold %c, %t, %d : tensor<1x5x6x64xi32>, tensor<64xi32>, tensor<64xi1> -> tensor<1x5x6x64xi1>
  return %r : tensor<1x5x6x64xi1>
}

// 3x3 conv, C = 96, O = 32, 2 groups, pad_value minus_one, binarize
func.func @g2_binarize_minus_one(%a0: tensor<1x4x5x96xi1>, %w: tensor<32x3x3x48xi1>) -> tensor<1x4x5x32xi1> {
  %c = bnn.binary_conv2d %a0, %w {padding = array<i64: 1, 1, 1, 1>, pad_value = #bnn.pad_value<minus_one>, groups = 2 : i64} : tensor<1x4x5x96xi1>, tensor<32x3x3x48xi1> -> tensor<1x4x5x32xi32>
  %m = arith.constant dense<[-0.739, -0.419,  1.651, -1.537, -1.655,  0.246,  1.854,  1.629,  0.801, -1.733,  1.226,  0.733, -1.424, -0.14 , -1.803,  1.208,  0.875,  1.219,  1.042, -0.931,  1.159, -1.003, -1.448, -0.438, -0.009, -0.857,  0.423,  0.41 , -1.041,  0.49 , -0.571,  0.939]> : tensor<32xf32>
  %b = arith.constant dense<[-2.096,  2.988, -0.849,  0.532,  1.733,  0.184, -2.424,  4.794, -4.039, -1.751,  0.491, -4.713, -3.451,  2.993,  2.838,  1.37 ,  4.018,  2.555, -2.012,  1.449, -1.599,  2.498, -1.152, -3.468,  3.765,  1.904,  2.447,  0.596,  2.829, -0.521,  0.658, -4.374]> : tensor<32xf32>
  %f = bnn.acc_to_float %c, %m, %b : tensor<1x4x5x32xi32>, tensor<32xf32>, tensor<32xf32> -> tensor<1x4x5x32xf32>
  %r = bnn.binarize %f : tensor<1x4x5x32xf32> -> tensor<1x4x5x32xi1>
  return %r : tensor<1x4x5x32xi1>
}

// 3x3 conv, C = 256, O = 128, 8 groups, pad_value plus_one, acc_to_float
func.func @g8_float(%a0: tensor<1x4x4x256xi1>, %w: tensor<128x3x3x32xi1>) -> tensor<1x4x4x128xf32> {
  %c = bnn.binary_conv2d %a0, %w {padding = array<i64: 1, 1, 1, 1>, pad_value = #bnn.pad_value<plus_one>, groups = 8 : i64} : tensor<1x4x4x256xi1>, tensor<128x3x3x32xi1> -> tensor<1x4x4x128xi32>
  %m = arith.constant dense<[ 0.22 ,  1.258,  0.822,  1.213, -0.016,  1.525, -1.567,  1.503, -0.515, -1.636,  0.477, -0.18 , -0.287,  1.408, -1.449,  0.468, -0.345,  0.113, -0.002, -1.463,  0.048,  1.448, -1.315, -1.954, -1.73 , -0.161,  1.898, -1.823,  1.964,  0.144, -1.519, -0.326, -1.171,  0.857,  0.166, -0.848, -0.978,  1.468,  1.065, -0.255, -0.378,  0.95 ,  1.883, -1.682, -1.364, -0.551,  0.031, -1.714, -1.786, -1.122, -0.456,  0.957,  0.44 , -1.883, -1.82 , -0.192,  1.499,  1.66 , -0.54 ,  1.549,  1.716, -0.374,  0.984, -0.539, -1.386,  0.301, -1.654,  0.653,  1.237,  1.662, -0.208, -1.53 ,  1.61 ,  1.481,  1.87 ,  0.376,  0.694, -0.507, -1.267, -0.833,  0.883, -0.7  ,  0.766,  0.009, -0.204,  1.871, -1.336, -0.051, -1.361,  1.75 , -0.046, -0.672, -1.327,  0.376, -0.404, -1.491, -1.871, -0.435,  0.333,  0.075,  1.6  ,  1.646,  1.745,  1.199, -0.09 ,  0.095, -0.411, -0.402, -1.834,  1.195, -1.016, -1.883, -0.134,  0.871, -0.256, -0.543,  0.634, -1.349, -1.955,  0.37 ,  0.122,  1.463, -0.337,  1.144, -1.928, -1.891,  0.394, -1.095]> : tensor<128xf32>
  %b = arith.constant dense<[-4.327, -3.723, -1.253, -1.629,  0.638,  3.876, -1.343, -3.158,  0.78 , -4.978, -1.152, -1.828, -1.126, -4.492,  0.542,  1.242,  2.495,  4.575, -1.453,  1.563, -0.58 , -2.85 ,  3.893,  2.459,  4.428,  3.215,  4.175, -3.72 , -4.843, -3.014, -0.879,  1.876, -0.615,  0.133,  2.61 , -4.294,  1.783, -4.513, -2.514,  2.223,  1.831, -0.947, -2.054,  3.281, -2.252, -4.688, -2.527, -4.788,  3.107, -3.777,  4.74 , -2.87 , -1.939,  0.852, -1.918, -1.207, -3.958, -1.109, -4.748, -2.76 ,  4.095, -2.192, -2.291,  1.793,  3.829, -2.042, -1.237,  2.147,  2.921,  1.138, -3.21 , -3.193,  2.58 ,  2.068,  3.963,  2.798, -0.788, -3.667,  3.905,  1.955,  0.764,  1.819, -1.149, -1.567,  0.754, -0.173,  2.09 ,  4.361,  3.473, -1.125, -1.275,  4.268, -1.054,  3.002, -4.073, -0.489,  0.162,  3.088,  3.776, -3.473,  1.172,  1.291, -3.485,  3.336,  0.535,  4.617, -3.137,  0.25 , -1.765,  1.425,  1.081,  0.124, -1.751,  0.039, -1.277,  3.908, -0.385, -0.248, -2.414, -2.462,  4.539, -1.86 ,  3.683,  0.948,  4.805, -3.359,  4.416,  2.725]> : tensor<128xf32>
  %f = bnn.acc_to_float %c, %m, %b : tensor<1x4x4x128xi32>, tensor<128xf32>, tensor<128xf32> -> tensor<1x4x4x128xf32>
  return %f : tensor<1x4x4x128xf32>
}

// grouped conv (4 groups of 32) -> threshold -> conv 128 -> 16
func.func @grouped_chain(%a0: tensor<1x5x5x128xi1>, %w0: tensor<128x3x3x32xi1>, %w1: tensor<16x3x3x128xi1>) -> tensor<1x5x5x16xi32> {
  %c0 = bnn.binary_conv2d %a0, %w0 {padding = array<i64: 1, 1, 1, 1>, pad_value = #bnn.pad_value<plus_one>, groups = 4 : i64} : tensor<1x5x5x128xi1>, tensor<128x3x3x32xi1> -> tensor<1x5x5x128xi32>
  %t = arith.constant dense<[  9,   3,  13,   9, -13,   9,   2,  -2,   4,   6, -15, -11,  11, -20, -16,   7, -12,  -1,  12,  17,  13, -10,  -7,  13,  12,  20,  10,  16,  -4,  19,  -7, -14,   2, -14, -19, -11,  -5,  -6, -20, -16, -16, -14,  11, -20,  -7,  18,  -6,  -6,  10,   5, -10,  -2,   0,  10,  -3,  13,  -3,  -5,  -7,   1,  -1, -17,  -4,  -9,   0, -11,  16,  -8,   1,  -7,   3,   3,  -5,  -7,   8,  -7,  -2,  14, -20, -20,  -1, -20,   2, -18, -12,  15,   1,   5, -12,   9, -14,  19, -17, -12,  17,  17, -12, -11,  19,   1,   8,   7,   4,  12, -14, -10, -14,  -1, -20, -19,  -8,  -9,  13,  20,  -8,  17,  14,   3,   1,  12, -16,  16, -13,  -7,  15,  20, -16,  -2]> : tensor<128xi32>
  %d = arith.constant dense<[ true, false, false,  true, false,  true, false,  true,  true,  true,  true, false,  true,  true,  true,  true,  true,  true,  true,  true, false,  true,  true,  true, false, false, false,  true, false, false, false,  true, false, false, false,  true, false,  true,  true,  true, false,  true,  true,  true, false, false, false, false,  true,  true, false,  true, false,  true,  true, false,  true, false, false, false,  true, false,  true, false, false,  true, false, false,  true,  true,  true, false,  true, false,  true, false, false,  true, false, false,  true, false,  true,  true, false, false, false,  true, false, false, false,  true, false, false,  true, false, false,  true, false,  true,  true,  true,  true,  true, false,  true,  true,  true,  true,  true, false, false,  true,  true,  true, false,  true, false, false,  true,  true, false, false, false, false, false, false,  true]> : tensor<128xi1>
  %b = bnn.threshold %c0, %t, %d : tensor<1x5x5x128xi32>, tensor<128xi32>, tensor<128xi1> -> tensor<1x5x5x128xi1>
  %c1 = bnn.binary_conv2d %b, %w1 {padding = array<i64: 1, 1, 1, 1>, pad_value = #bnn.pad_value<zero>} : tensor<1x5x5x128xi1>, tensor<16x3x3x128xi1> -> tensor<1x5x5x16xi32>
  return %c1 : tensor<1x5x5x16xi32>
}
