//===- Passes.td - runtime ABI passes ----------------------*- tablegen -*-===//

#ifndef BNN_RUNTIMEABI_PASSES_TD
#define BNN_RUNTIMEABI_PASSES_TD

include "mlir/Pass/PassBase.td"

def BNNCopyRepeatedResultsPass
    : Pass<"bnn-copy-repeated-results", "func::FuncOp"> {
  let summary = "Gives every repeated result of a function a buffer of its own";
  let description = [{
    Runs on buffers, between one-shot bufferization and
    `buffer-results-to-out-params`. Where a `func.return` returns one
    memref more than once (`return %v, %v`, also after folding made two
    tensor results one value), every repeat becomes a fresh `memref.alloc`
    holding a `memref.copy` of the value. Each result then has a buffer of
    its own, which `buffer-results-to-out-params` turns into an
    out-parameter of its own; upstream's `hoist-static-allocs` would
    otherwise replace and erase one allocation once per result (a
    use-after-free). The copy costs one pass over the result, only where a
    result repeats.

    ```mlir
    return %alloc, %alloc : memref<2x3xf32>, memref<2x3xf32>
    // becomes
    %copy = memref.alloc() {alignment = 64 : i64} : memref<2x3xf32>
    memref.copy %alloc, %copy : memref<2x3xf32> to memref<2x3xf32>
    return %alloc, %copy : memref<2x3xf32>, memref<2x3xf32>
    ```
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def BNNEmitRuntimeABIPass : Pass<"bnn-emit-runtime-abi", "ModuleOp"> {
  let summary = "Emits the DLPack entry points and metadata of the runtime ABI";
  let description = [{
    Runs on the LLVM dialect, after `bnn-record-runtime-abi` recorded the
    public functions' tensor signatures in the module attribute `bnn.abi`
    and the upstream lowering produced their `_mlir_ciface_<name>`
    functions (results as trailing out-parameters). Emits, as
    `include/bnn-c/Runtime.h` specifies, `bnn_entry_<name>` for every
    recorded function (checks every DLTensor, builds memref descriptors,
    calls the C interface, returns a `bnn_status`) and `bnn_module`, which
    returns the metadata. Removes the `bnn.abi` attribute.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def BNNRecordRuntimeABIPass : Pass<"bnn-record-runtime-abi", "ModuleOp"> {
  let summary = "Records the tensor signatures of public functions for the ABI";
  let description = [{
    Runs on tensors, before bufferization. For every public `func.func`
    with a body, records `{name, inputs = [types], outputs = [types]}` in
    the module attribute `bnn.abi` (an array in symbol order) and sets
    `llvm.emit_c_interface` on the function. Fails with a diagnostic at the
    function when a type cannot cross the ABI (anything but a tensor of
    f32, i1, ui1..ui8, i8 or i32 with a static shape, but for a dynamic
    batch: dimension 0 may be `?`, in every result and at least one
    argument; see `bnn-specialize-batch`).
  }];
}

def BNNRuntimeThreadsPass : Pass<"bnn-runtime-threads", "ModuleOp"> {
  let summary = "Sets the thread count of OpenMP regions at run time";
  let description = [{
    When the module has `omp.parallel` regions, adds a private global
    thread count (initially 1), makes every `omp.parallel` read it as its
    `num_threads`, and defines the public ABI function
    `void bnn_set_num_threads(int32_t n)` that sets it (values below 1
    mean 1). A region that is one worksharing loop (what
    `convert-scf-to-openmp` makes of the parallel loops) gets a path without
    OpenMP: its loop body becomes a private, `noinline` function
    `<f>__loop_body_l<line>` (the source line most of its operations come
    from: the layer, for profiles; constants cloned into it), called from
    the `omp.loop_nest` when the
    count is above 1 and from a plain `scf.for` nest otherwise, so that a
    call on one thread never enters the OpenMP runtime (a serialized region
    costs a fork call and, in libomp, heap allocations per region). Other
    regions run on the calling thread alone with one thread. A module
    without parallel regions is left unchanged (and exports no setter).
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::func::FuncDialect",
    "::mlir::memref::MemRefDialect", "::mlir::scf::SCFDialect"
  ];
}

def BNNSpecializeBatchPass : Pass<"bnn-specialize-batch", "ModuleOp"> {
  let summary = "Compiles public functions with a dynamic batch for one image";
  let description = [{
    A public function whose tensors leave dimension 0 dynamic (`?`, the
    batch) is rewritten in place for a batch of one: every `?` in
    dimension 0 of its arguments, results and values becomes 1,
    `tensor.dim` of dimension 0 becomes the constant 1 and `tensor.empty`
    loses the sizes that became static. The runtime ABI records the
    dynamic signature first (`bnn-record-runtime-abi`), and its entry point
    (`bnn-emit-runtime-abi`) calls the one-image function once per image of
    the caller's batch. So the body must be batch-polymorphic: every image
    computed independently of the others, which the convolutions, dense
    layers, epilogues and elementwise glue of a network are. Fails with a
    diagnostic when the function does not verify for one image (an op that
    mixes images, another dynamic dimension).

    ```mlir
    func.func @f(%x: tensor<?x8x8x64xi1>) -> tensor<?x8x8x16xi32>
    // becomes
    func.func @f(%x: tensor<1x8x8x64xi1>) -> tensor<1x8x8x16xi32>
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def BNNVerifyCompilablePass : Pass<"bnn-verify-compilable", "ModuleOp"> {
  let summary = "Rejects models that cannot become an artifact";
  let description = [{
    Runs first in `bnn-lower-to-llvm`, on the model as written, so that
    what would otherwise crash or misbehave later is a diagnostic at the
    function concerned:

    - A symbol name the artifact reserves (docs/RuntimeABI.md#reserved-names):
      names starting with `bnn_` (the runtime ABI: `bnn_module`,
      `bnn_entry_<name>`, `bnn_set_num_threads`), with `_` (the C
      implementation's: `_mlir_ciface_<name>`, `__kmpc_fork_call`,
      `__bnn_abi_*`), with `llvm.` (LLVM intrinsics) or with `omp_`,
      `ompt_`, `kmp_`, `kmpc_` or `GOMP_` (the OpenMP runtime), and the
      name of any C library function LLVM knows (`malloc`, `free`,
      `memcpy`, `expf`, ...), which the generated code may call.
    - Recursion: a function that calls itself, directly or through others
      (or takes a reference to a function that does). A model's functions
      have no base case the artifact could stop at, and its calls run on the
      caller's stack, so recursion would overflow it.
    - `vector.print`: it lowers to calls into the MLIR runner library
      (`printF32`, `printNewline`, ...), which an artifact cannot link, and
      its lowering declares those functions in the module from inside a
      function, which the pipeline's per-function passes must not do.
  }];
}

def BNNWidenBoolBoundaryPass : Pass<"bnn-widen-bool-boundary", "ModuleOp"> {
  let summary = "Passes binary tensors across public functions as bytes";
  let description = [{
    Binary (`i1`) tensors cross the runtime ABI as one byte per value
    (`BNN_DL_BOOL`). This pass makes that explicit in every public function
    with a body: an `i1` tensor argument becomes an `i8` tensor compared
    with zero on entry (any nonzero byte is true, as in C and numpy), and an
    `i1` tensor result becomes `arith.extui` to `i8`. Inside the function
    the values are unchanged; what changes is that the packing of an input
    reads bytes, which vector code can load, instead of `i1` memory, which
    it cannot (a vector of `i1` is bit-packed in LLVM). Likewise a `ui2`
    .. `ui7` tensor argument (k-bit activations, one byte per value at the
    ABI) becomes an `i8` tensor truncated to K bits on entry by an
    elementwise `linalg.generic`, so that the packing of its bit planes
    reads bytes too. Run after `bnn-record-runtime-abi`, which records the
    signature the ABI exposes.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

#endif // BNN_RUNTIMEABI_PASSES_TD
