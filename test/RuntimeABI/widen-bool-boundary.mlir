// RUN: bnn-opt %s --bnn-widen-bool-boundary | FileCheck %s

// Binary arguments arrive as bytes (nonzero = true), binary results leave
// as bytes; other types and private functions are unchanged.
// CHECK-LABEL: func.func @main
// CHECK-SAME: (%[[X:.+]]: tensor<2x3xi8>, %[[F:.+]]: tensor<2xf32>) -> (tensor<2x3xi8>, tensor<2xf32>)
// CHECK: %[[ZERO:.+]] = arith.constant dense<0> : tensor<2x3xi8>
// CHECK: %[[BITS:.+]] = arith.cmpi ne, %[[X]], %[[ZERO]] : tensor<2x3xi8>
// CHECK: %[[NOT:.+]] = call @negate(%[[BITS]])
// CHECK: %[[BYTES:.+]] = arith.extui %[[NOT]] : tensor<2x3xi1> to tensor<2x3xi8>
// CHECK: return %[[BYTES]], %[[F]] : tensor<2x3xi8>, tensor<2xf32>
func.func @main(%x: tensor<2x3xi1>, %f: tensor<2xf32>) -> (tensor<2x3xi1>, tensor<2xf32>) {
  %n = call @negate(%x) : (tensor<2x3xi1>) -> tensor<2x3xi1>
  return %n, %f : tensor<2x3xi1>, tensor<2xf32>
}

// CHECK-LABEL: func.func private @negate
// CHECK-SAME: (%{{.+}}: tensor<2x3xi1>) -> tensor<2x3xi1>
func.func private @negate(%x: tensor<2x3xi1>) -> tensor<2x3xi1> {
  %t = arith.constant dense<true> : tensor<2x3xi1>
  %r = arith.xori %x, %t : tensor<2x3xi1>
  return %r : tensor<2x3xi1>
}

// A dynamic batch: the zero the bytes are compared with is a splat of the
// argument's shape (there is no constant of a dynamic shape).
// CHECK-LABEL: func.func @batched
// CHECK-SAME: (%[[B:.+]]: tensor<?x8xi8>) -> tensor<?x8xi8>
// CHECK-DAG: %[[C0:.+]] = arith.constant 0 : index
// CHECK-DAG: %[[Z8:.+]] = arith.constant 0 : i8
// CHECK-DAG: %[[N:.+]] = tensor.dim %[[B]], %[[C0]] : tensor<?x8xi8>
// CHECK: %[[ZEROS:.+]] = tensor.splat %[[Z8]][%[[N]]] : tensor<?x8xi8>
// CHECK: %[[NZ:.+]] = arith.cmpi ne, %[[B]], %[[ZEROS]] : tensor<?x8xi8>
// CHECK: %[[OUT:.+]] = arith.extui %[[NZ]] : tensor<?x8xi1> to tensor<?x8xi8>
// CHECK: return %[[OUT]]
func.func @batched(%x: tensor<?x8xi1>) -> tensor<?x8xi1> {
  return %x : tensor<?x8xi1>
}

// Declarations keep their types.
// CHECK-LABEL: func.func private @external
// CHECK-SAME: (tensor<4xi1>) -> tensor<4xi1>
func.func private @external(%x: tensor<4xi1>) -> tensor<4xi1>

// k-bit activations arrive as bytes too: a ui2 argument becomes i8,
// truncated to 2 bits on entry by an elementwise generic (the ABI promises
// values in range), so that the packing of its bit planes reads bytes.
// Results and ui8 arguments are unchanged.
// CHECK-LABEL: func.func @kbit
// CHECK-SAME: (%[[K:.+]]: tensor<2x5xi8>, %[[U8:.+]]: tensor<3xui8>) -> tensor<2x5xui2>
// CHECK: %[[E:.+]] = tensor.empty() : tensor<2x5xui2>
// CHECK: %[[N:.+]] = linalg.generic {{.+}} ins(%[[K]] : tensor<2x5xi8>) outs(%[[E]] : tensor<2x5xui2>)
// CHECK: %[[T:.+]] = arith.trunci %{{.+}} : i8 to i2
// CHECK: %[[C:.+]] = builtin.unrealized_conversion_cast %[[T]] : i2 to ui2
// CHECK: linalg.yield %[[C]] : ui2
// CHECK: return %[[N]] : tensor<2x5xui2>
func.func @kbit(%k: tensor<2x5xui2>, %u: tensor<3xui8>) -> tensor<2x5xui2> {
  return %k : tensor<2x5xui2>
}
