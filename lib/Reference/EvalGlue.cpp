//===- EvalGlue.cpp - reference evaluation of upstream float glue ---------===//
//
// Dispatches the upstream operators (arith, tensor, tosa, linalg) to their
// per-dialect evaluators and holds the helpers they share.
//
//===----------------------------------------------------------------------===//

#include "GlueSupport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

#include <cmath>

using namespace mlir;
using namespace mlir::bnn;
using namespace mlir::bnn::ref;
using namespace mlir::bnn::ref::glue;

//===----------------------------------------------------------------------===//
// Types and diagnostics
//===----------------------------------------------------------------------===//

std::optional<ElementType> glue::elementTypeOf(Type type) {
  if (type.isIndex())
    return ElementType::i64();
  return ElementType::fromMLIR(type);
}

bool glue::isRepresentable(Type type) {
  if (isa<tosa::shapeType>(type))
    return true;
  if (type.isIntOrIndexOrFloat())
    return elementTypeOf(type).has_value();
  auto ranked = dyn_cast<RankedTensorType>(type);
  return ranked && ranked.hasStaticShape() &&
         elementTypeOf(ranked.getElementType()).has_value();
}

Shape glue::shapeOf(Value v) {
  Type type = v.getType();
  if (auto shape = dyn_cast<tosa::shapeType>(type))
    return {shape.getRank()};
  if (auto ranked = dyn_cast<RankedTensorType>(type))
    return Shape(ranked.getShape().begin(), ranked.getShape().end());
  return {};
}

Tensor glue::zerosOf(Value v) {
  Type type = v.getType();
  if (isa<tosa::shapeType>(type))
    return Tensor(ElementType::i64(), shapeOf(v));
  return Tensor(*elementTypeOf(getElementTypeOrSelf(type)), shapeOf(v));
}

namespace {
/// Stored value of an integer of type `type` (see Tensor.h).
int64_t storedInt(const APInt &v, const ElementType &type) {
  bool zeroExtend =
      type.kind == ElementType::Kind::Unsigned || type.bitWidth == 1;
  return zeroExtend ? int64_t(v.getZExtValue()) : v.getSExtValue();
}
} // namespace

std::optional<Tensor> glue::constantValue(Attribute attr) {
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    ShapedType type = dense.getType();
    if (!type.getElementType().isIndex())
      return Tensor::fromAttr(dense);
    if (!type.hasStaticShape())
      return std::nullopt;
    Tensor t(ElementType::i64(),
             Shape(type.getShape().begin(), type.getShape().end()));
    int64_t k = 0;
    for (const APInt &v : dense.getValues<APInt>())
      t.ints()[k++] = v.getSExtValue();
    return t;
  }
  if (auto f = dyn_cast<FloatAttr>(attr)) {
    if (!f.getType().isF32())
      return std::nullopt;
    return Tensor::ofFloats({}, {f.getValue().convertToFloat()});
  }
  if (auto i = dyn_cast<IntegerAttr>(attr)) {
    std::optional<ElementType> type = elementTypeOf(i.getType());
    if (!type)
      return std::nullopt;
    return Tensor::ofInts(*type, {}, {storedInt(i.getValue(), *type)});
  }
  return std::nullopt;
}

FailureOr<bool> glue::notSupported(Operation *op, const Twine &what) {
  return op->emitError("reference interpreter: ")
         << what << " is not supported";
}

FailureOr<bool> glue::cannotEvaluate(Operation *op, const Twine &why) {
  return op->emitError("reference interpreter: cannot evaluate '")
         << op->getName() << "': " << why;
}

LogicalResult glue::requireRank(Operation *op, const Tensor &t, int64_t rank,
                                StringRef what) {
  if (t.rank() == rank)
    return success();
  return cannotEvaluate(op, what + " is " + t.typeString() + ", not of rank " +
                                Twine(rank));
}

LogicalResult glue::requireSameCount(Operation *op, const Tensor &a,
                                     const Tensor &b) {
  if (a.numElements() == b.numElements())
    return success();
  return cannotEvaluate(op, a.typeString() + " and " + b.typeString() +
                                " have different element counts");
}

