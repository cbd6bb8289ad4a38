// RUN: bnn-opt %s --pass-pipeline="builtin.module(func.func(bnn-lower-to-linalg))" --split-input-file --verify-diagnostics

// bnn-lower-to-linalg is a dialect conversion: what it leaves of the bnn
// dialect is an error, and the products say which passes lower them.

func.func @product(%a: tensor<1x4096xi1>, %w: tensor<1000x4096xi1>) -> tensor<1x1000xi32> {
  // expected-error @+1 {{'bnn.binary_dense' is lowered by bnn-bitpack and bnn-lower-pack, which must run before bnn-lower-to-linalg}}
  %r = bnn.binary_dense %a, %w : tensor<1x4096xi1>, tensor<1000x4096xi1> -> tensor<1x1000xi32>
  return %r : tensor<1x1000xi32>
}

// -----

func.func @bitserial(%a: tensor<2x100xui3>, %w: tensor<10x100xui2>) -> tensor<2x10xi32> {
  // expected-error @+1 {{'bnn.bitserial_dense' is lowered by bnn-bitpack}}
  %r = bnn.bitserial_dense %a, %w : tensor<2x100xui3>, tensor<10x100xui2> -> tensor<2x10xi32>
  return %r : tensor<2x10xi32>
}

// -----

func.func @pack(%b: tensor<3x70xi1>) -> tensor<3x2xi64> {
  // expected-error @+1 {{'bnn.pack' is lowered by bnn-bitpack and bnn-lower-pack}}
  %p = bnn.pack %b : tensor<3x70xi1> -> tensor<3x2xi64>
  return %p : tensor<3x2xi64>
}
