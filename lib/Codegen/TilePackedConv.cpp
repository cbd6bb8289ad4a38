//===- TilePackedConv.cpp - bnn-tile-packed-conv pass ---------------------===//
//
// Register blocking of packed convolutions: each tile computes a block of
// `pixels` output pixels of one row times `channels` output channels, which
// the vectorizer keeps in registers (pixels x channels / lanes vector
// accumulators) across the whole reduction. A block loads each weight
// vector once for all its pixels and each input word once for all its
// channel vectors.
//
//===----------------------------------------------------------------------===//

#include "PackedConv.h"
#include "bnn/Codegen/Passes.h"
#include "bnn/Dialect/BNN/Utils/LoweringUtils.h"
#include "bnn/Dialect/BNN/IR/BNNOps.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "bnn-tile-packed-conv"

namespace mlir {
namespace bnn {
#define GEN_PASS_DEF_BNNTILEPACKEDCONVPASS
#include "bnn/Codegen/Passes.h.inc"
} // namespace bnn
} // namespace mlir

using namespace mlir;
using namespace mlir::bnn;
using namespace mlir::bnn::packed_conv;

RegisterBlock bnn::chooseRegisterBlock(int64_t columns, int64_t channels,
                                       const PackedConvTileOptions &options,
                                       unsigned laneBits) {
  int64_t lanes = vectorLanes(channels, options.vectorBits, laneBits);
  // Half the registers hold accumulators; the rest hold the weight vectors
  // of the block, the broadcast input word and temporaries.
  int64_t budget = std::max<int64_t>(4, options.vectorRegisters / 2);
  RegisterBlock best{1, lanes};
  if (options.pixels > 0 || options.channels > 0) {
    int64_t vectors = channels / lanes;
    int64_t wantVectors =
        options.channels > 0 ? std::max<int64_t>(1, options.channels / lanes)
                             : std::min<int64_t>(vectors, 4);
    best.channels = largestDivisorAtMost(vectors, wantVectors) * lanes;
    int64_t wantPixels = options.pixels > 0
                             ? options.pixels
                             : budget / (best.channels / lanes);
    best.pixels = largestDivisorAtMost(columns, wantPixels);
    return best;
  }
  for (int64_t v = 1; v <= channels / lanes; ++v) {
    if ((channels / lanes) % v != 0 || v > budget)
      continue;
    int64_t px = largestDivisorAtMost(columns, budget / v);
    int64_t bestV = best.channels / lanes;
    // Most accumulators first; among equals the squarest block, which
    // loads the fewest operands per accumulator update.
    if (px * v > best.pixels * bestV ||
        (px * v == best.pixels * bestV && px + v < best.pixels + bestV))
      best = {px, v * lanes};
  }
  return best;
}

namespace {
struct BNNTilePackedConvPass
    : public bnn::impl::BNNTilePackedConvPassBase<BNNTilePackedConvPass> {
  using Base::Base;
  void runOnOperation() override {
    PackedConvTileOptions options;
    options.pixels = pixels;
    options.channels = channels;
    options.vectorBits = vectorBits;
    options.vectorRegisters = vectorRegisters;
    IRRewriter rewriter(&getContext());
    for (PackedConvOp op : collect(getOperation())) {
      SmallVector<int64_t> ranges = op.getStaticLoopRanges();
      RegisterBlock block =
          chooseRegisterBlock(ranges[OX], ranges[O], options, wordBits(op));
      // The verifier has checked that a given block divides the ranges.
      if (RegisterBlockAttr given = op.getRegisterBlockAttr())
        block = {given.getPixels(), given.getChannels()};
      LLVM_DEBUG(llvm::dbgs() << DEBUG_TYPE << ": " << block.pixels
                              << " pixels x " << block.channels
                              << " channels\n");
      // Recorded for what comes later and for whoever reads the IR.
      op.setRegisterBlockAttr(RegisterBlockAttr::get(
          op.getContext(), block.pixels, block.channels));
      // A packing consumer takes tiles of whole words: tile and fuse by a
      // word of channels, then block the fused convolution without fusing
      // again.
      linalg::GenericOp pack = fusiblePack(op);
      int64_t word = pack ? packWordBits(pack) : 0;
      if (pack && block.channels % word != 0 && ranges[O] % word == 0) {
        FailureOr<PackedConvOp> fused =
            tile(rewriter, op, {1, 1, block.pixels, 1, word}, /*forall=*/false);
        if (succeeded(fused))
          (void)tile(rewriter, *fused, {1, 1, block.pixels, 1, block.channels},
                     /*forall=*/false, /*fuseConsumer=*/false);
        if (failed(fused)) {
          op.emitError("bnn-tile-packed-conv: cannot tile this packed "
                       "convolution");
          return signalPassFailure();
        }
        continue;
      }
      if (failed(tile(rewriter, op, {1, 1, block.pixels, 1, block.channels},
                      /*forall=*/false))) {
        op.emitError("bnn-tile-packed-conv: cannot tile this packed "
                     "convolution");
        return signalPassFailure();
      }
    }
  }
};
} // namespace
