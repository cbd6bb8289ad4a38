//===- SpecializeBatch.cpp - public functions for one image ---------------===//

#include "bnn/RuntimeABI/Passes.h"

#include "bnn/RuntimeABI/Batch.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"

#define DEBUG_TYPE "bnn-specialize-batch"

namespace mlir {
namespace bnn {
#define GEN_PASS_DEF_BNNSPECIALIZEBATCHPASS
#include "bnn/RuntimeABI/Passes.h.inc"
} // namespace bnn
} // namespace mlir

using namespace mlir;
using namespace mlir::bnn;

LogicalResult bnn::specializeBatch(func::FuncOp func, int64_t batch) {
  // Every dynamic dimension must be the batch: anything else would stay
  // dynamic, which the lowering does not compile.
  Operation *offender = nullptr;
  Type offending;
  auto isAllowed = [](Type type) {
    auto shaped = dyn_cast<ShapedType>(type);
    return !shaped || !shaped.hasRank() || shaped.hasStaticShape() ||
           isBatchedType(type);
  };
  func.walk([&](Operation *op) {
    for (Type type : op->getResultTypes())
      if (!isAllowed(type) && !offender)
        offender = op, offending = type;
    for (Region &region : op->getRegions())
      for (Block &block : region)
        for (BlockArgument arg : block.getArguments())
          if (!isAllowed(arg.getType()) && !offender)
            offender = op, offending = arg.getType();
  });
  if (offender)
    return offender->emitError()
           << "has a value of type " << offending << " in '"
           << func.getSymName()
           << "', which has a dynamic batch: only dimension 0 (the batch) "
              "may be dynamic";

  OpBuilder b(func.getContext());
  // The batch size is now known.
  SmallVector<tensor::DimOp> dims;
  func.walk([&](tensor::DimOp dim) {
    std::optional<int64_t> index = dim.getConstantIndex();
    if (index && *index == 0 && isBatchedType(dim.getSource().getType()))
      dims.push_back(dim);
  });
  for (tensor::DimOp dim : dims) {
    b.setInsertionPoint(dim);
    Value size = arith::ConstantIndexOp::create(b, dim.getLoc(), batch);
    dim.replaceAllUsesWith(size);
    dim.erase();
  }

  func.walk([&](Operation *op) {
    for (Region &region : op->getRegions())
      for (Block &block : region)
        for (BlockArgument arg : block.getArguments())
          arg.setType(withBatch(arg.getType(), batch));
    for (OpResult result : op->getResults())
      result.setType(withBatch(result.getType(), batch));
  });

  // tensor.empty(%size) of what is now a static type.
  SmallVector<tensor::EmptyOp> empties;
  func.walk([&](tensor::EmptyOp empty) {
    if (!empty.getDynamicSizes().empty() && empty.getType().hasStaticShape())
      empties.push_back(empty);
  });
  for (tensor::EmptyOp empty : empties) {
    b.setInsertionPoint(empty);
    auto replacement = tensor::EmptyOp::create(
        b, empty.getLoc(), empty.getType().getShape(),
        empty.getType().getElementType(), empty.getType().getEncoding());
    empty.replaceAllUsesWith(replacement.getResult());
    empty.erase();
  }

  FunctionType type = func.getFunctionType();
  SmallVector<Type> inputs, results;
  for (Type t : type.getInputs())
    inputs.push_back(withBatch(t, batch));
  for (Type t : type.getResults())
    results.push_back(withBatch(t, batch));
  func.setType(FunctionType::get(func.getContext(), inputs, results));

  if (failed(verify(func)))
    return func.emitError()
           << "'" << func.getSymName()
           << "' does not verify for a batch of " << batch
           << "; a dynamic batch needs every operation to compute each "
              "image independently";
  return success();
}

namespace {

struct SpecializeBatchPass
    : public bnn::impl::BNNSpecializeBatchPassBase<SpecializeBatchPass> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (func.isExternal() || !hasDynamicBatch(func.getFunctionType()))
        continue;
      if (!func.isPublic()) {
        func.emitError() << "private function '" << func.getSymName()
                         << "' has a dynamic batch; only public functions "
                            "(entry points) may";
        return signalPassFailure();
      }
      if (failed(verifyBatchSignature(func)) ||
          failed(specializeBatch(func, 1)))
        return signalPassFailure();
    }
  }
};

} // namespace
