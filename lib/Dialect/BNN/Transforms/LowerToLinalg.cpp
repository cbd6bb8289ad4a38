//===- LowerToLinalg.cpp - bnn-lower-to-linalg pass ---------------------------------------===//

#include "bnn/Dialect/BNN/Transforms/Passes.h"

#include "bnn/Dialect/BNN/IR/BNNOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#define DEBUG_TYPE "bnn-lower-to-linalg"

namespace mlir {
namespace bnn {
#define GEN_PASS_DEF_BNNLOWERTOLINALGPASS
#include "bnn/Dialect/BNN/Transforms/Passes.h.inc"
} // namespace bnn
} // namespace mlir

using namespace mlir;
using namespace mlir::bnn;

void bnn::populateLowerToLinalgPatterns(RewritePatternSet &patterns) {}

namespace {
struct BNNLowerToLinalgPass
    : public bnn::impl::BNNLowerToLinalgPassBase<BNNLowerToLinalgPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateLowerToLinalgPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
