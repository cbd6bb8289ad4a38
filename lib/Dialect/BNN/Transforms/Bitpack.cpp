//===- Bitpack.cpp - bnn-bitpack pass ---------------------------------------===//

#include "bnn/Dialect/BNN/Transforms/Passes.h"

#include "bnn/Dialect/BNN/IR/BNNOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#define DEBUG_TYPE "bnn-bitpack"

namespace mlir {
namespace bnn {
#define GEN_PASS_DEF_BNNBITPACKPASS
#include "bnn/Dialect/BNN/Transforms/Passes.h.inc"
} // namespace bnn
} // namespace mlir

using namespace mlir;
using namespace mlir::bnn;

void bnn::populateBitpackPatterns(RewritePatternSet &patterns) {}

namespace {
struct BNNBitpackPass
    : public bnn::impl::BNNBitpackPassBase<BNNBitpackPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateBitpackPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
