//===- LowerPack.cpp - bnn-lower-pack pass ---------------------------------------===//

#include "bnn/Dialect/BNN/Transforms/Passes.h"

#include "bnn/Dialect/BNN/IR/BNNOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#define DEBUG_TYPE "bnn-lower-pack"

namespace mlir {
namespace bnn {
#define GEN_PASS_DEF_BNNLOWERPACKPASS
#include "bnn/Dialect/BNN/Transforms/Passes.h.inc"
} // namespace bnn
} // namespace mlir

using namespace mlir;
using namespace mlir::bnn;

void bnn::populateLowerPackPatterns(RewritePatternSet &patterns) {}

namespace {
struct BNNLowerPackPass
    : public bnn::impl::BNNLowerPackPassBase<BNNLowerPackPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateLowerPackPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
