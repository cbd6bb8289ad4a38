//===- EvalGlue.cpp - reference evaluation of upstream float glue ---------===//

#include "Evaluators.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::bnn;
using namespace mlir::bnn::ref;

namespace {
FailureOr<bool> fromConstant(Operation *op, Attribute value, Results &out) {
  auto dense = dyn_cast<DenseElementsAttr>(value);
  std::optional<Tensor> t = dense ? Tensor::fromAttr(dense) : std::nullopt;
  if (!t)
    return op->emitError("reference interpreter: unsupported constant ")
           << value;
  out.push_back(std::move(*t));
  return true;
}
} // namespace

FailureOr<bool> ref::evaluateGlueOp(Operation *op, Operands in, Results &out) {
  return llvm::TypeSwitch<Operation *, FailureOr<bool>>(op)
      .Case([&](arith::ConstantOp c) { return fromConstant(op, c.getValue(), out); })
      .Case([&](tosa::ConstOp c) { return fromConstant(op, c.getValuesAttr(), out); })
      .Default([](Operation *) { return false; });
}
