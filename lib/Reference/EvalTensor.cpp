//===- EvalTensor.cpp - reference evaluation of tensor operators ----------===//
//
// Data movement on static shapes: reshapes keep the row-major element order,
// slices and pads copy element by element.
//
//===----------------------------------------------------------------------===//

#include "GlueSupport.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/CheckedArithmetic.h"

using namespace mlir;
using namespace mlir::bnn;
using namespace mlir::bnn::ref;
using namespace mlir::bnn::ref::glue;

namespace {
bool allStatic(ArrayRef<int64_t> values) {
  return llvm::none_of(values, ShapedType::isDynamic);
}

/// Fails unless the slice `offsets`, `sizes`, `strides` lies inside `t`:
/// one entry per dimension, non-negative sizes and, for a non-empty slice,
/// first and last index in bounds (the indices are linear in the position,
/// so every index between is too, whatever the sign of the stride).
LogicalResult checkSlice(Operation *op, const Tensor &t,
                         ArrayRef<int64_t> offsets, ArrayRef<int64_t> sizes,
                         ArrayRef<int64_t> strides) {
  if (static_cast<int64_t>(offsets.size()) != t.rank() ||
      sizes.size() != offsets.size() || strides.size() != offsets.size())
    return cannotEvaluate(op, "offsets, sizes and strides must have one "
                              "entry per dimension of " +
                                  t.typeString());
  for (int64_t d = 0; d < t.rank(); ++d) {
    int64_t offset = offsets[d], size = sizes[d], stride = strides[d];
    auto outside = [&] {
      return cannotEvaluate(op, "the slice at offset " + Twine(offset) +
                                    " of size " + Twine(size) + " and stride " +
                                    Twine(stride) + " in dimension " +
                                    Twine(d) + " is outside " + t.typeString());
    };
    if (size < 0)
      return outside();
    if (size == 0)
      continue;
    std::optional<int64_t> last =
        llvm::checkedMulAdd<int64_t>(size - 1, stride, offset);
    if (offset < 0 || offset >= t.dim(d) || !last || *last < 0 ||
        *last >= t.dim(d))
      return outside();
  }
  return success();
}

/// Offset in `t` of `offsets + index * strides`.
int64_t stridedOffset(const Tensor &t, ArrayRef<int64_t> offsets,
                      ArrayRef<int64_t> strides, const Shape &index) {
  Shape at(index);
  for (size_t d = 0; d < at.size(); ++d)
    at[d] = offsets[d] + index[d] * strides[d];
  return t.offset(at);
}

FailureOr<bool> evalReshape(Operation *op, Operands in, Results &out) {
  // A cast from a dynamic type (or a reshape to a shape operand) can disagree
  // with the value at run time.
  Tensor y = zerosOf(op->getResult(0));
  if (failed(requireSameCount(op, *in[0], y)))
    return failure();
  out.push_back(in[0]->reshaped(y.shape()));
  return true;
}

FailureOr<bool> evalPad(tensor::PadOp op, Operands in, Results &out) {
  ArrayRef<int64_t> low = op.getStaticLow();
  if (!allStatic(low) || !allStatic(op.getStaticHigh()))
    return notSupported(op, "tensor.pad with dynamic padding");
  Attribute attr;
  Value padding = op.getConstantPaddingValue();
  std::optional<Tensor> value;
  if (padding && matchPattern(padding, m_Constant(&attr)))
    value = constantValue(attr);
  if (!value)
    return notSupported(op, "tensor.pad whose padding value is not a constant");
  const Tensor &x = *in[0];
  Tensor y = zerosOf(op.getResult());
  if (value->numElements() != 1 || value->type() != y.type() ||
      x.type() != y.type())
    return cannotEvaluate(op, "padding value " + value->typeString() + " for " +
                                  y.typeString());
  ArrayRef<int64_t> high = op.getStaticHigh();
  if (static_cast<int64_t>(low.size()) != x.rank() ||
      high.size() != low.size() || y.rank() != x.rank())
    return cannotEvaluate(op, "low and high must have one entry per "
                              "dimension of " +
                                  x.typeString());
  for (int64_t d = 0; d < x.rank(); ++d)
    if (low[d] < 0 || high[d] < 0 || low[d] > kMaxElements ||
        high[d] > kMaxElements || x.dim(d) + low[d] + high[d] != y.dim(d))
      return cannotEvaluate(op, "padding " + Twine(low[d]) + ", " +
                                    Twine(high[d]) + " of dimension " +
                                    Twine(d) + " of " + x.typeString() +
                                    " does not give " + y.typeString());
  fillWith(y, *value);
  insertAt(x, Shape(low.begin(), low.end()), y);
  out.push_back(std::move(y));
  return true;
}

FailureOr<bool> evalExtractSlice(tensor::ExtractSliceOp op, Operands in,
                                 Results &out) {
  ArrayRef<int64_t> offsets = op.getStaticOffsets(),
                    sizes = op.getStaticSizes(),
                    strides = op.getStaticStrides();
  if (!allStatic(offsets) || !allStatic(sizes) || !allStatic(strides))
    return notSupported(op, "tensor.extract_slice with dynamic offsets, sizes "
                            "or strides");
  const Tensor &x = *in[0];
  if (failed(checkSlice(op, x, offsets, sizes, strides)))
    return failure();
  // Unreduced slice first; dropping unit dimensions is a reshape.
  Tensor slice(x.type(), Shape(sizes.begin(), sizes.end()));
  Tensor y = zerosOf(op.getResult());
  if (failed(requireSameCount(op, slice, y)))
    return failure();
  int64_t k = 0;
  forEachIndex(slice.shape(), [&](const Shape &index) {
    copyElement(x, stridedOffset(x, offsets, strides, index), slice, k++);
  });
  out.push_back(slice.reshaped(y.shape()));
  return true;
}

FailureOr<bool> evalInsertSlice(tensor::InsertSliceOp op, Operands in,
                                Results &out) {
  ArrayRef<int64_t> offsets = op.getStaticOffsets(),
                    sizes = op.getStaticSizes(),
                    strides = op.getStaticStrides();
  if (!allStatic(offsets) || !allStatic(sizes) || !allStatic(strides))
    return notSupported(op, "tensor.insert_slice with dynamic offsets, sizes "
                            "or strides");
  Tensor y = *in[1];
  if (failed(checkSlice(op, y, offsets, sizes, strides)))
    return failure();
  Shape sliceShape(sizes.begin(), sizes.end());
  if (in[0]->numElements() != *checkedElementCount(sliceShape) ||
      in[0]->type() != y.type())
    return cannotEvaluate(op, in[0]->typeString() +
                                  " does not fill the slice of " +
                                  y.typeString());
  Tensor source = in[0]->reshaped(sliceShape);
  int64_t k = 0;
  forEachIndex(source.shape(), [&](const Shape &index) {
    copyElement(source, k++, y, stridedOffset(y, offsets, strides, index));
  });
  out.push_back(std::move(y));
  return true;
}

} // namespace

FailureOr<bool> glue::evaluateTensorOp(Operation *op, Operands in,
                                       Results &out) {
  return llvm::TypeSwitch<Operation *, FailureOr<bool>>(op)
      .Case([&](tensor::EmptyOp e) {
        out.push_back(zerosOf(e.getResult()));
        return true;
      })
      .Case<tensor::ExpandShapeOp, tensor::CollapseShapeOp, tensor::ReshapeOp,
            tensor::CastOp>(
          [&](Operation *) { return evalReshape(op, in, out); })
      .Case([&](tensor::PadOp p) { return evalPad(p, in, out); })
      .Case([&](tensor::ExtractSliceOp s) {
        return evalExtractSlice(s, in, out);
      })
      .Case(
          [&](tensor::InsertSliceOp s) { return evalInsertSlice(s, in, out); })
      .Case([&](tensor::ConcatOp c) {
        return concatenate(op, in, c.getDim(), out);
      })
      .Default([](Operation *) { return false; });
}