LogicalResult glue::checkWindow(Operation *op, ArrayRef<int64_t> pads,
                                size_t numPads, ArrayRef<int64_t> strides,
                                ArrayRef<int64_t> dilations) {
  constexpr int64_t kMax = int64_t(1) << 31;
  auto inRange = [&](ArrayRef<int64_t> values, int64_t lo) {
    return llvm::all_of(values,
                        [&](int64_t v) { return v >= lo && v <= kMax; });
  };
  if (pads.size() != numPads || !inRange(pads, 0))
    return cannotEvaluate(op, "expected " + Twine(numPads) +
                                  " paddings in [0, 2^31]");
  if (strides.size() != 2 || !inRange(strides, 1))
    return cannotEvaluate(op, "expected 2 strides in [1, 2^31]");
  if (dilations.size() != 2 || !inRange(dilations, 1))
    return cannotEvaluate(op, "expected 2 dilations in [1, 2^31]");
  return success();
}

LogicalResult glue::requireZero(Operation *op, const Tensor &t,
                                const Twine &what) {
  bool zero = t.isFloat()
                  ? llvm::all_of(t.floats(), [](float v) { return v == 0.0f; })
                  : llvm::all_of(t.ints(), [](int64_t v) { return v == 0; });
  if (zero)
    return success();
  return notSupported(op, what);
}

//===----------------------------------------------------------------------===//
// Indexing
//===----------------------------------------------------------------------===//

void glue::forEachIndex(const Shape &shape,
                        llvm::function_ref<void(const Shape &)> fn) {
  for (int64_t d : shape)
    if (d == 0)
      return;
  Shape index(shape.size(), 0);
  while (true) {
    fn(index);
    int64_t d = static_cast<int64_t>(shape.size()) - 1;
    while (d >= 0 && ++index[d] == shape[d])
      index[d--] = 0;
    if (d < 0)
      return;
  }
}

void glue::copyElement(const Tensor &src, int64_t from, Tensor &dst,
                       int64_t to) {
  if (src.isFloat())
    dst.floats()[to] = src.floats()[from];
  else
    dst.ints()[to] = src.ints()[from];
}

void glue::insertAt(const Tensor &src, const Shape &offsets, Tensor &dst) {
  int64_t k = 0;
  forEachIndex(src.shape(), [&](const Shape &index) {
    Shape target(index);
    for (size_t d = 0; d < target.size(); ++d)
      target[d] += offsets[d];
    copyElement(src, k++, dst, dst.offset(target));
  });
}

void glue::fillWith(Tensor &t, const Tensor &value) {
  if (t.isFloat())
    llvm::fill(t.floats(), value.floats()[0]);
  else
    llvm::fill(t.ints(), value.ints()[0]);
}

//===----------------------------------------------------------------------===//
// Scalar semantics
//===----------------------------------------------------------------------===//

float glue::maximumF(float a, float b) {
  if (std::isnan(a) || std::isnan(b))
    return std::numeric_limits<float>::quiet_NaN();
  if (a == b) // equal values differ at most in the sign of zero
    return std::signbit(a) ? b : a;
  return a > b ? a : b;
}

float glue::minimumF(float a, float b) {
  if (std::isnan(a) || std::isnan(b))
    return std::numeric_limits<float>::quiet_NaN();
  if (a == b)
    return std::signbit(a) ? a : b;
  return a < b ? a : b;
}

namespace {
/// The low `width` bits of `v` read as a two's complement number.
int64_t signExtend(int64_t v, unsigned width) {
  if (width >= 64)
    return v;
  uint64_t bits = uint64_t(v) & ((uint64_t(1) << width) - 1);
  uint64_t signBit = uint64_t(1) << (width - 1);
  return int64_t(bits ^ signBit) - int64_t(signBit);
}
} // namespace

int64_t glue::wrapInt(int64_t v, const ElementType &type) {
  if (type.bitWidth >= 64)
    return v;
  if (type.kind == ElementType::Kind::Unsigned || type.bitWidth == 1)
    return int64_t(uint64_t(v) & ((uint64_t(1) << type.bitWidth) - 1));
  return signExtend(v, type.bitWidth);
}

int64_t glue::signedValue(int64_t v, const ElementType &type) {
  return signExtend(v, type.bitWidth);
}

float glue::mulAdd(float acc, float a, float b) {
  float product = a * b;
  return acc + product;
}

//===----------------------------------------------------------------------===//
// Elementwise operators
//===----------------------------------------------------------------------===//

FailureOr<bool> glue::unaryElementwise(Operation *op, Operands in, Results &out,
                                       FloatFn1 f, IntFn1 i) {
  const Tensor &x = *in[0];
  Tensor y = zerosOf(op->getResult(0));
  if (failed(requireSameCount(op, x, y)))
    return failure();
  if (x.isFloat() && y.isFloat() && f) {
    for (int64_t k = 0, e = x.numElements(); k < e; ++k)
      y.floats()[k] = f(x.floats()[k]);
  } else if (!x.isFloat() && !y.isFloat() && i) {
    for (int64_t k = 0, e = x.numElements(); k < e; ++k)
      y.ints()[k] = wrapInt(i(x.ints()[k]), y.type());
  } else {
    return notSupported(op,
                        op->getName().getStringRef() + " on " + x.typeString());
  }
  out.push_back(std::move(y));
  return true;
}

