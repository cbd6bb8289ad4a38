//===- CopiesToLinalg.cpp - bnn-copies-to-linalg pass ---------------------===//
//
// Strided copies would otherwise become calls into libmlir_c_runner_utils.
//
//===----------------------------------------------------------------------===//

#include "bnn/Codegen/Passes.h"

#include "bnn/Dialect/BNN/Utils/LoweringUtils.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"

#define DEBUG_TYPE "bnn-copies-to-linalg"

namespace mlir {
namespace bnn {
#define GEN_PASS_DEF_BNNCOPIESTOLINALGPASS
#include "bnn/Codegen/Passes.h.inc"
} // namespace bnn
} // namespace mlir

using namespace mlir;
using namespace mlir::bnn;

namespace {
bool isContiguous(Value v) {
  auto type = dyn_cast<MemRefType>(v.getType());
  return type && type.getLayout().isIdentity();
}

struct StridedCopyToLinalg : public OpRewritePattern<memref::CopyOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(memref::CopyOp op,
                                PatternRewriter &rewriter) const override {
    if (isContiguous(op.getSource()) && isContiguous(op.getTarget()))
      return rewriter.notifyMatchFailure(op, "contiguous copy");
    rewriter.replaceOpWithNewOp<linalg::CopyOp>(op, op.getSource(),
                                                op.getTarget());
    return success();
  }
};
} // namespace

void bnn::populateCopiesToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<StridedCopyToLinalg>(patterns.getContext());
}

namespace {
struct BNNCopiesToLinalgPass
    : public bnn::impl::BNNCopiesToLinalgPassBase<BNNCopiesToLinalgPass> {
  void runOnOperation() override {
    if (failed(lowering::applyPatterns(getOperation(),
                                       populateCopiesToLinalgPatterns)))
      signalPassFailure();
  }
};
} // namespace
