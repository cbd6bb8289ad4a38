// RUN: bnn-opt --bnn-specialize-batch --split-input-file --verify-diagnostics %s | FileCheck %s

// A dynamic batch becomes one image everywhere: signature, values,
// tensor.dim of dimension 0 and the sizes of tensor.empty. Shared arguments
// (the weights) and functions without a dynamic batch are unchanged.

// CHECK-LABEL: func.func @layer(
// CHECK-SAME:    %[[X:.+]]: tensor<1x8x8x64xf32>, %[[W:.+]]: tensor<16x3x3x64xi1>) -> (tensor<1x8x8x16xi32>, tensor<1x4xf32>)
// CHECK:         %[[B:.+]] = bnn.binarize %[[X]] : tensor<1x8x8x64xf32> -> tensor<1x8x8x64xi1>
// CHECK:         %[[R:.+]] = bnn.binary_conv2d %[[B]], %[[W]] {{.*}} : tensor<1x8x8x64xi1>, tensor<16x3x3x64xi1> -> tensor<1x8x8x16xi32>
// CHECK:         %[[E:.+]] = tensor.empty() : tensor<1x4xf32>
// CHECK:         return %[[R]], %[[E]]
func.func @layer(%x: tensor<?x8x8x64xf32>, %w: tensor<16x3x3x64xi1>) -> (tensor<?x8x8x16xi32>, tensor<?x4xf32>) {
  %b = bnn.binarize %x : tensor<?x8x8x64xf32> -> tensor<?x8x8x64xi1>
  %r = bnn.binary_conv2d %b, %w {padding = array<i64: 1, 1, 1, 1>} : tensor<?x8x8x64xi1>, tensor<16x3x3x64xi1> -> tensor<?x8x8x16xi32>
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x8x8x64xf32>
  %e = tensor.empty(%n) : tensor<?x4xf32>
  return %r, %e : tensor<?x8x8x16xi32>, tensor<?x4xf32>
}

// CHECK-LABEL: func.func @static(
// CHECK-SAME:    tensor<2x3xf32>) -> tensor<2x3xf32>
func.func @static(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  return %x : tensor<2x3xf32>
}

// -----

// expected-error @+1 {{result #0 of 'shared' has type 'tensor<4xf32>', but a function with a dynamic batch computes every result per image: its dimension 0 must be dynamic too}}
func.func @shared(%x: tensor<?x4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  return %y : tensor<4xf32>
}

// -----

// expected-error @+1 {{'nobatch' has a dynamic batch in a result but in no argument; the batch size must come from an argument}}
func.func @nobatch(%x: tensor<4xf32>) -> tensor<?x4xf32> {
  %e = tensor.empty() : tensor<1x4xf32>
  %c = tensor.cast %e : tensor<1x4xf32> to tensor<?x4xf32>
  return %c : tensor<?x4xf32>
}

// -----

func.func @other_dim(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{has a value of type 'tensor<?x?xf32>' in 'other_dim', which has a dynamic batch: only dimension 0 (the batch) may be dynamic}}
  %c = tensor.cast %x : tensor<?x4xf32> to tensor<?x?xf32>
  %d = tensor.cast %c : tensor<?x?xf32> to tensor<?x4xf32>
  return %d : tensor<?x4xf32>
}

// -----

// expected-error @+1 {{private function 'helper' has a dynamic batch; only public functions (entry points) may}}
func.func private @helper(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  return %x : tensor<?x4xf32>
}

// -----

// An operation that needs more than one image cannot be compiled one image
// at a time.
// expected-error @+1 {{'mix' does not verify for a batch of 1; a dynamic batch needs every operation to compute each image independently}}
func.func @mix(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{slice along dimension 0 runs out-of-bounds}}
  %e = tensor.extract_slice %x[0, 0] [2, 4] [1, 1] : tensor<?x4xf32> to tensor<2x4xf32>
  %c = tensor.cast %e : tensor<2x4xf32> to tensor<?x4xf32>
  return %c : tensor<?x4xf32>
}
