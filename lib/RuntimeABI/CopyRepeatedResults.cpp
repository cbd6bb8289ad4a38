//===- CopyRepeatedResults.cpp - bnn-copy-repeated-results pass -----------===//
//
// Upstream `buffer-results-to-out-params{hoist-static-allocs}` replaces a
// returned static allocation by its out-parameter and erases it, once per
// result: an allocation returned twice is erased twice, a use-after-free
// that crashes the compiler (reproducible with mlir-opt-22 alone). Giving
// each repeat a buffer of its own avoids it; the bufferized phase is the
// first where two results can be one buffer, so the pass runs there.
//
//===----------------------------------------------------------------------===//

#include "bnn/RuntimeABI/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/SmallPtrSet.h"

#define DEBUG_TYPE "bnn-copy-repeated-results"

namespace mlir {
namespace bnn {
#define GEN_PASS_DEF_BNNCOPYREPEATEDRESULTSPASS
#include "bnn/RuntimeABI/Passes.h.inc"
} // namespace bnn
} // namespace mlir

using namespace mlir;

namespace {
/// A fresh buffer of `value`'s type (at the function boundary an identity
/// layout) holding a copy of it.
Value copyOf(OpBuilder &b, Location loc, Value value, MemRefType type) {
  SmallVector<Value> dynamicSizes;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (type.isDynamicDim(d))
      dynamicSizes.push_back(memref::DimOp::create(b, loc, value, d));
  Value copy = memref::AllocOp::create(b, loc, type, dynamicSizes,
                                       b.getI64IntegerAttr(64));
  memref::CopyOp::create(b, loc, value, copy);
  return copy;
}

struct CopyRepeatedResultsPass
    : public bnn::impl::BNNCopyRepeatedResultsPassBase<
          CopyRepeatedResultsPass> {
  void runOnOperation() override {
    getOperation().walk([](func::ReturnOp ret) {
      llvm::SmallPtrSet<Value, 8> seen;
      OpBuilder b(ret);
      for (OpOperand &operand : ret->getOpOperands()) {
        Value value = operand.get();
        auto type = dyn_cast<MemRefType>(value.getType());
        if (!type || seen.insert(value).second)
          continue;
        operand.set(copyOf(b, ret.getLoc(), value, type));
      }
    });
  }
};
} // namespace
