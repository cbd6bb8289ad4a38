// RUN: bnn-opt --bnn-verify-compilable --split-input-file --verify-diagnostics %s | FileCheck %s

// Names outside the reserved set, calls without a cycle and a function
// called from two places pass unchanged.
// CHECK-LABEL: func.func @main
// CHECK-LABEL: func.func private @shared
// CHECK-LABEL: func.func private @bnn
// CHECK-LABEL: func.func private @expm
func.func @main(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = call @shared(%a) : (tensor<2xf32>) -> tensor<2xf32>
  %1 = call @bnn(%0) : (tensor<2xf32>) -> tensor<2xf32>
  %2 = call @shared(%1) : (tensor<2xf32>) -> tensor<2xf32>
  return %2 : tensor<2xf32>
}
func.func private @shared(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
}
func.func private @bnn(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = call @expm(%a) : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
func.func private @expm(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
}

// -----

// The runtime ABI's own names: a public bnn_set_num_threads would be
// exported as the thread-count setter.
// expected-error @+1 {{symbol name 'bnn_set_num_threads' is reserved: names starting with 'bnn_' belong to the runtime ABI}}
func.func @bnn_set_num_threads(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
}
// expected-error @+1 {{symbol name 'bnn_module' is reserved}}
func.func @bnn_module() {
  return
}
// expected-error @+1 {{symbol name 'bnn_entry_main' is reserved}}
func.func @bnn_entry_main() {
  return
}
// expected-error @+1 {{symbol name 'bnn_num_threads' is reserved}}
func.func private @bnn_num_threads() {
  return
}

// -----

// The implementation's names, private functions and globals included.
// expected-error @+1 {{symbol name '__kmpc_fork_call' is reserved: names starting with '_' belong to the C implementation}}
func.func @__kmpc_fork_call() {
  return
}
// expected-error @+1 {{symbol name '_mlir_ciface_main' is reserved}}
func.func private @_mlir_ciface_main() {
  return
}
// expected-error @+1 {{symbol name '__bnn_abi_module' is reserved}}
memref.global "private" constant @__bnn_abi_module : memref<2xf32> = dense<1.0>
// expected-error @+1 {{symbol name 'llvm.memcpy' is reserved: names starting with 'llvm.' belong to LLVM intrinsics}}
func.func private @llvm.memcpy() {
  return
}
// expected-error @+1 {{symbol name 'omp_get_thread_num' is reserved: names starting with 'omp_' belong to the OpenMP runtime}}
func.func @omp_get_thread_num() {
  return
}
// expected-error @+1 {{symbol name 'GOMP_parallel' is reserved}}
func.func @GOMP_parallel() {
  return
}

// -----

// C library functions the generated code calls (allocation, copies, libm).
// expected-error @+1 {{symbol name 'malloc' is reserved: it is a C library function, which the generated code may call}}
func.func @malloc(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
}
// expected-error @+1 {{symbol name 'free' is reserved: it is a C library function}}
func.func private @free() {
  return
}
// expected-error @+1 {{symbol name 'memcpy' is reserved}}
func.func @memcpy() {
  return
}
// expected-error @+1 {{symbol name 'expf' is reserved}}
func.func @expf() {
  return
}
// expected-error @+1 {{symbol name 'aligned_alloc' is reserved}}
memref.global "private" @aligned_alloc : memref<2xf32> = dense<1.0>

// -----

// A function that calls itself.
func.func @main(%a: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{recursive call: 'main' -> 'main'; compiled models cannot recurse}}
  %0 = call @main(%a) : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// Recursion through other functions, reported at the call that closes the
// cycle, once.
func.func @main(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = call @first(%a) : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
func.func private @first(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = call @second(%a) : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
func.func private @second(%a: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{recursive call: 'first' -> 'second' -> 'first'}}
  %0 = call @first(%a) : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// A reference to a function counts as a call: call_indirect can recurse.
func.func @main(%a: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{recursive call: 'main' -> 'main'}}
  %f = func.constant @main : (tensor<2xf32>) -> tensor<2xf32>
  %0 = func.call_indirect %f(%a) : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// vector.print would call the MLIR runner library, which no artifact links.
func.func @main(%a: tensor<2xf32>) -> tensor<2xf32> {
  %v = arith.constant dense<1.0> : vector<2xf32>
  // expected-error @+1 {{'vector.print' calls the MLIR runner library (printF32, printNewline, ...), which a compiled artifact cannot link}}
  vector.print %v : vector<2xf32>
  return %a : tensor<2xf32>
}
