// RUN: bnn-interp %s --entry pack_i32 | FileCheck %s --match-full-lines --check-prefix=P32
// RUN: bnn-interp %s --entry pack_i64 | FileCheck %s --match-full-lines --check-prefix=P64
// RUN: bnn-interp %s --entry bitplane | FileCheck %s --match-full-lines --check-prefix=PLANE

// Row 0 sets channels 0, 2, 31, 32 and 39 of 40, row 1 none. In 32-bit
// words: word 0 = 1 + 4 + 2^31 (the signed i32 -2147483643), word 1 =
// bits 0 and 7 = 129. In one 64-bit word: 5 + 2^31 + 2^32 + 2^39 =
// 556198264837.
// P32: result #0: tensor<2x2xi32>
// P32-NEXT: {{\[\[}}-2147483643, 129],
// P32-NEXT:  [0, 0]]
// P64: result #0: tensor<2x1xi64>
// P64-NEXT: {{\[\[}}556198264837],
// P64-NEXT:  [0]]
func.func @pack_i32() -> tensor<2x2xi32> {
  %b = arith.constant dense<[[true, false, true, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, true, true, false, false, false, false, false, false, true], [false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false]]> : tensor<2x40xi1>
  %p = bnn.pack %b : tensor<2x40xi1> -> tensor<2x2xi32>
  return %p : tensor<2x2xi32>
}
func.func @pack_i64() -> tensor<2x1xi64> {
  %b = arith.constant dense<[[true, false, true, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, true, true, false, false, false, false, false, false, true], [false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false]]> : tensor<2x40xi1>
  %p = bnn.pack %b : tensor<2x40xi1> -> tensor<2x1xi64>
  return %p : tensor<2x1xi64>
}

// Bit 1 of [0, 1, 2, 3, 6, 7] is [0, 0, 1, 1, 1, 1]; a set bit is stored
// true, which prints as -1.
// PLANE: result #0: tensor<6xi1>
// PLANE-NEXT: [1, 1, -1, -1, -1, -1]
func.func @bitplane() -> tensor<6xi1> {
  %x = arith.constant dense<[0, 1, 2, 3, 6, 7]> : tensor<6xui3>
  %p = bnn.bitplane %x {bit = 1 : i64} : tensor<6xui3> -> tensor<6xi1>
  return %p : tensor<6xi1>
}
