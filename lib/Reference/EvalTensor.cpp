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

using namespace mlir;
using namespace mlir::bnn;
using namespace mlir::bnn::ref;
using namespace mlir::bnn::ref::glue;

namespace {
bool allStatic(ArrayRef<int64_t> values) {
  return llvm::none_of(values, ShapedType::isDynamic);
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
  out.push_back(in[0]->reshaped(shapeOf(op->getResult(0))));
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
  Tensor y = zerosOf(op.getResult());
  fillWith(y, *value);
  insertAt(*in[0], Shape(low.begin(), low.end()), y);
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
  // Unreduced slice first; dropping unit dimensions is a reshape.
  Tensor slice(x.type(), Shape(sizes.begin(), sizes.end()));
  int64_t k = 0;
  forEachIndex(slice.shape(), [&](const Shape &index) {
    copyElement(x, stridedOffset(x, offsets, strides, index), slice, k++);
  });
  out.push_back(slice.reshaped(shapeOf(op.getResult())));
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
  Tensor source = in[0]->reshaped(Shape(sizes.begin(), sizes.end()));
  Tensor y = *in[1];
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
