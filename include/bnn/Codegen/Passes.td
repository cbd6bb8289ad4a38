//===- Passes.td - CPU code generation passes --------------*- tablegen -*-===//

#ifndef BNN_CODEGEN_PASSES_TD
#define BNN_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def BNNCopiesToLinalgPass : Pass<"bnn-copies-to-linalg", "func::FuncOp"> {
  let summary = "Rewrites strided memref.copy into linalg.copy";
  let description = [{
    The LLVM lowering turns a `memref.copy` whose operands are not both
    contiguous into a call to `memrefCopy` from the MLIR C runner library,
    which a compiled artifact must not depend on. This pass rewrites such
    copies into `linalg.copy`, which lowers to loops; contiguous copies stay
    `memref.copy` (they become `llvm.memcpy`).
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def BNNEarlyDeallocPass : Pass<"bnn-early-dealloc", "func::FuncOp"> {
  let summary = "Frees each temporary right after its last use";
  let description = [{
    The deallocation pipeline frees a function's temporaries at its end, so
    a call holds all of them at once. This pass moves each
    `memref.dealloc` of a `memref.alloc` of the function's body to just
    after the last operation of the body that uses the buffer or any view
    of it (`BufferViewFlowAnalysis`; a use inside a loop or a parallel
    region counts at that loop). The allocator can then reuse the memory
    within the call: the peak of what is allocated at once drops from the
    sum of the temporaries to the working set (`bnn-report-temporaries`).
    Deallocations in nested regions, and functions of more than one block,
    are left as they are.
  }];
}

def BNNFuseBitpackPass : Pass<"bnn-fuse-bitpack", "func::FuncOp"> {
  let summary = "Fuses thresholds and binarization into bit packing";
  let description = [{
    Fuses the elementwise generic that computes binary values (a lowered
    `bnn.threshold` or `bnn.binarize`, with whatever elementwise work it
    was fused with) into the generic that packs them into 64- or 32-bit
    words (lowered `bnn.pack`): the packing reads the accumulators or
    floats directly and the i1 tensor between them disappears. Uses
    upstream reshape propagation and elementwise fusion, restricted to
    producers that only feed packing. Channel counts that are not a
    multiple of the word width (padded with zero bits before packing) are
    not fused. `bnn-vectorize-packed-conv` then computes each word with
    64- or 32-lane vector comparisons and one mask-to-integer bitcast.

    The result of a grouped packed convolution is merged from
    `[G, O/G]` to `O` channels by a `tensor.collapse_shape`: an elementwise
    consumer of it (a threshold, float glue) is expanded to the groups, so
    that it reads the convolution (or its epilogue) directly and
    `bnn-tile-packed-conv` fuses it into the convolution's blocks as it
    does for one group.

    A fusion is skipped when the fused body would hold more than
    `max-fused-ops` operations or its generic more than that many operands:
    each fusion copies both bodies, so a long chain of elementwise glue
    fused into one generic would cost time quadratic in its length. Such a
    chain becomes generics of at most that size instead.
  }];
  let options = [
    Option<"maxFusedOps", "max-fused-ops", "int64_t", /*default=*/"64",
           "Largest body (operations) and operand count of a fused generic">
  ];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect"
  ];
}

def BNNGeneralizePackedConvPass
    : Pass<"bnn-generalize-packed-conv", "func::FuncOp"> {
  let summary = "Rewrites packed convolutions into linalg.generic";
  let description = [{
    Rewrites each `bnn.packed_conv` (on tensors or memrefs) into the
    `linalg.generic` of the same loops, maps and term, which lowers to
    loops like any other generic. The pipeline runs it after vectorization
    and before bufferization, so that what the vectorizer left (dynamic
    shapes, or everything when vectorization is off) is still compiled.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::math::MathDialect"];
}

def BNNLowerByteDotPass : Pass<"bnn-lower-byte-dot"> {
  let summary = "Lowers bnn.byte_dot to the target's dot-product instruction";
  let description = [{
    Rewrites every `bnn.byte_dot` into a call of the LLVM intrinsic of the
    instruction `byte-dot` names where it exists for the vector length
    (`x86-vnni`: `vpdpbusd` on 4, 8 or 16 lanes; `arm-usdot`: `usdot` on 2
    or 4 lanes; `x86-pmaddwd`: on 4, 8 or 16 lanes, the even and the odd
    bytes of each 16-bit half widened in place by shifts and masks, then
    two `pmaddwd`, exact for u8 x s8; `arm-sdot`: on 2 or 4 lanes,
    `sdot(acc, a xor 0x80, w) - sdot(0, -128, w)`, since
    `u * w = (u - 128) * w + 128 * w`), and into widening multiplies and
    adds otherwise, which LLVM selects for any target (smull/smlal on
    NEON). With `signed_a` (signed input bytes): `sdot` itself for
    `arm-sdot` and `arm-usdot`, `pmaddwd` on both operands widened by
    arithmetic shifts, and widening multiplies for the rest.
    The pipeline runs it last before the conversion to the LLVM dialect,
    because the intrinsic calls declare no memory effects, which the
    buffer deallocation passes reject and which keep the canonicalizer
    from inlining `memref.alloca_scope` regions.
  }];
  let options = [
    Option<"byteDot", "byte-dot", "::mlir::bnn::ByteDotInstruction",
           "::mlir::bnn::ByteDotInstruction::Generic",
           "Instruction of bnn.byte_dot",
           [{::llvm::cl::values(
             clEnumValN(::mlir::bnn::ByteDotInstruction::Generic, "generic",
                        "widening multiplies and adds"),
             clEnumValN(::mlir::bnn::ByteDotInstruction::X86Vnni, "x86-vnni",
                        "vpdpbusd (AVX512-VNNI or AVX-VNNI)"),
             clEnumValN(::mlir::bnn::ByteDotInstruction::X86PmaddWd,
                        "x86-pmaddwd",
                        "pmaddwd on bytes widened in place (SSE2, AVX2, "
                        "AVX512-BW)"),
             clEnumValN(::mlir::bnn::ByteDotInstruction::ArmUsdot, "arm-usdot",
                        "usdot (AArch64 I8MM)"),
             clEnumValN(::mlir::bnn::ByteDotInstruction::ArmSdot, "arm-sdot",
                        "sdot (AArch64 dot product) on the input made "
                        "signed"))}]>,
  ];
  let dependentDialects = [
    "::mlir::LLVM::LLVMDialect", "::mlir::arith::ArithDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def BNNParallelizePackedConvPass
    : Pass<"bnn-parallelize-packed-conv", "func::FuncOp"> {
  let summary = "Distributes packed convolutions over threads";
  let description = [{
    Tiles every packed convolution with one `scf.forall` over batch, output
    rows, groups and chunks of at most `channel-chunk` output channels
    (when more channels than that divide evenly), so that small late layers
    (7x7 outputs) still have enough independent tasks for the threads.
    A layer of one pixel per row (a dense layer) gets chunks no narrower
    than the register block `bnn-tile-packed-conv` would choose for the
    whole layer with `vector-bits` and `vector-registers`, so that it
    keeps its full block of accumulators. The chunks are the outermost
    dimension of the `scf.forall`. A constant filter that only the tasks
    read is regrouped chunk by chunk, `[O / chunk, Q, G, KY, KX, W,
    chunk]`, and each task slices its chunk: one contiguous block instead
    of a few channels out of every row.
    The pipeline lowers the `scf.forall` to OpenMP; the number of threads is
    set at run time (`bnn_set_num_threads`, default 1).
  }];
  let options = [
    Option<"channelChunk", "channel-chunk", "int64_t", "64",
           "Largest output-channel chunk per task (unless the register "
           "block is wider)">,
    Option<"vectorBits", "vector-bits", "unsigned", "128",
           "Vector register width in bits">,
    Option<"vectorRegisters", "vector-registers", "unsigned", "16",
           "Number of vector registers">,
  ];
  let dependentDialects = [
    "::mlir::scf::SCFDialect", "::mlir::tensor::TensorDialect",
    "::mlir::affine::AffineDialect"
  ];
}

def BNNPlanWorkspacePass : Pass<"bnn-plan-workspace", "ModuleOp"> {
  let summary = "Places a call's temporaries in one workspace that calls reuse";
  let description = [{
    Gives the temporaries of each function's body (each `memref.alloc` of a
    static, identity-layout buffer with its one `memref.dealloc` in the
    same block) offsets in one workspace, planned at compile time: two
    buffers share bytes only when one is freed before the other is
    allocated (positions in the block, so after `bnn-early-dealloc` they
    share as much as their lifetimes allow). Offsets are 64-byte aligned;
    the largest buffer is placed first, each at the lowest offset that no
    live buffer occupies.

    The temporaries of the body of an `scf.forall` with static bounds in
    that block are planned the same way within a slot, and the loop gets
    one slot per iteration (iterations may run at the same time): one
    temporary of the function's block, as long as all slots, living where
    the loop is. Iteration `i` (row-major over the normalized indices)
    uses bytes `[i * slot, (i + 1) * slot)` of it. Loops whose slots would
    take more than 64 MiB, and deeper loops, keep their allocations.

    Each temporary becomes a `memref.view` of the workspace and its
    deallocation disappears. The workspace itself is taken, at the start
    of a call, from a per-function cache (one pointer, swapped atomically)
    and put back at every return, freeing whatever a concurrent call put
    there meanwhile: in the steady state a call allocates nothing, and
    concurrent calls still get buffers of their own. The first call (and
    a call that finds the cache taken) allocates it with `aligned_alloc`;
    a destructor of the artifact frees the cached buffers when it is
    unloaded.

    An entry point (a public function nothing in the module calls) gets
    one more argument, last: an `!llvm.ptr` to a workspace its caller
    supplies, used instead of the cache when it is not null, and the
    attribute `bnn.workspace_bytes` with the size; the runtime ABI passes
    both on (`bnn_workspace_entry_<name>`, docs/RuntimeABI.md#workspace).

    A module pass: it adds the caches, `aligned_alloc`, `free` and the
    destructor to the module. With `report`, a remark on each planned
    public function gives the workspace's size.
  }];
  let options = [
    Option<"report", "report", "bool", /*default=*/"false",
           "Report the workspace size of each planned function as a remark">,
  ];
  let dependentDialects = ["::mlir::memref::MemRefDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::scf::SCFDialect"];
}

def BNNReportTemporariesPass
    : Pass<"bnn-report-temporaries", "func::FuncOp"> {
  let summary = "Reports the temporary memory a public function allocates "
                "per call";
  let description = [{
    An analysis of bufferized IR, reported as a remark on each public
    function with a body: how many temporaries (`memref.alloc`) a call
    allocates, their total size, and the peak of what is allocated at once,
    walking the function in program order (an allocation adds its size, its
    `memref.dealloc` subtracts it; a loop's body counts once). Elements
    narrower than a byte take a byte. Dynamic shapes (and sizes over 64
    bits) make the numbers lower bounds (said so). Caller-provided results and inputs are not
    temporaries; neither are the constants in the artifact. The pipeline
    runs it at the end of the bufferized phase with `report-temporaries`
    (`bnn-compile --layer-stats`). Changes nothing.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def BNNSetTargetPass : Pass<"bnn-set-target", "ModuleOp"> {
  let summary = "Records the target triple, CPU and features in the LLVM dialect";
  let description = [{
    Sets `llvm.target_triple` on the module and `target_cpu` /
    `target_features` on every `llvm.func` with a body, so that the LLVM
    IR translated from the module (by bnn-compile, or by `mlir-translate`
    after `bnn-opt`) is compiled for that CPU by any LLVM tool. Empty
    options leave the corresponding attribute alone.
  }];
  // The target features are an attribute of the LLVM dialect, which a
  // module without LLVM operations has not loaded.
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
  let options = [
    Option<"triple", "triple", "std::string", "\"\"", "LLVM target triple">,
    Option<"cpu", "cpu", "std::string", "\"\"", "CPU name (LLVM spelling)">,
    Option<"features", "features", "std::string", "\"\"",
           "Comma-separated features, e.g. +avx2,-avx512f">
  ];
}

def BNNSplitDeallocsPass : Pass<"bnn-split-deallocs", "func::FuncOp"> {
  let summary = "Splits a bufferization.dealloc of distinct allocations into "
                "one per allocation";
  let description = [{
    Ownership-based buffer deallocation frees every buffer a block owns in
    one `bufferization.dealloc` at the end of the block: for a model's
    function, one operation with a memref per temporary of the whole model.
    `buffer-deallocation-simplification` splits it into one operation per
    memref that aliases no other, but decides that for each memref against
    every other one: time quadratic in the operands (3,000 temporaries of
    1,000 layers took seconds).

    This pass performs the same split where it needs no alias analysis: a
    `bufferization.dealloc` that retains nothing and whose memrefs are
    distinct results of allocations (which cannot alias) becomes one
    `bufferization.dealloc` per memref, in operand order, each with its
    condition. That is what `buffer-deallocation-simplification` produces
    for it, so running this pass first changes nothing but the time.

    ```mlir
    bufferization.dealloc (%a, %b : memref<4xf32>, memref<8xi64>) if (%true, %c)
    // becomes
    bufferization.dealloc (%a : memref<4xf32>) if (%true)
    bufferization.dealloc (%b : memref<8xi64>) if (%c)
    ```
  }];
}

def BNNSplitLargeFunctionsPass
    : Pass<"bnn-split-large-functions", "ModuleOp"> {
  let summary = "Outlines the top-level operations of large functions into "
                "chunks of bounded size";
  let description = [{
    After bufferization a model is one function whose body is a sequence of
    loop nests (or linalg operations) over buffers. Several of LLVM's
    optimisations and its instruction selection take time superlinear in
    the size of one function (loop rotation, induction variable
    simplification and full unrolling update dominator trees as deep as
    the sequence of loops; DAG combining is superlinear in the size of one
    basic block), so a model of N layers or N elementwise operations would
    compile in O(N^2).

    This pass cuts the entry block of every function larger than `max-ops`
    into consecutive chunks of at most `max-ops` (an operation larger than
    that is a chunk of its own) and at most `max-arguments` values defined
    before the chunk, and moves each chunk into a private function that is
    called in its place and is never inlined (`passthrough = ["noinline"]`). A chunk takes the
    values it uses as arguments and returns the ones used after it;
    constants and `memref.get_global` are cloned into every chunk that uses
    them instead, so that loop bounds stay constant. No chunk boundary
    separates a `memref.alloca` (or a view of it) from a later use.
    Functions with more than one block are left alone.

    Sizes count nested operations, with a loop (`scf.for`, a linalg
    operation) of a static trip count counted unrolled when its unrolled
    body has at most 512 operations, as LLVM unrolls it: 16 additions over
    a 1x16 tensor become 16 additions in one basic block.
  }];
  let options = [
    Option<"maxOps", "max-ops", "int64_t", /*default=*/"500",
           "Most operations in one function or chunk (a loop with a static "
           "trip count counts unrolled when that is below 512)">,
    Option<"maxArguments", "max-arguments", "int64_t", /*default=*/"32",
           "Most values a chunk takes from before it">
  ];
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

def BNNTilePackedConvPass : Pass<"bnn-tile-packed-conv", "func::FuncOp"> {
  let summary = "Register-blocks packed convolutions";
  let description = [{
    Tiles every `bnn.packed_conv` (the popcount reductions of
    `bnn-bitpack`; through its TilingInterface) with `scf.for` loops into
    blocks of `pixels` consecutive output pixels of one row times
    `channels` consecutive output channels, with the whole reduction (bit
    planes, kernel window, packed words) inside the block. `bnn-vectorize-packed-conv` keeps such a block's
    accumulators in vector registers.

    By default the block has the most accumulators that fit half the
    vector registers (`vector-registers`; each accumulator is one
    `vector-bits` register of 64-bit lanes), with sizes that divide the
    output width and channel count so every block is full; among equal
    counts the squarest block wins. `pixels` and `channels` override the
    choice (rounded down to divisors). A `register_block` already on the
    op is obeyed, and the block chosen is recorded there.
  }];
  let options = [
    Option<"pixels", "pixels", "int64_t", "0",
           "Output pixels per block (0: chosen from the registers)">,
    Option<"channels", "channels", "int64_t", "0",
           "Output channels per block (0: chosen from the registers)">,
    Option<"vectorBits", "vector-bits", "unsigned", "128",
           "Vector register width in bits">,
    Option<"vectorRegisters", "vector-registers", "unsigned", "16",
           "Number of vector registers">,
  ];
  let dependentDialects = [
    "::mlir::scf::SCFDialect", "::mlir::tensor::TensorDialect",
    "::mlir::affine::AffineDialect"
  ];
}

def BNNVectorizeFloatConvPass
    : Pass<"bnn-vectorize-float-conv", "func::FuncOp"> {
  let summary = "Vectorizes the float convolutions and pooling of the glue";
  let description = [{
    Float convolutions (`linalg.conv_2d_nhwc_fhwc` from `tosa.conv2d`, a
    network's stem; `linalg.conv_2d_nhwc_hwcf`) with static shapes get
    upstream's CPU recipe: the filter transposed to HWCF (constant filters
    fold), tiles of one output row and one kernel row by up to 8 output
    columns and `2 x vector-bits / 32` output channels, the 2-D
    convolution decomposed into a 1-D one, and that vectorized
    (`linalg::vectorize`); a kernel one column wide over more than 32
    input channels also takes them in steps of up to 16 (a loop, in the
    order of the sum). Float max and sum pooling
    (`linalg.pooling_nhwc_max` / `_sum`, from `tosa.max_pool2d` and
    `tosa.avg_pool2d`) take the same route with up to `4 x vector-bits /
    32` channels per tile. With `threads`, images and output rows are
    first the tasks of an `scf.forall` (OpenMP threads after
    bufferization). Float matrix products (`linalg.batch_matmul`,
    `linalg.matmul`, from `tosa.matmul`: a network's dense head) get tiles
    of one row by a block of output columns (the widest power of two from
    4 vectors down to 8 floats that divides them) and one reduction step:
    vectorized, a multiply and an add per step, every output summing its
    products in order, as the reference does. Others are left as they
    are.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "unsigned", "128",
           "Vector register width in bits">,
    Option<"threads", "threads", "bool", "false",
           "Distribute images and output rows over an scf.forall">,
  ];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect", "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect", "::mlir::vector::VectorDialect",
    "::mlir::affine::AffineDialect", "::mlir::arith::ArithDialect"
  ];
}

def BNNVectorizePackedConvPass
    : Pass<"bnn-vectorize-packed-conv", "func::FuncOp"> {
  let summary = "Vectorizes packed convolutions over output channels";
  let description = [{
    Rewrites every `bnn.packed_conv` (on tensors, with static loop
    ranges; a remark says why any other is left) whose block of output
    pixels and
    channels needs at most `max-accumulators` vectors into loops over the
    reduction (bit planes, kernel window, words) that carry one vector
    accumulator of 64-bit lanes per pixel and per `vector-bits` of output
    channels. Each step broadcasts one input word per pixel, loads one
    vector of weight words per channel vector (the packed filter stores
    output channels innermost), and adds the popcount term, so LLVM selects
    VPOPCNTQ (AVX-512 VPOPCNTDQ), the pshufb popcount (AVX2) or CNT (NEON).
    Larger reductions are first split into blocks of one pixel and one
    vector (no register blocking: run `bnn-tile-packed-conv` first for
    that).

    With `popcount=bytes`, a plain popcount term (`popcount(a xor w)`, or
    `popcount(a and w)` with one plane of each operand) is
    counted per byte and accumulated in 8-bit lanes, widened to the 64-bit
    lanes only after at most 31 words (8 x 31 < 256), at the outermost
    loop level whose trip count allows it (a word loop longer than that is
    split): on targets without a 64-bit vector popcount this saves the
    per-word widening (psadbw on x86, three uaddlp on NEON).

    A `byte_dot` convolution accumulates in 32-bit lanes, four bytes of
    input channels per step, with `bnn.byte_dot` (which
    `bnn-lower-byte-dot` maps to the target's dot-product instruction).

    Bit-packing generics (lowered `bnn.pack`) whose bits are computed from
    non-i1 values (after `bnn-fuse-bitpack`) are vectorized too: per
    word, 64 lanes of each input are read along the channels, the bit
    computation runs lane-wise, and the 64-lane mask is bitcast to the
    word.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "unsigned", "128",
           "Vector register width in bits">,
    Option<"popcount", "popcount", "::mlir::bnn::PopcountLanes",
           "::mlir::bnn::PopcountLanes::I64", "Popcount accumulation",
           [{::llvm::cl::values(
             clEnumValN(::mlir::bnn::PopcountLanes::I64, "i64",
                        "64-bit lanes"),
             clEnumValN(::mlir::bnn::PopcountLanes::Bytes, "bytes",
                        "8-bit lanes, widened lazily"))}]>,
    Option<"maxAccumulators", "max-accumulators", "int64_t", "32",
           "Largest number of vector accumulators of one block">,
    Option<"remarks", "remarks", "bool", "true",
           "Say, as a remark at the operation, why a packed convolution "
           "was left as loops">,
  ];
  let dependentDialects = [
    "::mlir::LLVM::LLVMDialect",
    "::mlir::arith::ArithDialect", "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect", "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect", "::mlir::affine::AffineDialect"
  ];
}

#endif // BNN_CODEGEN_PASSES_TD