namespace {
/// Flat offset in `t` of the element that broadcasts to result index `index`.
int64_t broadcastOffset(const Tensor &t, const Shape &index) {
  int64_t offset = 0;
  for (int64_t d = 0; d < t.rank(); ++d)
    offset = offset * t.dim(d) + (t.dim(d) == 1 ? 0 : index[d]);
  return offset;
}

bool broadcastsTo(const Tensor &t, const Shape &shape) {
  if (t.rank() != static_cast<int64_t>(shape.size()))
    return false;
  for (int64_t d = 0; d < t.rank(); ++d)
    if (t.dim(d) != shape[d] && t.dim(d) != 1)
      return false;
  return true;
}
} // namespace

FailureOr<bool> glue::binaryElementwise(Operation *op, Operands in,
                                        Results &out, FloatFn2 f, IntFn2 i) {
  const Tensor &a = *in[0], &b = *in[1];
  Tensor y = zerosOf(op->getResult(0));
  StringRef name = op->getName().getStringRef();
  if (!broadcastsTo(a, y.shape()) || !broadcastsTo(b, y.shape()))
    return notSupported(op, name + " of " + a.typeString() + " and " +
                                b.typeString() + " into " + y.typeString());
  bool floats = a.isFloat() && b.isFloat() && y.isFloat() && f;
  bool ints =
      !a.isFloat() && !b.isFloat() && !y.isFloat() && a.type() == b.type() && i;
  if (!floats && !ints)
    return notSupported(op, name + " on " + a.typeString() + " and " +
                                b.typeString());
  int64_t k = 0;
  forEachIndex(y.shape(), [&](const Shape &index) {
    int64_t ia = broadcastOffset(a, index), ib = broadcastOffset(b, index);
    if (floats)
      y.floats()[k++] = f(a.floats()[ia], b.floats()[ib]);
    else
      y.ints()[k++] = wrapInt(i(a.ints()[ia], b.ints()[ib]), y.type());
  });
  out.push_back(std::move(y));
  return true;
}

FailureOr<bool> glue::concatenate(Operation *op, Operands in, int64_t axis,
                                  Results &out) {
  Tensor y = zerosOf(op->getResult(0));
  if (axis < 0 || axis >= y.rank())
    return cannotEvaluate(op, "axis " + Twine(axis) + " of " + y.typeString());
  int64_t total = 0;
  for (const Tensor *t : in) {
    bool fits = t->rank() == y.rank() && t->type() == y.type();
    for (int64_t d = 0; fits && d < y.rank(); ++d)
      fits = d == axis || t->dim(d) == y.dim(d);
    if (!fits)
      return cannotEvaluate(op, "operand " + t->typeString() +
                                    " does not fit " + y.typeString() +
                                    " along axis " + Twine(axis));
    total += t->dim(axis);
  }
  if (total != y.dim(axis))
    return cannotEvaluate(op, "the operands add up to " + Twine(total) +
                                  " along axis " + Twine(axis) + ", not " +
                                  Twine(y.dim(axis)));
  Shape offsets(y.rank(), 0);
  for (const Tensor *t : in) {
    insertAt(*t, offsets, y);
    offsets[axis] += t->dim(axis);
  }
  out.push_back(std::move(y));
  return true;
}

//===----------------------------------------------------------------------===//
// Dispatch
//===----------------------------------------------------------------------===//

FailureOr<bool> ref::evaluateGlueOp(Operation *op, Operands in, Results &out) {
  Dialect *dialect = op->getDialect();
  if (!isa_and_nonnull<arith::ArithDialect, tensor::TensorDialect,
                       tosa::TosaDialect, linalg::LinalgDialect>(dialect))
    return false;
  for (Type type : op->getResultTypes())
    if (!isRepresentable(type))
      return op->emitError("reference interpreter: '")
             << op->getName() << "' with result type " << type
             << " is not supported (static shapes of f32 or integer "
                "elements only)";
  if (isa<arith::ArithDialect>(dialect))
    return evaluateArithOp(op, in, out);
  if (isa<tensor::TensorDialect>(dialect))
    return evaluateTensorOp(op, in, out);
  if (isa<tosa::TosaDialect>(dialect))
    return evaluateTosaOp(op, in, out);
  return evaluateLinalgOp(op, in, out);
}
