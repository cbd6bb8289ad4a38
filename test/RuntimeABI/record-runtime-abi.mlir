// RUN: bnn-opt --bnn-record-runtime-abi --split-input-file --verify-diagnostics %s | FileCheck %s

// Public functions with bodies are recorded in module order, with their
// tensor types as written, and get a C interface; private functions and
// declarations are neither recorded nor changed.

// CHECK-LABEL: module attributes {bnn.abi = [
// CHECK-SAME:    {inputs = [tensor<2x3xf32>, tensor<i32>], name = "second",
// CHECK-SAME:     outputs = [tensor<4xi1>, tensor<1x2x3x4xui1>, tensor<5xui8>, tensor<6xi8>]},
// CHECK-SAME:    {inputs = [], name = "first", outputs = []}]}
// CHECK:       func.func @second({{.*}}) -> ({{.*}}) attributes {llvm.emit_c_interface}
// CHECK:       func.func private @helper({{.*}}) -> tensor<?xf64> {
// CHECK:       func.func private @decl(tensor<?xf64>){{$}}
// CHECK:       func.func @first() attributes {llvm.emit_c_interface}
func.func @second(%a: tensor<2x3xf32>, %s: tensor<i32>) -> (tensor<4xi1>, tensor<1x2x3x4xui1>, tensor<5xui8>, tensor<6xi8>) {
  %0 = arith.constant dense<true> : tensor<4xi1>
  %1 = arith.constant dense<1> : tensor<1x2x3x4xui1>
  %2 = arith.constant dense<1> : tensor<5xui8>
  %3 = arith.constant dense<1> : tensor<6xi8>
  return %0, %1, %2, %3 : tensor<4xi1>, tensor<1x2x3x4xui1>, tensor<5xui8>, tensor<6xi8>
}
func.func private @helper(%a: tensor<?xf64>) -> tensor<?xf64> {
  return %a : tensor<?xf64>
}
func.func private @decl(tensor<?xf64>)
func.func @first() {
  return
}

// -----

// A module without public functions records an empty list.

// CHECK-LABEL: module attributes {bnn.abi = []}
func.func private @helper(%a: tensor<?xf64>) -> tensor<?xf64> {
  return %a : tensor<?xf64>
}

// -----

// expected-error @+1 {{argument #1 of 'dynamic' has type 'tensor<3x?xf32>', which cannot cross the runtime ABI (tensors of f32, i1, ui1..ui8, i8 or i32 with static shapes, but for a dynamic batch in dimension 0)}}
func.func @dynamic(%a: tensor<2x3xf32>, %b: tensor<3x?xf32>) {
  return
}

// -----

// expected-error @+1 {{result #0 of 'double' has type 'tensor<4xf64>', which cannot cross the runtime ABI}}
func.func @double(%a: tensor<4xf32>) -> tensor<4xf64> {
  %0 = arith.extf %a : tensor<4xf32> to tensor<4xf64>
  return %0 : tensor<4xf64>
}

// -----

// expected-error @+1 {{argument #0 of 'unranked' has type 'tensor<*xf32>', which cannot cross the runtime ABI}}
func.func @unranked(%a: tensor<*xf32>) {
  return
}

// -----

// expected-error @+1 {{argument #0 of 'scalar' has type 'f32', which cannot cross the runtime ABI}}
func.func @scalar(%a: f32) {
  return
}

// -----

// expected-error @+1 {{argument #0 of 'wide' has type 'tensor<2xi16>', which cannot cross the runtime ABI}}
func.func @wide(%a: tensor<2xi16>) {
  return
}
