//===- Passes.h - CPU code generation passes --------------------*- C++ -*-===//
//
// Passes on linalg, vector and memref that turn the lowered model into fast
// CPU code: fusion of bit packing, register blocking, vectorization and
// threading of packed convolutions, vectorized float convolutions, and the
// steps that keep compile time linear. None of them sees a bnn operator.
//
//===----------------------------------------------------------------------===//

#ifndef BNN_CODEGEN_PASSES_H
#define BNN_CODEGEN_PASSES_H

#include "bnn/Target/Target.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;

namespace bnn {

/// The lanes bnn-vectorize-packed-conv accumulates popcounts in.
enum class PopcountLanes {
  /// One 64-bit popcount per word.
  I64,
  /// Byte popcounts summed in 8-bit lanes and widened lazily, for targets
  /// without a 64-bit vector popcount.
  Bytes,
};


#define GEN_PASS_DECL
#include "bnn/Codegen/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "bnn/Codegen/Passes.h.inc"

/// Register-blocking shape of a packed convolution.
struct PackedConvTileOptions {
  /// Output pixels and output channels per register block; 0 derives them
  /// from the vector width and register count.
  int64_t pixels = 0;
  int64_t channels = 0;
  unsigned vectorBits = 128;
  unsigned vectorRegisters = 16;
};

/// A register block: `pixels` consecutive output pixels of a row times
/// `channels` consecutive output channels.
struct RegisterBlock {
  int64_t pixels;
  int64_t channels;
};

/// The register block of a packed convolution with `columns` output pixels
/// per row and `channels` output channels per group, accumulated in lanes
/// of `laneBits`: the most accumulators that fit half the vector
/// registers, sizes dividing the ranges (so every block is full). Explicit
/// sizes in `options` are rounded down to divisors.
RegisterBlock chooseRegisterBlock(int64_t columns, int64_t channels,
                                  const PackedConvTileOptions &options,
                                  unsigned laneBits = 64);

/// Strided memref.copy -> linalg.copy.
void populateCopiesToLinalgPatterns(RewritePatternSet &patterns);

/// bnn.packed_conv -> linalg.generic (bnn-generalize-packed-conv).
void populateGeneralizePackedConvPatterns(RewritePatternSet &patterns);

/// Elementwise producers of bit-packing generics fused into them.
/// `maxFusedOps` bounds the body of a fused generic (see
/// bnn-fuse-bitpack's max-fused-ops).
void populateFuseBitpackPatterns(RewritePatternSet &patterns,
                                 int64_t maxFusedOps = 64);

/// A bufferization.dealloc of distinct allocations, retaining nothing -> one
/// bufferization.dealloc per allocation.
void populateSplitDeallocsPatterns(RewritePatternSet &patterns);

} // namespace bnn
} // namespace mlir

#endif // BNN_CODEGEN_PASSES_H
