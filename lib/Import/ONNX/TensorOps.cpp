//===- TensorOps.cpp - layout and unary float operators in tosa -----------===//
//
// Pad, Concat and Transpose of computed tensors, and the unary arithmetic
// that normalisation layers are exported as (Sqrt, Pow, Neg, Reciprocal,
// Sign) and division by a computed tensor. Rank-4 tensors are stored NHWC,
// so ONNX axes and permutations are mapped to the stored layout.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

using namespace mlir;
using namespace mlir::bnn::onnx_import;

namespace {
/// The stored axis of ONNX axis `axis` of a rank-`rank` tensor.
int64_t storedAxis(int64_t axis, int64_t rank) {
  static const int64_t nhwc[] = {0, 3, 1, 2};
  return rank == 4 ? nhwc[axis] : axis;
}

Tensor floatResult(const Tensor &like, llvm::ArrayRef<int64_t> shape,
                   Value v) {
  Tensor t;
  t.kind = Tensor::Float;
  t.shape.assign(shape.begin(), shape.end());
  t.value = v;
  (void)like;
  return t;
}

/// `x` as an f32 tensor in ONNX element order (a flatten's NHWC columns
/// undone).
Value floatOf(Importer &im, const Tensor &x) {
  return im.toOnnxColumns(x, im.toFloat(x));
}

Value shiftZero(Importer &im) {
  auto i8 = im.type({1}, im.builder.getI8Type());
  return tosa::ConstOp::create(im.builder, im.loc, i8,
                               DenseElementsAttr::get(i8, llvm::APInt(8, 0)));
}

Tensor pad(Importer &im) {
  const Tensor &x = im.input(0);
  std::string mode = im.stringAttr("mode", "constant");
  if (mode != "constant")
    im.fail("mode '" + mode + "' is not supported (constant is)");
  llvm::SmallVector<int64_t> pads;
  float value = 0.0f;
  if (im.opset < 11) {
    pads = im.intsAttr("pads");
    value = im.floatAttr("value", 0.0f);
  } else {
    const Constant &p = im.constInput(1, "the pads");
    if (p.isFloat)
      im.fail("the pads must be integers");
    pads.assign(p.i.begin(), p.i.end());
    if (im.hasInput(2))
      value = float(im.constInput(2, "the value").at(0));
    if (im.hasInput(3))
      im.fail("the axes input is not supported");
  }
  int64_t rank = x.shape.size();
  if (int64_t(pads.size()) != 2 * rank)
    im.fail("pads must have two values per dimension");
  llvm::SmallVector<int64_t> shape = x.shape, storedPads(2 * rank);
  for (int64_t d = 0; d < rank; ++d) {
    if (pads[d] < 0 || pads[d + rank] < 0 || pads[d] > (int64_t(1) << 31) ||
        pads[d + rank] > (int64_t(1) << 31))
      im.fail("pads must be between 0 and 2^31");
    if ((pads[d] || pads[d + rank]) && ShapedType::isDynamic(shape[d]))
      im.fail("padding the dynamic batch is not supported");
    if (!ShapedType::isDynamic(shape[d]))
      shape[d] += pads[d] + pads[d + rank];
    int64_t s = storedAxis(d, rank);
    storedPads[2 * s] = pads[d];
    storedPads[2 * s + 1] = pads[d + rank];
  }
  bool spatial = rank == 4 && pads[0] == 0 && pads[1] == 0 && pads[4] == 0 &&
                 pads[5] == 0;
  llvm::SmallVector<int64_t, 4> hw = {pads[2], pads[6], pads[3], pads[7]};
  if (spatial && x.kind == Tensor::Binary && x.flatFrom.empty() &&
      (value == x.scale || value == -x.scale)) {
    // +1 / -1 padding stays binary (set bit = -1).
    auto i1 = im.builder.getI1Type();
    auto padType = im.type({1}, i1);
    Value padConst = tosa::ConstOp::create(
        im.builder, im.loc, padType,
        DenseElementsAttr::get(padType, llvm::ArrayRef<bool>{value < 0}));
    Tensor t = x;
    t.shape = shape;
    t.value = tosa::PadOp::create(im.builder, im.loc,
                                  im.type(Importer::stored(shape), i1),
                                  x.value, im.shapeConst(storedPads), padConst);
    t.unpadded = std::make_shared<const Tensor>(x);
    t.padding = hw;
    t.padValue = value < 0 ? -1 : 1;
    return t;
  }
  Value in = floatOf(im, x);
  Value v = tosa::PadOp::create(
      im.builder, im.loc,
      im.type(Importer::stored(shape), im.builder.getF32Type()), in,
      im.shapeConst(storedPads), im.floatConst({1}, {value}));
  Tensor t = floatResult(x, shape, v);
  if (spatial && value == 0.0f &&
      (x.kind == Tensor::Binary || x.kind == Tensor::LowBit)) {
    t.unpadded = std::make_shared<const Tensor>(x);
    t.padding = hw;
  }
  return t;
}

Tensor concat(Importer &im) {
  int64_t rank = -1;
  llvm::SmallVector<Value> parts;
  llvm::SmallVector<int64_t> shape;
  int64_t axis = im.requiredIntAttr("axis");
  bool binary = true;
  float scale = 0;
  for (int k = 0; k < im.node->input_size(); ++k) {
    const Tensor &t = im.input(k);
    binary &= t.kind == Tensor::Binary && t.flatFrom.empty() &&
              (k == 0 || t.scale == scale);
    scale = t.kind == Tensor::Binary ? t.scale : 0;
  }
  for (int k = 0; k < im.node->input_size(); ++k) {
    const Tensor &t = im.input(k);
    llvm::ArrayRef<int64_t> s =
        t.kind == Tensor::Const ? llvm::ArrayRef<int64_t>(t.constant.shape)
                                : llvm::ArrayRef<int64_t>(t.shape);
    if (rank < 0) {
      rank = s.size();
      if (axis < -rank || axis >= rank)
        im.fail("axis is out of range");
      axis = axis < 0 ? axis + rank : axis;
      shape.assign(s.begin(), s.end());
      shape[axis] = 0;
    }
    if (int64_t(s.size()) != rank)
      im.fail("the inputs have different ranks");
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis && s[d] != shape[d])
        im.fail("the inputs have different shapes");
    if (ShapedType::isDynamic(s[axis]))
      im.fail("concatenation along the dynamic batch is not supported");
    shape[axis] += s[axis];
    if (t.kind == Tensor::Const) {
      Constant c = t.constant;
      if (!c.isFloat) {
        c.f.assign(c.i.begin(), c.i.end());
        c.isFloat = true;
      }
      if (rank == 4)
        c = transposeConstant(c, {0, 2, 3, 1});
      parts.push_back(im.floatConst(c.shape, c.f));
    } else {
      parts.push_back(binary ? t.value : floatOf(im, t));
    }
  }
  Type elem = binary ? Type(im.builder.getI1Type()) : Type(im.builder.getF32Type());
  Value v = tosa::ConcatOp::create(
      im.builder, im.loc, im.type(Importer::stored(shape), elem), parts,
      im.builder.getI32IntegerAttr(storedAxis(axis, rank)));
  Tensor t = floatResult(im.input(0), shape, v);
  if (binary) {
    t.kind = Tensor::Binary;
    t.scale = scale;
  }
  return t;
}

