//===- GlueSupport.h - helpers of the float glue evaluators -----*- C++ -*-===//
//
// Values of the upstream dialects are carried as reference tensors: a ranked
// tensor as itself, a scalar (f32, iN, index) as a rank-0 tensor, an index as
// i64 and a !tosa.shape<N> as a 1-D i64 tensor of N elements. Every result
// type is static, which the dispatcher checks before any evaluator runs, so
// evaluators take their output shapes from the result types.
//
// Float arithmetic is done in f32, one rounding per operation, products kept
// in separate statements so that no multiply-add is contracted.
//
//===----------------------------------------------------------------------===//

#ifndef BNN_LIB_REFERENCE_GLUESUPPORT_H
#define BNN_LIB_REFERENCE_GLUESUPPORT_H

#include "Evaluators.h"

#include "llvm/ADT/STLFunctionalExtras.h"

namespace mlir {
namespace bnn {
namespace ref {
namespace glue {

using Shape = std::vector<int64_t>;

//===----------------------------------------------------------------------===//
// Per-dialect evaluators (same contract as evaluateGlueOp).
//===----------------------------------------------------------------------===//

FailureOr<bool> evaluateTosaOp(Operation *op, Operands in, Results &out);
FailureOr<bool> evaluateArithOp(Operation *op, Operands in, Results &out);
FailureOr<bool> evaluateTensorOp(Operation *op, Operands in, Results &out);
FailureOr<bool> evaluateLinalgOp(Operation *op, Operands in, Results &out);

//===----------------------------------------------------------------------===//
// Types and diagnostics
//===----------------------------------------------------------------------===//

/// The interpreter's element type of a scalar or tensor element type (index
/// maps to i64); std::nullopt for anything it cannot represent.
std::optional<ElementType> elementTypeOf(Type type);

/// True for the types a glue value may have (see the file comment).
bool isRepresentable(Type type);

/// The static shape of the (representable) type of `v`; {} for a scalar.
Shape shapeOf(Value v);

/// A zero-filled tensor of the (representable) type of `v`.
Tensor zerosOf(Value v);

/// The value of a constant attribute: a dense elements attribute as a
/// tensor, a float or integer attribute as a rank-0 tensor; std::nullopt for
/// element types the interpreter does not know.
std::optional<Tensor> constantValue(Attribute attr);

/// Emits "reference interpreter: <what> is not supported" and fails.
FailureOr<bool> notSupported(Operation *op, const Twine &what);

/// Emits "reference interpreter: cannot evaluate '<op>': <why>" and fails:
/// for operands or attributes the operator does not define a result for
/// (an out-of-bounds slice, negative padding, mismatched shapes) that the
/// verifier lets through. Evaluators check every index they derive from
/// attributes and operands before using it.
FailureOr<bool> cannotEvaluate(Operation *op, const Twine &why);

/// Fails with cannotEvaluate unless `t` has `rank` dimensions; `what` names
/// the operand ("the input").
LogicalResult requireRank(Operation *op, const Tensor &t, int64_t rank,
                          StringRef what);

/// Fails with cannotEvaluate unless `a` and `b` have the same number of
/// elements (an elementwise operator or a reshape).
LogicalResult requireSameCount(Operation *op, const Tensor &a, const Tensor &b);

/// Fails with cannotEvaluate unless the window attributes of a convolution
/// or pooling are what its loops can take: `pads` in [0, 2^31], `strides`
/// and `dilations` in [1, 2^31], with the expected number of entries.
LogicalResult checkWindow(Operation *op, ArrayRef<int64_t> pads, size_t numPads,
                          ArrayRef<int64_t> strides,
                          ArrayRef<int64_t> dilations);

/// Fails with a diagnostic unless every element of the zero-point or shift
/// operand `t` is zero; `what` names it ("tosa.conv2d with non-zero zero
/// point").
LogicalResult requireZero(Operation *op, const Tensor &t, const Twine &what);

//===----------------------------------------------------------------------===//
// Indexing
//===----------------------------------------------------------------------===//

/// Calls fn(index) for every multi-index of `shape` in row-major order.
void forEachIndex(const Shape &shape,
                  llvm::function_ref<void(const Shape &)> fn);

/// dst[to] = src[from]; both tensors have the same element type.
void copyElement(const Tensor &src, int64_t from, Tensor &dst, int64_t to);

/// Copies all of `src` into `dst` with its origin at `offsets` (same rank).
void insertAt(const Tensor &src, const Shape &offsets, Tensor &dst);

/// Sets every element of `t` to element 0 of `value` (same element type).
void fillWith(Tensor &t, const Tensor &value);

//===----------------------------------------------------------------------===//
// Scalar semantics
//===----------------------------------------------------------------------===//

/// IEEE 754-2019 maximum/minimum (arith.maximumf/minimumf): NaN propagates,
/// -0.0 orders below +0.0.
float maximumF(float a, float b);
float minimumF(float a, float b);

/// Reduces `v` modulo 2^bitWidth into the range of `type` (two's complement
/// for signless and signed types; i1 is 0 or 1).
int64_t wrapInt(int64_t v, const ElementType &type);

/// The signed value of a stored integer (an i1 holding 1 is -1).
int64_t signedValue(int64_t v, const ElementType &type);

/// Wrapping integer arithmetic on int64_t (no signed-overflow UB).
inline int64_t addWrap(int64_t a, int64_t b) {
  return int64_t(uint64_t(a) + uint64_t(b));
}
inline int64_t subWrap(int64_t a, int64_t b) {
  return int64_t(uint64_t(a) - uint64_t(b));
}
inline int64_t mulWrap(int64_t a, int64_t b) {
  return int64_t(uint64_t(a) * uint64_t(b));
}

/// acc + a * b rounded to f32 after the product and after the sum.
float mulAdd(float acc, float a, float b);

//===----------------------------------------------------------------------===//
// Elementwise operators
//===----------------------------------------------------------------------===//

using FloatFn1 = llvm::function_ref<float(float)>;
using IntFn1 = llvm::function_ref<int64_t(int64_t)>;
using FloatFn2 = llvm::function_ref<float(float, float)>;
using IntFn2 = llvm::function_ref<int64_t(int64_t, int64_t)>;

/// Result 0 of `op` = fn(in[0]) per element: `f` on floats, `i` on integers
/// (result wrapped to the result type). A null function means the element
/// kind is not supported.
FailureOr<bool> unaryElementwise(Operation *op, Operands in, Results &out,
                                 FloatFn1 f, IntFn1 i = nullptr);

/// Result 0 of `op` = fn(in[0], in[1]) per element with TOSA broadcasting:
/// ranks equal, each operand dimension equal to the result's or 1.
FailureOr<bool> binaryElementwise(Operation *op, Operands in, Results &out,
                                  FloatFn2 f, IntFn2 i = nullptr);

/// Result 0 of `op` = the operands laid end to end along `axis`; fails
/// unless they have the result's rank and its sizes but along `axis`, where
/// they add up to the result's.
FailureOr<bool> concatenate(Operation *op, Operands in, int64_t axis,
                            Results &out);

} // namespace glue
} // namespace ref
} // namespace bnn
} // namespace mlir

#endif // BNN_LIB_REFERENCE_GLUESUPPORT_H
