//===- SplitDeallocs.cpp - bnn-split-deallocs pass ------------------------===//
//
// buffer-deallocation-simplification splits a bufferization.dealloc into one
// per memref that aliases no other, asking for every memref whether it
// aliases each other one: quadratic in the operands, and a model's function
// frees all its temporaries in one dealloc at its end. Distinct results of
// allocations never alias, so for them the split needs no analysis.
//
//===----------------------------------------------------------------------===//

#include "bnn/Codegen/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"
#include "llvm/ADT/DenseSet.h"

#define DEBUG_TYPE "bnn-split-deallocs"

namespace mlir {
namespace bnn {
#define GEN_PASS_DEF_BNNSPLITDEALLOCSPASS
#include "bnn/Codegen/Passes.h.inc"
} // namespace bnn
} // namespace mlir

using namespace mlir;
using namespace mlir::bnn;

namespace {
/// One bufferization.dealloc per memref, in operand order, for a dealloc
/// that retains nothing and frees distinct allocation results: what
/// buffer-deallocation-simplification's SplitDeallocWhenNotAliasingAnyOther
/// makes of it (with nothing retained there are no updated conditions to
/// combine).
struct SplitDeallocOfDistinctAllocations
    : public OpRewritePattern<bufferization::DeallocOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(bufferization::DeallocOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getMemrefs().size() <= 1)
      return rewriter.notifyMatchFailure(op, "at most one memref");
    if (!op.getRetained().empty())
      return rewriter.notifyMatchFailure(op, "retains memrefs");
    llvm::DenseSet<Value> seen;
    for (Value memref : op.getMemrefs()) {
      Operation *def = memref.getDefiningOp();
      if (!def || !hasEffect<MemoryEffects::Allocate>(def, memref))
        return rewriter.notifyMatchFailure(op, "not an allocation's result");
      if (!seen.insert(memref).second)
        return rewriter.notifyMatchFailure(op, "a memref appears twice");
    }
    for (auto [memref, condition] :
         llvm::zip_equal(op.getMemrefs(), op.getConditions()))
      bufferization::DeallocOp::create(rewriter, op.getLoc(), memref, condition,
                                       ValueRange());
    rewriter.eraseOp(op);
    return success();
  }
};
} // namespace

void bnn::populateSplitDeallocsPatterns(RewritePatternSet &patterns) {
  patterns.add<SplitDeallocOfDistinctAllocations>(patterns.getContext());
}

namespace {
struct BNNSplitDeallocsPass
    : public bnn::impl::BNNSplitDeallocsPassBase<BNNSplitDeallocsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateSplitDeallocsPatterns(patterns);
    // One walk, no folding: the function is otherwise left as it is.
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};
} // namespace
