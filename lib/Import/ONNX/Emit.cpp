//===- Emit.cpp - building tosa and bnn operations for the import ---------===//

#include "Importer.h"

#include "bnn/Dialect/BNN/IR/BNNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

#include <limits>

using namespace mlir;
using namespace mlir::bnn;
using namespace mlir::bnn::onnx_import;

RankedTensorType Importer::type(llvm::ArrayRef<int64_t> shape,
                                Type elem) const {
  return RankedTensorType::get(shape, elem);
}

llvm::SmallVector<int64_t> Importer::stored(llvm::ArrayRef<int64_t> s) {
  if (s.size() != 4)
    return llvm::SmallVector<int64_t>(s);
  return {s[0], s[2], s[3], s[1]};
}

Value Importer::floatConst(llvm::ArrayRef<int64_t> shape,
                           llvm::ArrayRef<float> v) {
  auto t = type(shape, builder.getF32Type());
  return tosa::ConstOp::create(builder, loc, t, DenseElementsAttr::get(t, v));
}

Value Importer::intConst(llvm::ArrayRef<int64_t> shape,
                         llvm::ArrayRef<int64_t> v, Type elem) {
  auto t = type(shape, elem);
  unsigned width = elem.getIntOrFloatBitWidth();
  llvm::SmallVector<llvm::APInt> ints;
  ints.reserve(v.size());
  for (int64_t x : v)
    ints.push_back(llvm::APInt(width, uint64_t(x), /*isSigned=*/true,
                               /*implicitTrunc=*/true));
  return arith::ConstantOp::create(builder, loc,
                                   DenseElementsAttr::get(t, ints));
}

Value Importer::boolConst(llvm::ArrayRef<int64_t> shape,
                          llvm::ArrayRef<bool> v) {
  auto t = type(shape, builder.getI1Type());
  return arith::ConstantOp::create(builder, loc,
                                   DenseElementsAttr::get(t, v));
}

Value Importer::shapeConst(llvm::ArrayRef<int64_t> shape) {
  llvm::SmallVector<int64_t> values;
  for (int64_t d : shape)
    values.push_back(ShapedType::isDynamic(d) ? -1 : d);
  auto attrType = RankedTensorType::get({int64_t(values.size())},
                                        builder.getIndexType());
  return tosa::ConstShapeOp::create(
      builder, loc, tosa::shapeType::get(builder.getContext(), values.size()),
      DenseIntElementsAttr::get(attrType, values));
}

Value Importer::zeroPoint(Type elem) {
  auto t = type({1}, elem);
  if (isa<FloatType>(elem))
    return tosa::ConstOp::create(builder, loc, t,
                                 DenseElementsAttr::get(t, 0.0f));
  return tosa::ConstOp::create(
      builder, loc, t,
      DenseElementsAttr::get(t, llvm::APInt(elem.getIntOrFloatBitWidth(), 0)));
}

Value Importer::reshape(Value v, llvm::ArrayRef<int64_t> shape) {
  auto src = cast<RankedTensorType>(v.getType());
  if (src.getShape() == shape)
    return v;
  // tosa's lowering has no unsigned types: ui<k> tensors (k-bit
  // activations) are collapsed with the tensor dialect, which is
  // type-agnostic. Only the flatten [N, ...] -> [N, rest] occurs.
  if (src.getElementType().isUnsignedInteger()) {
    if (shape.size() != 2 || src.getRank() < 2 ||
        src.getDimSize(0) != shape[0])
      fail("internal: reshaping a k-bit tensor other than a flatten");
    llvm::SmallVector<ReassociationIndices> groups = {{0}, {}};
    for (int64_t d = 1; d < src.getRank(); ++d)
      groups[1].push_back(d);
    return tensor::CollapseShapeOp::create(
        builder, loc, type(shape, src.getElementType()), v, groups);
  }
  return tosa::ReshapeOp::create(builder, loc,
                                 type(shape, src.getElementType()), v,
                                 shapeConst(shape));
}

Value Importer::transpose(Value v, llvm::ArrayRef<int32_t> perm) {
  auto src = cast<RankedTensorType>(v.getType());
  llvm::SmallVector<int64_t> shape;
  for (int32_t p : perm)
    shape.push_back(src.getDimSize(p));
  return tosa::TransposeOp::create(builder, loc,
                                   type(shape, src.getElementType()), v, perm);
}

Value Importer::broadcastConst(const Constant &c,
                               llvm::ArrayRef<int64_t> target) {
  if (c.shape.size() > target.size())
    fail("a constant operand has a higher rank than the tensor it applies to");
  llvm::SmallVector<int64_t> shape(target.size() - c.shape.size(), 1);
  shape.append(c.shape.begin(), c.shape.end());
  for (size_t k = 0; k < shape.size(); ++k)
    if (shape[k] != 1 && shape[k] != target[k])
      fail("a constant operand of shape does not broadcast to the tensor");
  Constant full = c;
  full.shape = shape;
  if (!full.isFloat) {
    full.f.assign(full.i.begin(), full.i.end());
    full.isFloat = true;
    full.i.clear();
  }
  if (shape.size() == 4)
    full = transposeConstant(full, {0, 2, 3, 1});
  return floatConst(full.shape, full.f);
}

