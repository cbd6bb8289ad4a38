// RUN: bnn-interp %s | FileCheck %s --match-full-lines

// a = [[+1, -1, +1], [-1, -1, -1]], w = [[+1, +1, +1], [-1, +1, -1]]:
//   (0,0) = 1 - 1 + 1 = 1     (0,1) = -1 - 1 - 1 = -3
//   (1,0) = -1 - 1 - 1 = -3   (1,1) = 1 - 1 + 1 = 1
// CHECK: result #0: tensor<2x2xi32>
// CHECK-NEXT: {{\[\[}}1, -3],
// CHECK-NEXT: [-3, 1]]
func.func @main() -> tensor<2x2xi32> {
  %a = arith.constant dense<[[false, true, false], [true, true, true]]> : tensor<2x3xi1>
  %w = arith.constant dense<[[false, false, false], [true, false, true]]> : tensor<2x3xi1>
  %r = bnn.binary_dense %a, %w : tensor<2x3xi1>, tensor<2x3xi1> -> tensor<2x2xi32>
  return %r : tensor<2x2xi32>
}
