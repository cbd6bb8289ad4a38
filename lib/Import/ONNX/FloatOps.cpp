//===- FloatOps.cpp - float layers and glue in tosa -----------------------===//
//
// Float activations are NHWC inside the function. A per-channel operation
// on an accumulator (bias, batch normalization, scaling, ReLU, clipping) is
// recorded in its AccChain rather than emitted, so that a quantizer after it
// can fold it into thresholds; a float consumer then emits it in tosa.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

#include <cmath>

using namespace mlir;
using namespace mlir::bnn::onnx_import;

namespace {
RankedTensorType f32Type(Importer &im, llvm::ArrayRef<int64_t> onnxShape) {
  return im.type(Importer::stored(onnxShape), im.builder.getF32Type());
}

Tensor floatTensor(llvm::ArrayRef<int64_t> shape, Value v) {
  Tensor t;
  t.kind = Tensor::Float;
  t.shape.assign(shape.begin(), shape.end());
  t.value = v;
  return t;
}

/// tosa requires every row and column of the padded input to belong to a
/// window ((in + pads - window) divisible by the stride); ONNX ignores the
/// trailing ones. Drops them: from the bottom / right padding first, then
/// from the input (a tosa.slice of NHWC `in`).
Value fitWindow(Importer &im, Value in, Window &win,
                llvm::ArrayRef<int64_t> kernel) {
  auto type = cast<RankedTensorType>(in.getType());
  llvm::SmallVector<int64_t> start(4, 0), size(type.getShape());
  bool slice = false;
  for (int d = 0; d < 2; ++d) {
    int64_t extent = type.getDimSize(1 + d);
    int64_t window = win.dilation[d] * (kernel[d] - 1) + 1;
    int64_t &hi = win.pad[2 * d + 1];
    int64_t rem = (extent + win.pad[2 * d] + hi - window) % win.stride[d];
    int64_t fromPad = std::min(rem, hi);
    hi -= fromPad;
    if (rem > fromPad) {
      size[1 + d] = extent - (rem - fromPad);
      slice = true;
    }
  }
  if (!slice)
    return in;
  return tosa::SliceOp::create(im.builder, im.loc,
                               im.type(size, type.getElementType()), in,
                               im.shapeConst(start), im.shapeConst(size));
}

Value shiftZero(Importer &im) {
  auto i8 = im.type({1}, im.builder.getI8Type());
  return tosa::ConstOp::create(im.builder, im.loc, i8,
                               DenseElementsAttr::get(i8, llvm::APInt(8, 0)));
}

/// The values of `c` as one per channel (dimension 1 of `shape`) or a
/// single value, when `c` varies along no other dimension.
std::optional<std::vector<float>> perChannel(const Constant &c,
                                             llvm::ArrayRef<int64_t> shape) {
  if (c.numel() == 1)
    return std::vector<float>{float(c.at(0))};
  if (shape.size() < 2 || c.shape.size() > shape.size())
    return std::nullopt;
  size_t offset = shape.size() - c.shape.size();
  for (size_t k = 0; k < c.shape.size(); ++k) {
    size_t dim = k + offset;
    if (c.shape[k] != 1 && (dim != 1 || c.shape[k] != shape[1]))
      return std::nullopt;
  }
  std::vector<float> v;
  for (int64_t k = 0; k < c.numel(); ++k)
    v.push_back(float(c.at(k)));
  return v;
}

Tensor withStep(Tensor t, ChainStep::Kind kind, std::vector<float> a,
                std::vector<float> b = {}) {
  t.chain.steps.push_back(ChainStep{kind, std::move(a), std::move(b)});
  return t;
}

Tensor conv(Importer &im) {
  const Tensor &x = im.input(0);
  const Constant &w = im.constInput(1, "the weight");
  im.allowAttrs({"auto_pad", "dilations", "group", "kernel_shape", "pads",
                 "strides"});
  if (x.shape.size() != 4 || w.shape.size() != 4)
    im.fail("only 2-D convolutions (rank-4 input and weight) are supported");
  if (!w.isFloat)
    im.fail("the weight must be float");
  int64_t group = im.intAttr("group", 1);
  int64_t o = w.shape[0], cg = w.shape[1], kh = w.shape[2], kw = w.shape[3];
  int64_t c = x.shape[1];
  if (group <= 0 || c % group || o % group || cg * group != c)
    im.fail("the weight's channels do not match the input and group");
  Window win = convWindow(im, {kh, kw}, true);
  llvm::SmallVector<int64_t> outShape = {
      x.shape[0], o,
      windowOutDim(im, x.shape[2], kh, win.pad[0], win.pad[1], win.stride[0],
             win.dilation[0]),
      windowOutDim(im, x.shape[3], kw, win.pad[2], win.pad[3], win.stride[1],
             win.dilation[1])};
  std::vector<float> bias(o, 0.0f);
  if (im.hasInput(2)) {
    const Constant &b = im.constInput(2, "the bias");
    if (b.numel() != o)
      im.fail("the bias does not have one value per output channel");
    for (int64_t k = 0; k < o; ++k)
      bias[k] = float(b.at(k));
  }
  Value in = fitWindow(im, im.toFloat(x), win, {kh, kw});
  Value biasV = im.floatConst({o}, bias);
  auto resultType = f32Type(im, outShape);
  auto acc = TypeAttr::get(im.builder.getF32Type());
  Value y;
  if (group == 1) {
    Constant ohwi = transposeConstant(w, {0, 2, 3, 1});
    y = tosa::Conv2DOp::create(im.builder, im.loc, resultType, in,
                               im.floatConst(ohwi.shape, ohwi.f), biasV,
                               im.builder.getDenseI64ArrayAttr(win.pad),
                               im.builder.getDenseI64ArrayAttr(win.stride),
                               im.builder.getDenseI64ArrayAttr(win.dilation),
                               acc);
  } else if (group == c && cg == 1) {
    // Depthwise: tosa wants [KH, KW, C, M] with output channel c * M + m.
    int64_t m = o / c;
    Constant hwcm = transposeConstant(w, {2, 3, 1, 0}); // [KH, KW, 1, O]
    hwcm.shape = {kh, kw, c, m};
    y = tosa::DepthwiseConv2DOp::create(
        im.builder, im.loc, resultType, in, im.floatConst(hwcm.shape, hwcm.f),
        biasV, im.builder.getDenseI64ArrayAttr(win.pad),
        im.builder.getDenseI64ArrayAttr(win.stride),
        im.builder.getDenseI64ArrayAttr(win.dilation), acc);
  } else {
    // tosa has no grouped convolution: one per group on its channel slice,
    // concatenated.
    int64_t og = o / group;
    auto inType = cast<RankedTensorType>(in.getType());
    llvm::SmallVector<Value> parts;
    for (int64_t g = 0; g < group; ++g) {
      llvm::SmallVector<int64_t> start = {0, 0, 0, g * cg};
      llvm::SmallVector<int64_t> size(inType.getShape());
      size[3] = cg;
      Value slice = tosa::SliceOp::create(
          im.builder, im.loc, im.type(size, inType.getElementType()), in,
          im.shapeConst(start), im.shapeConst(size));
      Constant part = Constant::ofFloats(
          {og, cg, kh, kw},
          std::vector<float>(w.f.begin() + g * og * cg * kh * kw,
                             w.f.begin() + (g + 1) * og * cg * kh * kw));
      Constant ohwi = transposeConstant(part, {0, 2, 3, 1});
      llvm::SmallVector<int64_t> partShape = Importer::stored(outShape);
      partShape[3] = og;
      parts.push_back(tosa::Conv2DOp::create(
          im.builder, im.loc, im.type(partShape, im.builder.getF32Type()),
          slice, im.floatConst(ohwi.shape, ohwi.f),
          im.floatConst({og}, llvm::ArrayRef<float>(bias).slice(g * og, og)),
          im.builder.getDenseI64ArrayAttr(win.pad),
          im.builder.getDenseI64ArrayAttr(win.stride),
          im.builder.getDenseI64ArrayAttr(win.dilation), acc));
    }
    y = tosa::ConcatOp::create(im.builder, im.loc, resultType, parts,
                               im.builder.getI32IntegerAttr(3));
  }
  return floatTensor(outShape, y);
}

/// `x [N, K] @ w [K, O] + bias` as a 1x1 tosa.conv2d on [N, 1, 1, K], per
/// image, so that a dynamic batch stays per image.
Tensor dense(Importer &im, const Tensor &x, Constant w,
             std::vector<float> bias) {
  if (x.shape.size() != 2)
    im.fail("only 2-D inputs are supported");
  int64_t k = w.shape[0], o = w.shape[1];
  if (x.shape[1] != k)
    im.fail("the weight's rows do not match the input's columns");
  Value in = im.toFloat(x);
  // A flattened NHWC input keeps its order: permute the weight rows.
  Constant ok = transposeConstant(w, {1, 0}); // [O, K]
  if (!x.flatFrom.empty()) {
    int64_t c = x.flatFrom[1], h = x.flatFrom[2], wd = x.flatFrom[3];
    Constant p = ok;
    for (int64_t r = 0; r < o; ++r)
      for (int64_t y = 0; y < h; ++y)
        for (int64_t xx = 0; xx < wd; ++xx)
          for (int64_t ch = 0; ch < c; ++ch)
            p.f[r * k + (y * wd + xx) * c + ch] =
                ok.f[r * k + ch * h * wd + y * wd + xx];
    ok = p;
  }
  int64_t n = x.shape[0];
  Value a = im.reshape(in, {n, 1, 1, k});
  auto resultType = im.type({n, 1, 1, o}, im.builder.getF32Type());
  Value y = tosa::Conv2DOp::create(
      im.builder, im.loc, resultType, a, im.floatConst({o, 1, 1, k}, ok.f),
      im.floatConst({o}, bias), im.builder.getDenseI64ArrayAttr({0, 0, 0, 0}),
      im.builder.getDenseI64ArrayAttr({1, 1}),
      im.builder.getDenseI64ArrayAttr({1, 1}),
      TypeAttr::get(im.builder.getF32Type()));
  return floatTensor({n, o}, im.reshape(y, {n, o}));
}

Tensor pool(Importer &im, llvm::StringRef op) {
  const Tensor &x = im.input(0);
  if (x.shape.size() != 4)
    im.fail("only 2-D pooling (rank-4 input) is supported");
  bool global = op == "GlobalAveragePool" || op == "GlobalMaxPool";
  llvm::SmallVector<int64_t> kernel =
      global ? llvm::SmallVector<int64_t>{x.shape[2], x.shape[3]}
             : im.intsAttr("kernel_shape");
  if (kernel.size() != 2)
    im.fail("kernel_shape must have 2 values");
  if (!global) {
    im.allowAttrs({"auto_pad", "ceil_mode", "count_include_pad", "dilations",
                   "kernel_shape", "pads", "storage_order", "strides"});
    if (im.intAttr("ceil_mode", 0))
      im.fail("ceil_mode is not supported");
    if (im.intAttr("storage_order", 0))
      im.fail("storage_order 1 is not supported");
    for (int64_t d : im.intsAttr("dilations"))
      if (d != 1)
        im.fail("dilated pooling is not supported");
  }
  Window win = global ? Window() : convWindow(im, kernel, false);
  bool isMax = op == "MaxPool" || op == "GlobalMaxPool";

  llvm::SmallVector<int64_t> outShape = {
      x.shape[0], x.shape[1],
      windowOutDim(im, x.shape[2], kernel[0], win.pad[0], win.pad[1], win.stride[0],
             1),
      windowOutDim(im, x.shape[3], kernel[1], win.pad[2], win.pad[3], win.stride[1],
             1)};
  // Max pooling commutes with the increasing map from the i8 levels of a
  // k-bit tensor to its values.
  if (isMax && x.kind == Tensor::LowBit && x.levels && x.scale > 0 &&
      cast<RankedTensorType>(x.levels.getType()).getElementType().isInteger(8)) {
    Value in = fitWindow(im, x.levels, win, kernel);
    Tensor y = x;
    y.shape = outShape;
    y.value = Value();
    y.levels = tosa::MaxPool2dOp::create(
        im.builder, im.loc,
        im.type(Importer::stored(outShape), im.builder.getI8Type()), in,
        im.builder.getDenseI64ArrayAttr(kernel),
        im.builder.getDenseI64ArrayAttr(win.stride),
        im.builder.getDenseI64ArrayAttr(win.pad));
    return y;
  }
  Value in = im.toFloat(x);
  // tosa's average excludes padding; count_include_pad counts it as zeros.
  if (!isMax && im.intAttr("count_include_pad", 0) &&
      llvm::any_of(win.pad, [](int64_t p) { return p != 0; })) {
    auto t = cast<RankedTensorType>(in.getType());
    llvm::SmallVector<int64_t> padded(t.getShape());
    padded[1] += win.pad[0] + win.pad[1];
    padded[2] += win.pad[2] + win.pad[3];
    in = tosa::PadOp::create(
        im.builder, im.loc, im.type(padded, t.getElementType()), in,
        im.shapeConst({0, 0, win.pad[0], win.pad[1], win.pad[2], win.pad[3],
                       0, 0}),
        im.floatConst({1}, {0.0f}));
    win.pad = {0, 0, 0, 0};
  }
  in = fitWindow(im, in, win, kernel);
  auto resultType = f32Type(im, outShape);
  Value y;
  if (isMax)
    y = tosa::MaxPool2dOp::create(im.builder, im.loc, resultType, in,
                                  im.builder.getDenseI64ArrayAttr(kernel),
                                  im.builder.getDenseI64ArrayAttr(win.stride),
                                  im.builder.getDenseI64ArrayAttr(win.pad));
  else
    y = tosa::AvgPool2dOp::create(
        im.builder, im.loc, resultType, in, im.zeroPoint(im.builder.getF32Type()),
        im.zeroPoint(im.builder.getF32Type()),
        im.builder.getDenseI64ArrayAttr(kernel),
        im.builder.getDenseI64ArrayAttr(win.stride),
        im.builder.getDenseI64ArrayAttr(win.pad),
        TypeAttr::get(im.builder.getF32Type()));
  return floatTensor(outShape, y);
}

/// Add, Sub, Mul, Div of two tensors or a tensor and a constant.
std::optional<Tensor> elementwise(Importer &im, llvm::StringRef op) {
  Tensor a = im.input(0), b = im.input(1);
  bool aConst = a.kind == Tensor::Const, bConst = b.kind == Tensor::Const;
  // Per-channel glue on an accumulator joins its chain.
  if (a.kind == Tensor::Acc && bConst)
    if (auto v = perChannel(b.constant, a.shape)) {
      if (op == "Div")
        return withStep(a, ChainStep::Div, *v);
      ChainStep::Kind kind = op == "Add"   ? ChainStep::Add
                             : op == "Sub" ? ChainStep::Sub
                                           : ChainStep::Mul;
      return withStep(a, kind, *v);
    }
  if (b.kind == Tensor::Acc && aConst && op != "Div")
    if (auto v = perChannel(a.constant, b.shape))
      return withStep(b, op == "Sub" ? ChainStep::ReverseSub
                         : op == "Add" ? ChainStep::Add
                                       : ChainStep::Mul,
                      *v);
  std::optional<llvm::SmallVector<int64_t>> shape = broadcastShapes(
      aConst ? llvm::ArrayRef<int64_t>(a.constant.shape) : a.shape,
      bConst ? llvm::ArrayRef<int64_t>(b.constant.shape) : b.shape);
  if (!shape)
    im.fail("the operands do not broadcast");
  const Tensor &ref = aConst ? b : a;
  if (*shape != llvm::ArrayRef<int64_t>(ref.shape))
    im.fail("broadcasting that grows the tensor operand is not supported");
  auto operand = [&](const Tensor &t) -> Value {
    if (t.kind == Tensor::Const) {
      if (op == "Div" && &t == &b) {
        // tosa has no float division: multiply by the reciprocal.
        Constant r = t.constant;
        if (!r.isFloat) {
          r.f.assign(r.i.begin(), r.i.end());
          r.isFloat = true;
        }
        for (float &v : r.f)
          v = 1.0f / v;
        return im.broadcastConst(r, *shape);
      }
      return im.broadcastConst(t.constant, *shape);
    }
    if (t.shape != llvm::ArrayRef<int64_t>(*shape))
      im.fail("broadcasting between two computed tensors is not supported");
    return im.toOnnxColumns(t, im.toFloat(t));
  };
  if (op == "Div" && !bConst)
    im.fail("division by a computed tensor is not supported");
  Value x = operand(a), y = operand(b);
  auto t = f32Type(im, *shape);
  Value r;
  if (op == "Add")
    r = tosa::AddOp::create(im.builder, im.loc, t, x, y);
  else if (op == "Sub")
    r = tosa::SubOp::create(im.builder, im.loc, t, x, y);
  else
    r = tosa::MulOp::create(im.builder, im.loc, t, x, y, shiftZero(im));
  return floatTensor(*shape, r);
}

Tensor batchNorm(Importer &im) {
  im.allowAttrs({"epsilon", "momentum", "spatial", "training_mode"});
  if (im.intAttr("training_mode", 0))
    im.fail("training_mode is not supported (export the model in eval mode)");
  if (im.node->output_size() > 1)
    for (int k = 1; k < im.node->output_size(); ++k)
      if (!im.node->output(k).empty())
        im.fail("the training outputs are not supported");
  Tensor x = im.input(0);
  float eps = im.floatAttr("epsilon", 1e-5f);
  int64_t c = x.shape.size() >= 2 ? x.shape[1] : 0;
  auto param = [&](int k, const char *what) {
    const Constant &p = im.constInput(k, what);
    if (p.numel() != c)
      im.fail(llvm::Twine(what) + " does not have one value per channel");
    std::vector<float> v;
    for (int64_t i = 0; i < c; ++i)
      v.push_back(float(p.at(i)));
    return v;
  };
  std::vector<float> scale = param(1, "the scale"), b = param(2, "the bias"),
                     mean = param(3, "the mean"), var = param(4, "the variance");
  std::vector<float> d(c);
  for (int64_t i = 0; i < c; ++i)
    d[i] = std::sqrt(var[i] + eps);
  // (x - mean) / d * scale + B, one f32 operation at a time.
  if (x.kind == Tensor::Acc) {
    x = withStep(x, ChainStep::Sub, mean);
    x = withStep(x, ChainStep::Div, d);
    x = withStep(x, ChainStep::Mul, scale);
    return withStep(x, ChainStep::Add, b);
  }
  Tensor t;
  t.kind = Tensor::Acc; // reuse the chain's tosa emission on a float value
  Value v = im.toFloat(x);
  auto shift = shiftZero(im);
  auto type = v.getType();
  auto chan = [&](const std::vector<float> &p) {
    llvm::SmallVector<int64_t> shape(
        cast<RankedTensorType>(type).getRank(), 1);
    shape.back() = c;
    return im.floatConst(shape, p);
  };
  std::vector<float> inv(c);
  for (int64_t i = 0; i < c; ++i)
    inv[i] = 1.0f / d[i];
  v = tosa::SubOp::create(im.builder, im.loc, type, v, chan(mean));
  v = tosa::MulOp::create(im.builder, im.loc, type, v, chan(inv), shift);
  v = tosa::MulOp::create(im.builder, im.loc, type, v, chan(scale), shift);
  v = tosa::AddOp::create(im.builder, im.loc, type, v, chan(b));
  return floatTensor(x.shape, v);
}

/// Relu, Clip, LeakyRelu, PRelu.
Tensor activation(Importer &im, llvm::StringRef op) {
  Tensor x = im.input(0);
  ChainStep step{ChainStep::Relu, {}, {}};
  if (op == "Clip") {
    float lo = -INFINITY, hi = INFINITY;
    if (im.opset < 11) {
      lo = im.floatAttr("min", lo);
      hi = im.floatAttr("max", hi);
    } else {
      if (im.hasInput(1))
        lo = float(im.constInput(1, "min").at(0));
      if (im.hasInput(2))
        hi = float(im.constInput(2, "max").at(0));
    }
    step = ChainStep{ChainStep::Clip, {lo}, {hi}};
  } else if (op == "LeakyRelu") {
    step = ChainStep{ChainStep::PRelu, {im.floatAttr("alpha", 0.01f)}, {}};
  } else if (op == "PRelu") {
    auto v = perChannel(im.constInput(1, "the slope"), x.shape);
    if (!v)
      im.fail("only a per-channel or single slope is supported");
    step = ChainStep{ChainStep::PRelu, *v, {}};
  }
  if (x.kind == Tensor::Acc) {
    x.chain.steps.push_back(step);
    return x;
  }
  Tensor t;
  t.kind = Tensor::Acc;
  t.value = nullptr;
  // Emit the one step through the chain emitter on a float value.
  Value v = im.toFloat(x);
  auto type = v.getType();
  auto chan = [&](const std::vector<float> &p) {
    llvm::SmallVector<int64_t> shape(cast<RankedTensorType>(type).getRank(), 1);
    shape.back() = p.size();
    return im.floatConst(shape, p);
  };
  switch (step.kind) {
  case ChainStep::Relu:
    v = tosa::MaximumOp::create(im.builder, im.loc, type, v, chan({0.0f}));
    break;
  case ChainStep::Clip:
    v = tosa::MaximumOp::create(im.builder, im.loc, type, v, chan(step.a));
    v = tosa::MinimumOp::create(im.builder, im.loc, type, v, chan(step.b));
    break;
  default: {
    Value zero = chan({0.0f});
    Value pos = tosa::MaximumOp::create(im.builder, im.loc, type, v, zero);
    Value neg = tosa::MinimumOp::create(im.builder, im.loc, type, v, zero);
    neg = tosa::MulOp::create(im.builder, im.loc, type, neg, chan(step.a),
                              shiftZero(im));
    v = tosa::AddOp::create(im.builder, im.loc, type, pos, neg);
  }
  }
  return floatTensor(x.shape, v);
}
} // namespace

