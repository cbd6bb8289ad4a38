//===- Batch.h - the dynamic batch of the runtime ABI -----------*- C++ -*-===//
//
// A public function may leave dimension 0 of its tensors dynamic (`?`): the
// batch. Its body must then compute every image independently (every op
// batch-polymorphic); bnn-specialize-batch compiles it for one image and
// the entry point of the runtime ABI loops over the caller's batch, so that
// one artifact serves every batch size at the per-image speed of a batch-1
// model; the reference interpreter evaluates the whole batch at once
// (specializeBatch with the caller's batch size). The rules:
//   - a batched tensor is a ranked tensor whose only dynamic dimension is
//     dimension 0;
//   - a function with a batched argument or result has only batched
//     results and at least one batched argument; its other arguments
//     (weights, say) are shared by every image;
//   - no other dynamic dimension crosses the ABI.
//
//===----------------------------------------------------------------------===//

#ifndef BNN_CONVERSION_BATCH_H
#define BNN_CONVERSION_BATCH_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"

namespace mlir {
namespace bnn {

/// Whether `type` is a ranked tensor whose only dynamic dimension is 0.
inline bool isBatchedType(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.getRank() >= 1 && tensor.isDynamicDim(0) &&
         tensor.getNumDynamicDims() == 1;
}

/// `type` with dimension 0 set to `batch` when it is batched; else `type`.
inline Type withBatch(Type type, int64_t batch) {
  if (!isBatchedType(type))
    return type;
  auto tensor = cast<RankedTensorType>(type);
  SmallVector<int64_t> shape(tensor.getShape());
  shape[0] = batch;
  return tensor.clone(shape);
}

/// Whether any argument or result of `type` is batched.
inline bool hasDynamicBatch(FunctionType type) {
  return llvm::any_of(type.getInputs(), isBatchedType) ||
         llvm::any_of(type.getResults(), isBatchedType);
}

/// Checks the rules above for a function with a dynamic batch; emits an
/// error at `func` when they do not hold.
inline LogicalResult verifyBatchSignature(func::FuncOp func) {
  FunctionType type = func.getFunctionType();
  if (!hasDynamicBatch(type))
    return success();
  if (!llvm::any_of(type.getInputs(), isBatchedType))
    return func.emitError()
           << "'" << func.getSymName()
           << "' has a dynamic batch in a result but in no argument; the "
              "batch size must come from an argument";
  for (auto [i, result] : llvm::enumerate(type.getResults()))
    if (!isBatchedType(result))
      return func.emitError()
             << "result #" << i << " of '" << func.getSymName()
             << "' has type " << result
             << ", but a function with a dynamic batch computes every "
                "result per image: its dimension 0 must be dynamic too";
  return success();
}

/// Rewrites the body and signature of `func` for a batch of `batch`
/// images: every `?` in dimension 0 becomes `batch`, `tensor.dim` of
/// dimension 0 becomes that constant and `tensor.empty` loses the sizes that
/// became static. Fails with a diagnostic when another dimension is dynamic
/// or the rewritten function does not verify.
LogicalResult specializeBatch(func::FuncOp func, int64_t batch);

} // namespace bnn
} // namespace mlir

#endif // BNN_CONVERSION_BATCH_H