namespace {
/// A per-channel operand of an elementwise tosa op on a stored tensor whose
/// channel is the last dimension: shape [1, ..., 1, n].
llvm::SmallVector<int64_t> channelShape(Value v, int64_t n) {
  llvm::SmallVector<int64_t> shape(
      cast<RankedTensorType>(v.getType()).getRank(), 1);
  shape.back() = n;
  return shape;
}
} // namespace

Value Importer::toFloat(const Tensor &t) {
  auto f32 = builder.getF32Type();
  auto like = [&](Value v) {
    return type(cast<RankedTensorType>(v.getType()).getShape(), f32);
  };
  auto shift = [&] {
    auto i8 = type({1}, builder.getI8Type());
    return tosa::ConstOp::create(builder, loc, i8,
                                 DenseElementsAttr::get(i8, llvm::APInt(8, 0)));
  };
  switch (t.kind) {
  case Tensor::Const:
    fail("internal: a constant has no stored float form");
  case Tensor::Float:
    return t.value;
  case Tensor::LowBit: {
    if (!t.levels)
      fail("a k-bit activation made from an accumulator and consumed by a "
           "float operation is not supported yet (only by a quantized Conv, "
           "Gemm or MatMul)");
    // (levels + offset) * scale: exact small integers, one rounding.
    Value v = tosa::CastOp::create(builder, loc, like(t.levels), t.levels);
    if (t.levelsOffset + t.offset != 0)
      v = tosa::AddOp::create(
          builder, loc, like(v), v,
          floatConst(channelShape(v, 1), {float(t.levelsOffset + t.offset)}));
    Value s = floatConst(channelShape(v, 1), {t.scale});
    return tosa::MulOp::create(builder, loc, like(v), v, s, shift());
  }
  case Tensor::Binary: {
    Value v = UnbinarizeOp::create(builder, loc, like(t.value), t.value);
    if (t.scale == 1.0f)
      return v;
    Value s = floatConst(channelShape(v, 1), {t.scale});
    return tosa::MulOp::create(builder, loc, like(v), v, s, shift());
  }
  case Tensor::Acc:
    break;
  }
  const AccChain &c = t.chain;
  std::vector<float> mult, bias;
  for (double s : c.scale)
    mult.push_back(float(s));
  int64_t n = std::max({c.scale.size(), c.bias.size(), c.offset.size()});
  auto pick = [](const auto &v, int64_t k) { return v[v.size() == 1 ? 0 : k]; };
  for (int64_t k = 0; k < n; ++k)
    bias.push_back(float(double(pick(c.offset, k)) * pick(c.scale, k) +
                         pick(c.bias, k)));
  mult.clear();
  for (int64_t k = 0; k < n; ++k)
    mult.push_back(float(pick(c.scale, k)));
  auto vec = [&](const std::vector<float> &v) {
    return floatConst({int64_t(v.size())}, v);
  };
  Value v = AccToFloatOp::create(builder, loc, like(t.value), t.value,
                                 vec(mult), vec(bias));
  for (const ChainStep &s : c.steps) {
    auto operand = [&](const std::vector<float> &p) {
      return floatConst(channelShape(v, p.size()), p);
    };
    switch (s.kind) {
    case ChainStep::Add:
      v = tosa::AddOp::create(builder, loc, like(v), v, operand(s.a));
      break;
    case ChainStep::Sub:
      v = tosa::SubOp::create(builder, loc, like(v), v, operand(s.a));
      break;
    case ChainStep::ReverseSub:
      v = tosa::SubOp::create(builder, loc, like(v), operand(s.a), v);
      break;
    case ChainStep::Mul:
      v = tosa::MulOp::create(builder, loc, like(v), v, operand(s.a), shift());
      break;
    case ChainStep::Div: {
      // tosa has no float division; the reciprocal differs from the
      // division by at most one rounding (float outputs only: thresholds
      // use the division itself).
      std::vector<float> r;
      for (float x : s.a)
        r.push_back(1.0f / x);
      v = tosa::MulOp::create(builder, loc, like(v), v, operand(r), shift());
      break;
    }
    case ChainStep::Relu:
      v = tosa::MaximumOp::create(builder, loc, like(v), v,
                                  operand(std::vector<float>{0.0f}));
      break;
    case ChainStep::Clip:
      v = tosa::MaximumOp::create(builder, loc, like(v), v, operand(s.a));
      v = tosa::MinimumOp::create(builder, loc, like(v), v, operand(s.b));
      break;
    case ChainStep::PRelu: {
      Value zero = operand(std::vector<float>{0.0f});
      Value pos = tosa::MaximumOp::create(builder, loc, like(v), v, zero);
      Value neg = tosa::MinimumOp::create(builder, loc, like(v), v, zero);
      neg = tosa::MulOp::create(builder, loc, like(v), neg, operand(s.a),
                                shift());
      v = tosa::AddOp::create(builder, loc, like(v), pos, neg);
      break;
    }
    }
  }
  return v;
}

Value Importer::toOnnxColumns(const Tensor &t, Value v) {
  if (t.flatFrom.empty())
    return v;
  int64_t n = cast<RankedTensorType>(v.getType()).getDimSize(0);
  int64_t c = t.flatFrom[1], h = t.flatFrom[2], w = t.flatFrom[3];
  Value nhwc = reshape(v, {n, h, w, c});
  return reshape(transpose(nhwc, {0, 3, 1, 2}), {n, c * h * w});
}
