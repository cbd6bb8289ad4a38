// RUN: bnn-opt --bnn-emit-runtime-abi --split-input-file --verify-diagnostics %s

// The pass needs the signatures bnn-record-runtime-abi records.

// expected-error @+1 {{module has no 'bnn.abi' array; run bnn-record-runtime-abi before bufferization}}
module {
  llvm.func @_mlir_ciface_f(%arg0: !llvm.ptr)
}

// -----

// expected-error @+1 {{'bnn.abi' element "f" is not a dictionary with a 'name'}}
module attributes {bnn.abi = ["f"]} {
}

// -----

// expected-error @+1 {{lists tensor<2x?xf32>, which is not a tensor of f32, i1, ui1..ui8, i8 or i32 with a static shape (but for a dynamic batch)}}
module attributes {bnn.abi = [{name = "f", inputs = [tensor<2x?xf32>], outputs = []}]} {
}

// -----

// expected-error @+1 {{lists tensor<2xf64>, which is not a tensor of f32}}
module attributes {bnn.abi = [{name = "f", inputs = [], outputs = [tensor<2xf64>]}]} {
}

// -----

// expected-error @+1 {{has no 'outputs' array}}
module attributes {bnn.abi = [{name = "f", inputs = []}]} {
}

// -----

// The recorded function was not lowered with its C interface.

// expected-error @+1 {{no llvm.func @_mlir_ciface_f for 'f' recorded in 'bnn.abi'; the function must be public and lowered with llvm.emit_c_interface}}
module attributes {bnn.abi = [{name = "f", inputs = [tensor<2xf32>], outputs = []}]} {
  llvm.func @f(%arg0: !llvm.ptr, %arg1: !llvm.ptr, %arg2: i64, %arg3: i64, %arg4: i64) {
    llvm.return
  }
}

// -----

// One descriptor pointer per input and per output: the output is missing.

module attributes {bnn.abi = [{name = "f", inputs = [tensor<2xf32>], outputs = [tensor<2xf32>]}]} {
  // expected-error @+1 {{@_mlir_ciface_f has type '!llvm.func<void (ptr)>', expected 2 pointers to memref descriptors (inputs: 1, then outputs as out-parameters: 1) and no result}}
  llvm.func @_mlir_ciface_f(!llvm.ptr)
}

// -----

// A function with a workspace takes it after the descriptors.

module attributes {bnn.abi = [{name = "f", inputs = [tensor<2xf32>], outputs = [tensor<2xf32>]}]} {
  // expected-error @+1 {{@_mlir_ciface_f has type '!llvm.func<void (ptr, ptr)>', expected 2 pointers to memref descriptors (inputs: 1, then outputs as out-parameters: 1, then the workspace) and no result}}
  llvm.func @_mlir_ciface_f(!llvm.ptr, !llvm.ptr) attributes {bnn.workspace_bytes = 64 : i64}
}

// -----

module attributes {bnn.abi = [{name = "f", inputs = [tensor<2xf32>], outputs = [tensor<2xf32>]}]} {
  // expected-error @+1 {{'bnn.workspace_bytes' must not be negative}}
  llvm.func @_mlir_ciface_f(!llvm.ptr, !llvm.ptr, !llvm.ptr) attributes {bnn.workspace_bytes = -64 : i64}
}

// -----

// Results must have become out-parameters.

module attributes {bnn.abi = [{name = "f", inputs = [], outputs = [tensor<2xf32>]}]} {
  // expected-error @+1 {{@_mlir_ciface_f has type '!llvm.func<ptr (ptr)>', expected 1 pointers to memref descriptors (inputs: 0, then outputs as out-parameters: 1) and no result}}
  llvm.func @_mlir_ciface_f(!llvm.ptr) -> !llvm.ptr
}

// -----

// The C interface reads a rank-1 descriptor where a rank-2 tensor was
// recorded.

module attributes {bnn.abi = [{name = "f", inputs = [tensor<2x3xf32>], outputs = []}]} {
  // expected-error @+1 {{@_mlir_ciface_f reads argument #0 as '!llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>', expected the memref descriptor '!llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>' of 'tensor<2x3xf32>'}}
  llvm.func @_mlir_ciface_f(%arg0: !llvm.ptr) {
    %0 = llvm.load %arg0 : !llvm.ptr -> !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>
    llvm.return
  }
}

// -----

// A scalar is not a memref descriptor.

module attributes {bnn.abi = [{name = "f", inputs = [tensor<f32>], outputs = []}]} {
  // expected-error @+1 {{@_mlir_ciface_f reads argument #0 as 'f32', expected the memref descriptor '!llvm.struct<(ptr, ptr, i64)>' of 'tensor<f32>'}}
  llvm.func @_mlir_ciface_f(%arg0: !llvm.ptr) {
    %0 = llvm.load %arg0 : !llvm.ptr -> f32
    llvm.return
  }
}

// -----

module attributes {bnn.abi = [{name = "f", inputs = [tensor<4xi8>], outputs = []}]} {
  // expected-error @+1 {{@_mlir_ciface_f does not read argument #0 as the memref descriptor '!llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)>' of 'tensor<4xi8>'}}
  llvm.func @_mlir_ciface_f(%arg0: !llvm.ptr) {
    llvm.return
  }
}

// -----

// The public names of the ABI must be free.

module attributes {bnn.abi = []} {
  // expected-error @+1 {{symbol 'bnn_module' is reserved by the runtime ABI}}
  llvm.func @bnn_module() {
    llvm.return
  }
}

// -----

module attributes {bnn.abi = [{name = "f", inputs = [], outputs = []}]} {
  llvm.func @_mlir_ciface_f()
  // expected-error @+1 {{symbol 'bnn_entry_f' is reserved by the runtime ABI}}
  llvm.mlir.global external @bnn_entry_f() : i32
}