/// Window attributes beyond this are refused (they would overflow the
/// output size arithmetic and no real model has them).
constexpr int64_t kMaxWindow = int64_t(1) << 31;

Window mlir::bnn::onnx_import::convWindow(Importer &im, llvm::ArrayRef<int64_t> kernel, bool dilations) {
  Window w;
  std::string autoPad = im.stringAttr("auto_pad", "NOTSET");
  if (autoPad != "NOTSET" && autoPad != "VALID")
    im.fail("auto_pad '" + autoPad +
            "' is not supported (NOTSET and VALID are; export with explicit "
            "pads)");
  llvm::SmallVector<int64_t> pads = im.intsAttr("pads");
  llvm::SmallVector<int64_t> strides = im.intsAttr("strides");
  llvm::SmallVector<int64_t> dil = dilations ? im.intsAttr("dilations")
                                             : llvm::SmallVector<int64_t>{};
  llvm::SmallVector<int64_t> shape = im.intsAttr("kernel_shape");
  if (!shape.empty() && llvm::ArrayRef<int64_t>(shape) != kernel)
    im.fail("kernel_shape does not match the weights");
  if (!pads.empty()) {
    if (pads.size() != 4)
      im.fail("only 2-D windows are supported (pads needs 4 values)");
    w.pad = {pads[0], pads[2], pads[1], pads[3]};
  }
  if (!strides.empty()) {
    if (strides.size() != 2)
      im.fail("only 2-D windows are supported");
    w.stride = strides;
  }
  if (!dil.empty()) {
    if (dil.size() != 2)
      im.fail("only 2-D windows are supported");
    w.dilation = dil;
  }
  for (int64_t v : w.pad)
    if (v < 0 || v > kMaxWindow)
      im.fail("pads must be between 0 and 2^31");
  for (int64_t v : llvm::concat<const int64_t>(w.stride, w.dilation, kernel))
    if (v > kMaxWindow)
      im.fail("strides, dilations and kernel sizes must be at most 2^31");
  for (int64_t v : w.stride)
    if (v <= 0)
      im.fail("strides must be positive");
  for (int64_t v : w.dilation)
    if (v <= 0)
      im.fail("dilations must be positive");
  return w;
}