Tensor transposeOp(Importer &im) {
  const Tensor &x = im.input(0);
  int64_t rank = x.shape.size();
  llvm::SmallVector<int64_t> perm = im.intsAttr("perm");
  if (perm.empty())
    for (int64_t k = rank; k-- > 0;)
      perm.push_back(k);
  if (int64_t(perm.size()) != rank)
    im.fail("perm does not match the rank");
  llvm::SmallVector<int64_t> shape;
  llvm::SmallVector<int32_t> p32;
  for (int64_t p : perm) {
    if (p < 0 || p >= rank)
      im.fail("perm is out of range");
    shape.push_back(x.shape[p]);
    p32.push_back(p);
  }
  if (ShapedType::isDynamic(x.shape[0]) && perm[0] != 0)
    im.fail("the dynamic batch must stay in dimension 0");
  // Stored -> ONNX order, the permutation, ONNX -> stored order;
  // canonicalization folds the three into one.
  Value v = floatOf(im, x);
  if (rank == 4)
    v = im.transpose(v, {0, 3, 1, 2});
  v = im.transpose(v, p32);
  if (rank == 4)
    v = im.transpose(v, {0, 2, 3, 1});
  return floatResult(x, shape, v);
}

std::optional<Tensor> unary(Importer &im, llvm::StringRef op) {
  const Tensor &x = im.input(0);
  Value v = im.toFloat(x);
  Type type = v.getType();
  auto scalar = [&](float f) {
    llvm::SmallVector<int64_t> shape(cast<RankedTensorType>(type).getRank(), 1);
    return im.floatConst(shape, {f});
  };
  Value r;
  if (op == "Sqrt") {
    r = tosa::PowOp::create(im.builder, im.loc, type, v, scalar(0.5f));
  } else if (op == "Neg") {
    r = tosa::NegateOp::create(im.builder, im.loc, type, v);
  } else if (op == "Reciprocal") {
    r = tosa::ReciprocalOp::create(im.builder, im.loc, type, v);
  } else if (op == "Pow") {
    const Constant &e = im.constInput(1, "the exponent");
    if (e.numel() != 1)
      im.fail("only a single exponent is supported");
    float p = float(e.at(0));
    r = p == 2.0f ? Value(tosa::MulOp::create(im.builder, im.loc, type, v, v,
                                              shiftZero(im)))
                  : Value(tosa::PowOp::create(im.builder, im.loc, type, v,
                                              scalar(p)));
  } else if (op == "Sign") {
    // (x > 0) - (x < 0): 0 stays 0, unlike bnn.binarize.
    auto i1 = im.type(cast<RankedTensorType>(type).getShape(),
                      im.builder.getI1Type());
    Value zero = scalar(0.0f);
    Value pos = tosa::CastOp::create(
        im.builder, im.loc, type,
        tosa::GreaterOp::create(im.builder, im.loc, i1, v, zero));
    Value neg = tosa::CastOp::create(
        im.builder, im.loc, type,
        tosa::GreaterOp::create(im.builder, im.loc, i1, zero, v));
    r = tosa::SubOp::create(im.builder, im.loc, type, pos, neg);
  } else {
    return std::nullopt;
  }
  Tensor t = floatResult(x, x.shape, r);
  t.flatFrom = x.flatFrom;
  return t;
}
} // namespace

std::optional<Outputs> mlir::bnn::onnx_import::importTensorOp(Importer &im,
                                                              llvm::StringRef op) {
  if (op == "Pad")
    return Outputs{pad(im)};
  if (op == "Concat")
    return Outputs{concat(im)};
  if (op == "Transpose")
    return Outputs{transposeOp(im)};
  if (op == "Div" && im.input(1).kind != Tensor::Const) {
    // tosa has no float division: x * (1 / y), one rounding more than the
    // division (float outputs are compared with a tolerance).
    const Tensor &a = im.input(0), &b = im.input(1);
    if (a.kind == Tensor::Const || a.shape != b.shape)
      im.fail("division of tensors of different shapes is not supported");
    Value x = im.toOnnxColumns(a, im.toFloat(a));
    Value y = im.toOnnxColumns(b, im.toFloat(b));
    Value r = tosa::ReciprocalOp::create(im.builder, im.loc, y.getType(), y);
    return Outputs{floatResult(a, a.shape,
                               tosa::MulOp::create(im.builder, im.loc,
                                                   x.getType(), x, r,
                                                   shiftZero(im)))};
  }
  if (std::optional<Tensor> t = unary(im, op))
    return Outputs{*t};
  return std::nullopt;
}
