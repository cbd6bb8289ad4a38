//===- FuseBitpack.cpp - bnn-fuse-bitpack pass ----------------------------===//
//
// bnn-lower-pack writes the packing of a binary tensor as a reduction over
// the 64 bits of each word; bnn-lower-to-linalg writes the thresholds (or
// binarization) that produce those bits as an elementwise generic. Fused,
// one generic reads the accumulators and writes packed words: the i1
// tensor between them disappears, and bnn-vectorize-packed-conv turns each
// word into 64 lane-wise comparisons and one mask-to-integer bitcast.
//
// The fusion is upstream's: the expand_shape that splits the channels into
// [words, 64] is propagated into the producer by expansion, then the
// elementwise producer is fused into the packing generic. Both are limited
// to what feeds a packing generic.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "PackedConv.h"
#include "bnn/Dialect/BNN/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace bnn {
#define GEN_PASS_DEF_BNNFUSEBITPACKPASS
#include "bnn/Dialect/BNN/Transforms/Passes.h.inc"
} // namespace bnn
} // namespace mlir

using namespace mlir;
using namespace mlir::bnn;

/// Whether `v` only feeds bit-packing generics (through expand_shape).
static bool feedsBitPack(Value v) {
  if (v.use_empty())
    return false;
  for (Operation *user : v.getUsers()) {
    if (auto expand = dyn_cast<tensor::ExpandShapeOp>(user)) {
      if (!feedsBitPack(expand.getResult()))
        return false;
      continue;
    }
    auto generic = dyn_cast<linalg::GenericOp>(user);
    if (!generic || !packed_conv::bitPackBit(generic))
      return false;
  }
  return true;
}

void bnn::populateFuseBitpackPatterns(RewritePatternSet &patterns) {
  // Only elementwise producers whose every use is a packing generic: the
  // fused generic then replaces them entirely.
  linalg::ControlFusionFn control = [](OpOperand *operand) {
    Operation *producer = operand->get().getDefiningOp();
    auto generic = dyn_cast_or_null<linalg::GenericOp>(producer);
    // A producer reading i1 tensors would give the packing an i1 input,
    // which it cannot read as vector lanes.
    return generic && generic.getNumReductionLoops() == 0 &&
           llvm::none_of(generic.getDpsInputs(),
                         [](Value v) {
                           return getElementTypeOrSelf(v.getType())
                               .isInteger(1);
                         }) &&
           feedsBitPack(operand->get());
  };
  linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, control);
  linalg::populateElementwiseOpsFusionPatterns(patterns, control);
}

namespace {
struct BNNFuseBitpackPass
    : public bnn::impl::BNNFuseBitpackPassBase<BNNFuseBitpackPass> {
  void runOnOperation() override {
    if (failed(lowering::applyPatterns(getOperation(),
                                       populateFuseBitpackPatterns)))
      signalPassFailure();
  }
};
} // namespace