int64_t mlir::bnn::onnx_import::windowOutDim(Importer &im, int64_t in, int64_t k, int64_t lo, int64_t hi,
               int64_t stride, int64_t dilation, bool ceilMode) {
  int64_t span = in + lo + hi - dilation * (k - 1) - 1;
  if (span < 0)
    im.fail("the window does not fit the padded input");
  return (ceilMode ? (span + stride - 1) / stride : span / stride) + 1;
}

/// Gemm / MatMul operands: x, the weight as [K, O] and the bias.
std::tuple<Tensor, Constant, std::vector<float>>
mlir::bnn::onnx_import::denseOperands(Importer &im, llvm::StringRef op) {
  Tensor x = im.input(0);
  Constant w = im.constInput(1, "the weight");
  if (!w.isFloat || w.shape.size() != 2)
    im.fail("the weight must be a 2-D float constant");
  std::vector<float> bias(w.shape[1], 0.0f);
  if (op == "Gemm") {
    im.allowAttrs({"alpha", "beta", "transA", "transB"});
    if (im.intAttr("transA", 0))
      im.fail("transA is not supported");
    if (im.intAttr("transB", 0))
      w = transposeConstant(w, {1, 0});
    float alpha = im.floatAttr("alpha", 1.0f), beta = im.floatAttr("beta", 1.0f);
    if (alpha != 1.0f)
      for (float &v : w.f)
        v *= alpha;
    bias.assign(w.shape[1], 0.0f);
    if (im.hasInput(2)) {
      const Constant &c = im.constInput(2, "C");
      if (c.numel() != 1 && c.numel() != w.shape[1])
        im.fail("C must have one value or one per output");
      for (int64_t k = 0; k < w.shape[1]; ++k)
        bias[k] = beta * float(c.at(c.numel() == 1 ? 0 : k));
    }
  }
  return {x, w, bias};
}

