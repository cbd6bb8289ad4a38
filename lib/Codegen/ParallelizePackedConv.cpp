//===- ParallelizePackedConv.cpp - bnn-parallelize-packed-conv pass -------===//

#include "PackedConv.h"
#include "bnn/Codegen/Passes.h"

#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace bnn {
#define GEN_PASS_DEF_BNNPARALLELIZEPACKEDCONVPASS
#include "bnn/Codegen/Passes.h.inc"
} // namespace bnn
} // namespace mlir

using namespace mlir;
using namespace mlir::bnn;
using namespace mlir::bnn::packed_conv;

namespace {
struct BNNParallelizePackedConvPass
    : public bnn::impl::BNNParallelizePackedConvPassBase<
          BNNParallelizePackedConvPass> {
  using Base::Base;
  void runOnOperation() override {
    if (channelChunk <= 0) {
      emitError(getOperation().getLoc())
          << "bnn-parallelize-packed-conv: channel-chunk must be positive, "
             "got "
          << static_cast<int64_t>(channelChunk);
      return signalPassFailure();
    }
    IRRewriter rewriter(&getContext());
    for (PackedConvOp op : collect(getOperation())) {
      SmallVector<int64_t> ranges = op.getStaticLoopRanges();
      // One task per row (and group); wide layers also split their output
      // channels, in chunks that keep whole register blocks together. With
      // one pixel per row (a dense layer) a block can only grow along the
      // channels: its chunks are no narrower than the block the whole
      // layer would get (1 x 256 int8 channels on AVX-512 ran 1.7x faster
      // than the 1 x 64 of 64-channel chunks). With more pixels, narrow
      // chunks leave the block room along the row (7 x 32 channels beat
      // 1 x 256 on the 7x7x512 int8 layer).
      // Chunks are whole vectors of the layer's lane width at least: 100
      // of 200 channels would leave the blocks 4 lanes of 8 (32% of the
      // popcount peak on AVX-512, against 76% for whole rows).
      int64_t block = vectorLanes(ranges[O], vectorBits, wordBits(op));
      if (ranges[OX] == 1) {
        PackedConvTileOptions tileOptions;
        tileOptions.vectorBits = vectorBits;
        tileOptions.vectorRegisters = vectorRegisters;
        block = chooseRegisterBlock(ranges[OX], ranges[O], tileOptions,
                                    wordBits(op))
                    .channels;
      }
      int64_t chunk = ranges[O];
      for (int64_t c = std::max<int64_t>(channelChunk, block); c < ranges[O];
           c += block)
        if (ranges[O] % c == 0 && c % block == 0) {
          chunk = c;
          break;
        }
      if (ranges[N] * ranges[OY] * ranges[G] * (ranges[O] / chunk) < 2)
        continue;
      if (failed(tile(rewriter, op, {1, 1, 0, 1, chunk}, /*forall=*/true))) {
        op.emitError("bnn-parallelize-packed-conv: cannot tile this packed "
                     "convolution");
        return signalPassFailure();
      }
    }
  }
};
} // namespace
