//===- GeneralizePackedConv.cpp - bnn-generalize-packed-conv pass ---------===//
//
// What vectorization leaves of a packed convolution becomes a linalg.generic
// (and then loops).
//
//===----------------------------------------------------------------------===//

#include "PackedConv.h"
#include "bnn/Codegen/Passes.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

#define DEBUG_TYPE "bnn-generalize-packed-conv"

namespace mlir {
namespace bnn {
#define GEN_PASS_DEF_BNNGENERALIZEPACKEDCONVPASS
#include "bnn/Codegen/Passes.h.inc"
} // namespace bnn
} // namespace mlir

using namespace mlir;
using namespace mlir::bnn;

namespace {
struct GeneralizePackedConv : public OpRewritePattern<PackedConvOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(PackedConvOp op,
                                PatternRewriter &rewriter) const override {
    packed_conv::generalize(rewriter, op);
    return success();
  }
};
} // namespace

void bnn::populateGeneralizePackedConvPatterns(RewritePatternSet &patterns) {
  patterns.add<GeneralizePackedConv>(patterns.getContext());
}

namespace {
struct BNNGeneralizePackedConvPass
    : public bnn::impl::BNNGeneralizePackedConvPassBase<
          BNNGeneralizePackedConvPass> {
  void runOnOperation() override {
    // One rewrite per op, nothing else folded: the IR around the
    // convolutions stays as the earlier passes left it.
    RewritePatternSet patterns(&getContext());
    populateGeneralizePackedConvPatterns(patterns);
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};
} // namespace
