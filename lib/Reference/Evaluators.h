//===- Evaluators.h - per-dialect operator evaluators -----------*- C++ -*-===//
//
// Each evaluator returns true when it handled the operator (results filled),
// false when the operator is not its own, and failure after emitting a
// diagnostic when it is its own but cannot be evaluated.
//
//===----------------------------------------------------------------------===//

#ifndef BNN_LIB_REFERENCE_EVALUATORS_H
#define BNN_LIB_REFERENCE_EVALUATORS_H

#include "bnn/Reference/Tensor.h"
#include "mlir/IR/Operation.h"

namespace mlir {
namespace bnn {
namespace ref {

using Operands = ArrayRef<const Tensor *>;
using Results = SmallVectorImpl<Tensor>;

FailureOr<bool> evaluateBNNOp(Operation *op, Operands operands,
                              Results &results);
FailureOr<bool> evaluateGlueOp(Operation *op, Operands operands,
                               Results &results);

} // namespace ref
} // namespace bnn
} // namespace mlir

#endif // BNN_LIB_REFERENCE_EVALUATORS_H
