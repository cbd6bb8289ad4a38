//===- Passes.h - bnn dialect transformations -------------------*- C++ -*-===//

#ifndef BNN_DIALECT_BNN_TRANSFORMS_PASSES_H
#define BNN_DIALECT_BNN_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
namespace bnn {

#define GEN_PASS_DECL
#include "bnn/Dialect/BNN/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "bnn/Dialect/BNN/Transforms/Passes.h.inc"

/// Marks the popcount reductions ("packed convolutions") bnn-bitpack
/// creates: a linalg.generic with dims (n, oy, ox, g, o | p, q, ky, kx, w)
/// over input planes [P, N, H, W, G, words], filter planes
/// [Q, G, KY, KX, words, O] and an i32 accumulator [N, OY, OX, G, O]. The
/// tiling, vectorization and parallelization passes act on these only.
inline constexpr llvm::StringLiteral kPackedConvAttrName = "bnn.packed_conv";

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
/// per row and `channels` output channels per group: the most accumulators
/// that fit half the vector registers, sizes dividing the ranges (so every
/// block is full). Explicit sizes in `options` are rounded down to
/// divisors.
RegisterBlock chooseRegisterBlock(int64_t columns, int64_t channels,
                                  const PackedConvTileOptions &options);

/// 64-bit lanes per vector for `channels` output channels: vectorBits / 64,
/// halved until it divides `channels`.
int64_t vectorLanes(int64_t channels, unsigned vectorBits);

/// Strided memref.copy -> linalg.copy.
void populateCopiesToLinalgPatterns(RewritePatternSet &patterns);
/// A bufferization.dealloc of distinct allocations, retaining nothing -> one
/// bufferization.dealloc per allocation.
void populateSplitDeallocsPatterns(RewritePatternSet &patterns);
/// Binary and bit-serial conv2d/dense -> bnn.pack + popcount linalg.generic.
void populateBitpackPatterns(RewritePatternSet &patterns);
/// binarize(mul/add/sub chain(acc_to_float)) -> bnn.threshold.
void populateFuseGluePatterns(RewritePatternSet &patterns);
/// int8 dense -> 1x1 int8 conv2d (part of the linalg lowering).
void populateDenseAsConv2DPatterns(RewritePatternSet &patterns);
/// Elementwise producers of bit-packing generics fused into them.
/// `maxFusedOps` bounds the body of a fused generic (see
/// bnn-fuse-bitpack's max-fused-ops).
void populateFuseBitpackPatterns(RewritePatternSet &patterns,
                                 int64_t maxFusedOps = 64);
/// bnn.pack -> linalg.generic.
void populateLowerPackPatterns(RewritePatternSet &patterns);
/// Remaining bnn operators -> linalg.generic.
void populateLowerToLinalgPatterns(RewritePatternSet &patterns);

} // namespace bnn
} // namespace mlir

#endif // BNN_DIALECT_BNN_TRANSFORMS_PASSES_H
