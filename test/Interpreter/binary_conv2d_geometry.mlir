// RUN: bnn-interp %s --entry stride2_1x1 | FileCheck %s --match-full-lines --check-prefix=S1
// RUN: bnn-interp %s --entry stride2_3x3 | FileCheck %s --match-full-lines --check-prefix=S3
// RUN: bnn-interp %s --entry dilation2 | FileCheck %s --match-full-lines --check-prefix=DIL
// RUN: bnn-interp %s --entry groups2 | FileCheck %s --match-full-lines --check-prefix=GRP
// RUN: bnn-interp %s --entry depthwise | FileCheck %s --match-full-lines --check-prefix=DW

// The 5x5 single-channel image used below (row by row):
//   r0 = [+1, -1, +1, +1, -1]
//   r1 = [-1, -1, +1, -1, +1]
//   r2 = [-1, +1, +1, -1, +1]
//   r3 = [+1, +1, -1, +1, +1]
//   r4 = [+1, +1, -1, -1, +1]

// A 1x1 +1 kernel with stride 2 samples rows and columns 0, 2, 4:
// [[r0[0], r0[2], r0[4]], [r2[0], r2[2], r2[4]], [r4[0], r4[2], r4[4]]].
// S1: result #0: tensor<1x3x3x1xi32>
// S1-NEXT: {{\[\[\[\[}}1],
// S1-NEXT: [1],
// S1-NEXT: [-1]],
// S1-NEXT: {{\[\[}}-1],
// S1-NEXT: [1],
// S1-NEXT: [1]],
// S1-NEXT: {{\[\[}}1],
// S1-NEXT: [-1],
// S1-NEXT: [1]]]]
func.func @stride2_1x1() -> tensor<1x3x3x1xi32> {
  %a = arith.constant dense<[[[[false], [true], [false], [false], [true]], [[true], [true], [false], [true], [false]], [[true], [false], [false], [true], [false]], [[false], [false], [true], [false], [false]], [[false], [false], [true], [true], [false]]]]> : tensor<1x5x5x1xi1>
  %w = arith.constant dense<false> : tensor<1x1x1x1xi1>
  %r = bnn.binary_conv2d %a, %w {strides = array<i64: 2, 2>} : tensor<1x5x5x1xi1>, tensor<1x1x1x1xi1> -> tensor<1x3x3x1xi32>
  return %r : tensor<1x3x3x1xi32>
}

// A 3x3 +1 kernel with stride 2: OH = OW = (5 - 3) / 2 + 1 = 2 and each
// output is the sum of the window at rows 2y..2y+2, columns 2x..2x+2.
// Row sums over columns 0..2 / 2..4: r0 1/1, r1 -1/1, r2 1/1, r3 1/1,
// r4 1/-1. (0,0) = 1 - 1 + 1 = 1, (0,1) = 1 + 1 + 1 = 3,
// (1,0) = 1 + 1 + 1 = 3, (1,1) = 1 + 1 - 1 = 1.
// S3: result #0: tensor<1x2x2x1xi32>
// S3-NEXT: {{\[\[\[\[}}1],
// S3-NEXT: [3]],
// S3-NEXT: {{\[\[}}3],
// S3-NEXT: [1]]]]
func.func @stride2_3x3() -> tensor<1x2x2x1xi32> {
  %a = arith.constant dense<[[[[false], [true], [false], [false], [true]], [[true], [true], [false], [true], [false]], [[true], [false], [false], [true], [false]], [[false], [false], [true], [false], [false]], [[false], [false], [true], [true], [false]]]]> : tensor<1x5x5x1xi1>
  %w = arith.constant dense<false> : tensor<1x3x3x1xi1>
  %r = bnn.binary_conv2d %a, %w {strides = array<i64: 2, 2>} : tensor<1x5x5x1xi1>, tensor<1x3x3x1xi1> -> tensor<1x2x2x1xi32>
  return %r : tensor<1x2x2x1xi32>
}

