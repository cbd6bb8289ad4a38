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

#include "bnn/Codegen/Passes.h"

#include "PackedConv.h"
#include "bnn/Dialect/BNN/Utils/LoweringUtils.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace bnn {
#define GEN_PASS_DEF_BNNFUSEBITPACKPASS
#include "bnn/Codegen/Passes.h.inc"
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

/// Whether `op` is an elementwise generic.
static bool isElementwise(Operation *op) {
  auto generic = dyn_cast_or_null<linalg::GenericOp>(op);
  return generic && generic.getNumReductionLoops() == 0;
}

/// Whether `v` is a packed convolution's result, or the only use of an
/// elementwise generic of one (its epilogue).
static bool feedsFromPackedConv(Value v) {
  Operation *def = v.getDefiningOp();
  if (isa_and_nonnull<PackedConvOp>(def))
    return true;
  if (!isElementwise(def) || !v.hasOneUse())
    return false;
  return llvm::any_of(cast<linalg::GenericOp>(def).getDpsInputs(),
                      [](Value in) { return in.getDefiningOp<PackedConvOp>(); });
}

/// The operations in the body of `op`, counted up to `limit + 1`: bodies
/// grow with every fusion, and counting them must not.
static int64_t bodySize(Operation *op, int64_t limit) {
  Block *body = cast<linalg::GenericOp>(op).getBody();
  int64_t size = 0;
  for (auto it = body->begin(); it != body->end() && size <= limit; ++it)
    ++size;
  return size;
}

void bnn::populateFuseBitpackPatterns(RewritePatternSet &patterns,
                                      int64_t maxFusedOps) {
  // Elementwise producers that read no i1 tensor (a packing generic could
  // not read it as vector lanes), fused when every use is a packing
  // generic, or when their only use is another elementwise generic (so no
  // binary tensor is stored between, e.g., a threshold and the widening
  // of a binary result to bytes).
  //
  // Each fusion copies both bodies into a new generic: the size of what is
  // fused is bounded, so that a chain of N elementwise ops costs O(N) and
  // not O(N^2) (it becomes generics of at most `maxFusedOps` operations).
  linalg::ControlFusionFn control = [maxFusedOps](OpOperand *operand) {
    Operation *producer = operand->get().getDefiningOp();
    // A grouped convolution's result merged from [G, O/G] to O: its
    // elementwise consumer is expanded to the groups, so that it reads the
    // convolution (or its elementwise epilogue) directly and can be fused
    // into the convolution's tiles like a one-group epilogue.
    if (auto collapse = dyn_cast_or_null<tensor::CollapseShapeOp>(producer))
      return isElementwise(operand->getOwner()) &&
             feedsFromPackedConv(collapse.getSrc());
    if (!isElementwise(producer) ||
        llvm::any_of(cast<linalg::GenericOp>(producer).getDpsInputs(),
                     [](Value v) {
                       return getElementTypeOrSelf(v.getType()).isInteger(1);
                     }))
      return false;
    Operation *consumer = operand->getOwner();
    if (isa<linalg::GenericOp>(consumer)) {
      int64_t ops =
          bodySize(producer, maxFusedOps) + bodySize(consumer, maxFusedOps);
      int64_t operands =
          producer->getNumOperands() + consumer->getNumOperands();
      if (ops > maxFusedOps || operands > maxFusedOps)
        return false;
    }
    if (feedsBitPack(operand->get()))
      return true;
    return operand->get().hasOneUse() && isElementwise(operand->getOwner());
  };
  linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, control);
  linalg::populateElementwiseOpsFusionPatterns(patterns, control);
}

namespace {
struct BNNFuseBitpackPass
    : public bnn::impl::BNNFuseBitpackPassBase<BNNFuseBitpackPass> {
  using Base::Base;
  void runOnOperation() override {
    if (failed(lowering::applyPatterns(
            getOperation(), [&](RewritePatternSet &patterns) {
              populateFuseBitpackPatterns(patterns, maxFusedOps);
            })))
      signalPassFailure();
  }
};
} // namespace