std::optional<Outputs> mlir::bnn::onnx_import::importFloatOp(Importer &im,
                                                             llvm::StringRef op) {
  if (std::optional<Outputs> q = importQDQOp(im, op))
    return q;
  if (op == "Cast") {
    const Tensor &x = im.input(0);
    int64_t to = im.requiredIntAttr("to");
    if (to != onnx::TensorProto::FLOAT ||
        (x.kind != Tensor::Float && x.kind != Tensor::Acc))
      im.fail("only casts of float or int32 accumulator tensors to float "
              "are supported");
    return Outputs{x};
  }
  if (op == "Conv" || op == "Gemm" || op == "MatMul") {
    if (std::optional<Tensor> q = importQuantizedLayer(im, op))
      return Outputs{*q};
    if (op == "Conv")
      return Outputs{conv(im)};
    auto [x, w, bias] = denseOperands(im, op);
    return Outputs{dense(im, x, w, bias)};
  }
  if (op == "BatchNormalization")
    return Outputs{batchNorm(im)};
  if (op == "Relu" || op == "Clip" || op == "LeakyRelu" || op == "PRelu")
    return Outputs{activation(im, op)};
  if (op == "MaxPool" || op == "AveragePool" || op == "GlobalAveragePool" ||
      op == "GlobalMaxPool") {
    if (op == "MaxPool" && im.input(0).kind == Tensor::Binary) {
      if (auto q = importQuantOp(im, "BinaryMaxPool"))
        return q;
    }
    return Outputs{pool(im, op)};
  }
  if (std::optional<Outputs> t = importTensorOp(im, op))
    return t;
  if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div")
    return Outputs{*elementwise(im, op)};
  if (op == "Identity")
    return Outputs{im.input(0)};
  if (op == "Dropout") {
    // Inference: the identity. The mask output is not supported.
    if (im.node->output_size() > 1 && !im.node->output(1).empty())
      im.fail("the mask output is not supported");
    if (im.hasInput(2) && im.constInput(2, "training_mode").at(0) != 0)
      im.fail("training_mode is not supported");
    return Outputs{im.input(0)};
  }
  if (op == "Flatten" || op == "Reshape") {
    Tensor x = im.input(0);
    llvm::SmallVector<int64_t> shape;
    if (op == "Flatten") {
      shape = flattenShape(im, x.shape);
    } else {
      const Constant &s = im.constInput(1, "the shape");
      if (s.isFloat)
        im.fail("the shape must be integers");
      shape = reshapeShape(im, x.shape, s.i);
    }
    // [N, C, H, W] -> [N, C*H*W] keeps the NHWC order (see Importer.h)
    // and the kind of quantized tensors.
    bool flatten = x.shape.size() == 4 && shape.size() == 2 &&
                   shape[0] == x.shape[0];
    if (x.kind == Tensor::Acc || (x.kind == Tensor::LowBit && !flatten)) {
      Tensor f = floatTensor(x.shape, im.toFloat(x));
      f.flatFrom = x.flatFrom;
      x = f;
    }
    if (flatten) {
      if (x.value)
        x.value = im.reshape(x.value, Importer::stored(shape));
      if (x.levels)
        x.levels = im.reshape(x.levels, Importer::stored(shape));
      x.flatFrom = x.shape;
      x.shape = shape;
      return Outputs{x};
    }
    Value v = im.toOnnxColumns(x, x.kind == Tensor::Float ? x.value : x.value);
    if (x.shape.size() == 4)
      v = im.transpose(v, {0, 3, 1, 2});
    v = im.reshape(v, shape);
    if (shape.size() == 4)
      v = im.transpose(v, {0, 2, 3, 1});
    x.value = v;
    x.shape = shape;
    x.flatFrom.clear();
    return Outputs{x};
  }
  if (op == "Sigmoid" || op == "Tanh") {
    const Tensor &x = im.input(0);
    Value v = im.toFloat(x);
    Value r = op == "Sigmoid"
                  ? Value(tosa::SigmoidOp::create(im.builder, im.loc,
                                                  v.getType(), v))
                  : Value(tosa::TanhOp::create(im.builder, im.loc,
                                               v.getType(), v));
    Tensor t = floatTensor(x.shape, r);
    t.flatFrom = x.flatFrom;
    return Outputs{t};
  }
  return std::nullopt;
}

