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
      // channels, in chunks that keep whole register blocks together.
      int64_t chunk = ranges[O] > channelChunk && ranges[O] % channelChunk == 0
                          ? channelChunk
                          : ranges[O];
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
