// RUN: bnn-interp %s --entry binarize_signs | FileCheck %s --match-full-lines --check-prefix=BIN
// RUN: bnn-interp %s --entry unbinarize_values | FileCheck %s --match-full-lines --check-prefix=UNBIN
// RUN: bnn-interp %s --entry round_trip | FileCheck %s --match-full-lines --check-prefix=TRIP

// x < 0 gives -1, everything else +1:
//   -0.0 -> +1 (it is not < 0)      +0.0 -> +1
//   -1.0 -> -1                        1.0 -> +1
//   NaN (0x7FC00000) -> +1           -inf (0xFF800000) -> -1
//   +denormal (0x00000001) -> +1     -denormal (0x80000001) -> -1
//   NaN with the sign bit set (0xFFC00000) -> +1 (comparisons with NaN fail)
// BIN: result #0: tensor<9xi1>
// BIN-NEXT: [1, 1, -1, 1, 1, -1, 1, -1, 1]
func.func @binarize_signs() -> tensor<9xi1> {
  %x = arith.constant dense<[-0.0, 0.0, -1.0, 1.0, 0x7FC00000, 0xFF800000, 0x00000001, 0x80000001, 0xFFC00000]> : tensor<9xf32>
  %b = bnn.binarize %x : tensor<9xf32> -> tensor<9xi1>
  return %b : tensor<9xi1>
}

// Stored true is -1.0, stored false +1.0.
// UNBIN: result #0: tensor<2x2xf32>
// UNBIN-NEXT: {{\[\[}}-1, 1],
// UNBIN-NEXT: [1, -1]]
func.func @unbinarize_values() -> tensor<2x2xf32> {
  %b = arith.constant dense<[[true, false], [false, true]]> : tensor<2x2xi1>
  %f = bnn.unbinarize %b : tensor<2x2xi1> -> tensor<2x2xf32>
  return %f : tensor<2x2xf32>
}

// binarize(-0.0) = +1, and unbinarize of that is 1.0.
// TRIP: result #0: tensor<1xf32>
// TRIP-NEXT: [1]
func.func @round_trip() -> tensor<1xf32> {
  %x = arith.constant dense<-0.0> : tensor<1xf32>
  %b = bnn.binarize %x : tensor<1xf32> -> tensor<1xi1>
  %f = bnn.unbinarize %b : tensor<1xi1> -> tensor<1xf32>
  return %f : tensor<1xf32>
}