// The 2x2 kernel [[+1, -1], [-1, +1]] with dilation 2 covers a 3x3 span:
// out(y, x) = a(y, x) - a(y, x+2) - a(y+2, x) + a(y+2, x+2), OH = OW = 3.
//   y=0: 1-1+1+1 = 2,  -1-1-1-1 = -4,  1+1-1+1 = 2
//   y=1: -1-1-1-1 = -4, -1+1-1+1 = 0,  1-1+1+1 = 2
//   y=2: -1-1-1-1 = -4,  1+1-1-1 = 0,  1-1+1+1 = 2
// DIL: result #0: tensor<1x3x3x1xi32>
// DIL-NEXT: {{\[\[\[\[}}2],
// DIL-NEXT: [-4],
// DIL-NEXT: [2]],
// DIL-NEXT: {{\[\[}}-4],
// DIL-NEXT: [0],
// DIL-NEXT: [2]],
// DIL-NEXT: {{\[\[}}-4],
// DIL-NEXT: [0],
// DIL-NEXT: [2]]]]
func.func @dilation2() -> tensor<1x3x3x1xi32> {
  %a = arith.constant dense<[[[[false], [true], [false], [false], [true]], [[true], [true], [false], [true], [false]], [[true], [false], [false], [true], [false]], [[false], [false], [true], [false], [false]], [[false], [false], [true], [true], [false]]]]> : tensor<1x5x5x1xi1>
  %w = arith.constant dense<[[[[false], [true]], [[true], [false]]]]> : tensor<1x2x2x1xi1>
  %r = bnn.binary_conv2d %a, %w {dilations = array<i64: 2, 2>} : tensor<1x5x5x1xi1>, tensor<1x2x2x1xi1> -> tensor<1x3x3x1xi32>
  return %r : tensor<1x3x3x1xi32>
}

// groups = 2 over 6 channels a = [+1, +1, +1 | -1, +1, -1]: output
// channels 0, 1 read the first three, channels 2, 3 the last three.
//   o0: [+1, +1, +1] . [+1, +1, +1] = 3
//   o1: [-1, +1, +1] . [+1, +1, +1] = 1
//   o2: [+1, +1, +1] . [-1, +1, -1] = -1
//   o3: [-1, +1, -1] . [-1, +1, -1] = 3
// GRP: result #0: tensor<1x1x1x4xi32>
// GRP-NEXT: {{\[\[\[\[}}3, 1, -1, 3]]]]
func.func @groups2() -> tensor<1x1x1x4xi32> {
  %a = arith.constant dense<[[[[false, false, false, true, false, true]]]]> : tensor<1x1x1x6xi1>
  %w = arith.constant dense<[[[[false, false, false]]], [[[true, false, false]]], [[[false, false, false]]], [[[true, false, true]]]]> : tensor<4x1x1x3xi1>
  %r = bnn.binary_conv2d %a, %w {groups = 2 : i64} : tensor<1x1x1x6xi1>, tensor<4x1x1x3xi1> -> tensor<1x1x1x4xi32>
  return %r : tensor<1x1x1x4xi32>
}

// Depthwise: groups = C = 3, two output channels per input channel
// (o reads channel o / 2), a 1x2 kernel over a 1x3 image:
//   pixels x0 = [+1, -1, +1], x1 = [+1, +1, -1], x2 = [-1, -1, -1]
//   kernels o0 [+1, +1], o1 [+1, -1], o2 [+1, +1], o3 [-1, +1],
//           o4 [+1, +1], o5 [+1, -1]
// Output x reads pixels x and x+1 of channel o / 2:
//   x=0: o0 1+1 = 2, o1 1-1 = 0, o2 -1+1 = 0, o3 1+1 = 2, o4 1-1 = 0,
//        o5 1+1 = 2
//   x=1: o0 1-1 = 0, o1 1+1 = 2, o2 1-1 = 0, o3 -1-1 = -2, o4 -1-1 = -2,
//        o5 -1+1 = 0
// DW: result #0: tensor<1x1x2x6xi32>
// DW-NEXT: {{\[\[\[\[}}2, 0, 0, 2, 0, 2],
// DW-NEXT: [0, 2, 0, -2, -2, 0]]]]
func.func @depthwise() -> tensor<1x1x2x6xi32> {
  %a = arith.constant dense<[[[[false, true, false], [false, false, true], [true, true, true]]]]> : tensor<1x1x3x3xi1>
  %w = arith.constant dense<[[[[false], [false]]], [[[false], [true]]], [[[false], [false]]], [[[true], [false]]], [[[false], [false]]], [[[false], [true]]]]> : tensor<6x1x2x1xi1>
  %r = bnn.binary_conv2d %a, %w {groups = 3 : i64} : tensor<1x1x3x3xi1>, tensor<6x1x2x1xi1> -> tensor<1x1x2x6xi32>
  return %r : tensor<1x1x2x6xi32>
}
