//===- Fold.cpp - import-time evaluation of constant subgraphs ------------===//
//
// Shape arithmetic (torch.onnx's flatten: Shape, Gather, Unsqueeze, Concat,
// Reshape), weight quantizers on initializers and normalisation constants
// are evaluated here, so that what reaches code generation is layers with
// constant weights. `Shape` folds for any input whose shape is known; the
// dynamic batch is kBatchDim, which only passes through.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include <cmath>
#include <numeric>

using namespace mlir;
using namespace mlir::bnn::onnx_import;

std::string mlir::bnn::onnx_import::roundingMode(Importer &im,
                                                 llvm::StringRef dflt) {
  std::string mode = llvm::StringRef(im.stringAttr("rounding_mode", dflt)).upper();
  static const char *const modes[] = {"ROUND", "HALF_EVEN", "CEIL", "FLOOR",
                                      "UP", "DOWN", "ROUND_TO_ZERO",
                                      "HALF_UP", "HALF_DOWN"};
  if (!llvm::is_contained(modes, mode))
    im.fail("rounding_mode '" + mode +
            "' is not supported (ROUND, HALF_EVEN, CEIL, FLOOR, UP, DOWN, "
            "ROUND_TO_ZERO, HALF_UP and HALF_DOWN are)");
  return mode;
}

QuantParams mlir::bnn::onnx_import::quantParams(Importer &im) {
  QuantParams p;
  for (llvm::StringRef name : {"signed", "narrow"})
    if (!im.attr(name))
      im.fail("attribute '" + name +
              "' is required: the QONNX documentation gives it a default "
              "but the reference implementation requires it, so the model "
              "must say which it means");
  im.allowAttrs({"signed", "narrow", "rounding_mode"});
  bool isSigned = im.intAttr("signed", 1) != 0;
  bool narrow = im.intAttr("narrow", 0) != 0;
  p.rounding = roundingMode(im, "ROUND");
  const Constant &zp = im.constInput(2, "the zero point");
  const Constant &bw = im.constInput(3, "the bit width");
  if (zp.numel() != 1)
    im.fail("a per-channel zero point is not supported");
  if (bw.numel() != 1)
    im.fail("the bit width must be a single value");
  double bits = bw.at(0);
  if (bits != std::floor(bits) || bits < 1 || bits > 24)
    im.fail("bit width " + std::to_string(bits) +
            " is not supported (integers 1 to 24 are; 1 to 8 for "
            "activations)");
  p.bits = int64_t(bits);
  p.zeroPoint = float(zp.at(0));
  if (!std::isfinite(p.zeroPoint) || std::fabs(p.zeroPoint) > float(1 << 24))
    im.fail("the zero point must be a finite number of magnitude at most 2^24");
  if (isSigned) {
    p.min = -(int64_t(1) << (p.bits - 1)) + (narrow ? 1 : 0);
    p.max = (int64_t(1) << (p.bits - 1)) - 1;
  } else {
    p.min = 0;
    p.max = (int64_t(1) << p.bits) - 1 - (narrow ? 1 : 0);
  }
  if (p.bits == 1 && isSigned) {
    if (p.zeroPoint != 0.0f)
      im.fail("a signed 1-bit (bipolar) Quant with a non-zero zero point is "
              "not supported");
    p.bipolar = true;
    p.min = -1;
    p.max = 1;
  }
  return p;
}

float mlir::bnn::onnx_import::roundByMode(llvm::StringRef mode, float y) {
  if (mode == "ROUND" || mode == "HALF_EVEN")
    return std::nearbyint(y);
  if (mode == "CEIL")
    return std::ceil(y);
  if (mode == "FLOOR")
    return std::floor(y);
  if (mode == "DOWN" || mode == "ROUND_TO_ZERO")
    return std::trunc(y);
  if (mode == "UP")
    return std::copysign(std::ceil(std::fabs(y)), y);
  // Ties away from (HALF_UP) or toward (HALF_DOWN) zero, decided on the
  // exact fraction.
  float a = std::fabs(y), whole = std::floor(a), frac = a - whole;
  bool up = mode == "HALF_UP" ? frac >= 0.5f : frac > 0.5f;
  return std::copysign(whole + (up ? 1.0f : 0.0f), y);
}

int64_t mlir::bnn::onnx_import::quantLevel(const QuantParams &p, float x,
                                           float scale) {
  float y = p.zeroPointAfterRounding ? x / scale : x / scale + p.zeroPoint;
  if (p.bipolar)
    return y >= 0.0f ? 1 : -1;
  float r = roundByMode(p.rounding, y);
  if (p.zeroPointAfterRounding)
    r += p.zeroPoint;
  if (!(r >= float(p.min)))
    return p.min;
  if (r > float(p.max))
    return p.max;
  return int64_t(r);
}

namespace {
int64_t normalizeAxis(Importer &im, int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    im.fail("axis " + llvm::Twine(axis) + " is out of range for rank " +
            llvm::Twine(rank));
  return axis < 0 ? axis + rank : axis;
}

/// The integer list of attribute `name` (older opsets) or of input `index`.
llvm::SmallVector<int64_t> intsFromAttrOrInput(Importer &im,
                                               llvm::StringRef name,
                                               int index) {
  if (im.attr(name))
    return im.intsAttr(name);
  if (!im.hasInput(index))
    return {};
  const Constant &c = im.constInput(index, name);
  if (c.isFloat)
    im.fail("'" + name + "' must be integers");
  return llvm::SmallVector<int64_t>(c.i.begin(), c.i.end());
}

Tensor constTensor(Constant c) {
  Tensor t;
  t.kind = Tensor::Const;
  t.constant = std::move(c);
  return t;
}

/// Copies elements of `x` selected by `index(k)` for every output element.
Constant gatherElements(const Constant &x, llvm::SmallVector<int64_t> shape,
                        const std::function<int64_t(int64_t)> &index) {
  Constant out = x;
  out.quant.reset();
  out.shape = std::move(shape);
  int64_t n = *checkedNumel(out.shape);
  if (x.isFloat) {
    out.f.resize(n);
    for (int64_t k = 0; k < n; ++k)
      out.f[k] = x.f[index(k)];
  } else {
    out.i.resize(n);
    for (int64_t k = 0; k < n; ++k)
      out.i[k] = x.i[index(k)];
  }
  return out;
}

/// A Reshape target with ONNX's 0 (copy) and -1 (infer).
llvm::SmallVector<int64_t> reshapeTarget(Importer &im,
                                         llvm::ArrayRef<int64_t> in,
                                         llvm::ArrayRef<int64_t> spec,
                                         bool allowZero) {
  llvm::SmallVector<int64_t> out;
  int infer = -1;
  int64_t known = 1;
  bool batch = false;
  for (size_t k = 0; k < spec.size(); ++k) {
    int64_t d = spec[k];
    if (d == 0 && !allowZero) {
      if (k >= in.size())
        im.fail("reshape copies dimension " + llvm::Twine(k) +
                " which the input does not have");
      d = in[k];
    }
    if (d == bnn::onnx_import::kBatchDim || ShapedType::isDynamic(d)) {
      if (k != 0)
        im.fail("the dynamic batch may only stay in dimension 0");
      batch = true;
      out.push_back(ShapedType::kDynamic);
      continue;
    }
    if (d == -1) {
      if (infer >= 0)
        im.fail("reshape infers more than one dimension");
      infer = k;
      out.push_back(-1);
      continue;
    }
    if (d <= 0)
      im.fail("reshape to dimension " + llvm::Twine(d) + " is not supported");
    if (__builtin_mul_overflow(known, d, &known))
      im.fail("reshape to more elements than an index holds");
    out.push_back(d);
  }
  int64_t total = 1;
  bool inBatch = false;
  for (size_t k = 0; k < in.size(); ++k) {
    if (ShapedType::isDynamic(in[k])) {
      inBatch = true;
      continue;
    }
    total *= in[k];
  }
  if (inBatch != batch)
    im.fail("reshape must keep the dynamic batch in dimension 0");
  if (infer >= 0) {
    if (known == 0 || total % known)
      im.fail("reshape cannot infer a dimension");
    out[infer] = total / known;
    known *= out[infer];
  }
  if (known != total)
    im.fail("reshape changes the number of elements");
  return out;
}
} // namespace

namespace mlir::bnn::onnx_import {
llvm::SmallVector<int64_t> reshapeShape(Importer &im,
                                        llvm::ArrayRef<int64_t> in,
                                        llvm::ArrayRef<int64_t> spec) {
  return reshapeTarget(im, in, spec, im.intAttr("allowzero", 0) != 0);
}

llvm::SmallVector<int64_t> flattenShape(Importer &im,
                                        llvm::ArrayRef<int64_t> in) {
  int64_t axis =
      im.intAttr("axis", 1) < 0 ? im.intAttr("axis", 1) + int64_t(in.size())
                                : im.intAttr("axis", 1);
  if (axis < 0 || axis > int64_t(in.size()))
    im.fail("axis is out of range");
  int64_t outer = 1, inner = 1;
  bool dynamic = false;
  for (int64_t k = 0; k < int64_t(in.size()); ++k) {
    if (ShapedType::isDynamic(in[k])) {
      dynamic = true;
      if (k >= axis || k != 0)
        im.fail("flatten would merge the dynamic batch");
      continue;
    }
    (k < axis ? outer : inner) *= in[k];
  }
  return {dynamic ? ShapedType::kDynamic : outer, inner};
}
} // namespace mlir::bnn::onnx_import

std::optional<Outputs> mlir::bnn::onnx_import::foldNode(Importer &im,
                                                        llvm::StringRef op) {
  const onnx::NodeProto &n = *im.node;
  if (op == "Shape") {
    const Tensor &x = im.input(0);
    llvm::ArrayRef<int64_t> shape =
        x.kind == Tensor::Const ? llvm::ArrayRef<int64_t>(x.constant.shape)
                                : llvm::ArrayRef<int64_t>(x.shape);
    std::vector<int64_t> dims;
    for (int64_t d : shape)
      dims.push_back(ShapedType::isDynamic(d) ? kBatchDim : d);
    int64_t rank = dims.size();
    int64_t start = im.intAttr("start", 0), end = im.intAttr("end", rank);
    start = std::clamp(start < 0 ? start + rank : start, int64_t(0), rank);
    end = std::clamp(end < 0 ? end + rank : end, int64_t(0), rank);
    std::vector<int64_t> part(dims.begin() + start,
                              dims.begin() + std::max(start, end));
    int64_t size = part.size();
    return Outputs{constTensor(Constant::ofInts({size}, std::move(part)))};
  }
  for (int k = 0; k < n.input_size(); ++k)
    if (im.hasInput(k) && im.input(k).kind != Tensor::Const)
      return std::nullopt;
  auto in = [&](int k) -> const Constant & { return im.input(k).constant; };

  if (op == "Constant") {
    if (const onnx::AttributeProto *a = im.attr("value")) {
      Constant c;
      std::string error;
      if (!readTensor(a->t(), c, error))
        im.fail(error);
      return Outputs{constTensor(std::move(c))};
    }
    if (const onnx::AttributeProto *a = im.attr("value_float"))
      return Outputs{constTensor(Constant::ofFloats({}, {a->f()}))};
    if (const onnx::AttributeProto *a = im.attr("value_floats"))
      return Outputs{constTensor(Constant::ofFloats(
          {a->floats_size()}, {a->floats().begin(), a->floats().end()}))};
    if (const onnx::AttributeProto *a = im.attr("value_int"))
      return Outputs{constTensor(Constant::ofInts({}, {a->i()}))};
    if (const onnx::AttributeProto *a = im.attr("value_ints"))
      return Outputs{constTensor(Constant::ofInts(
          {a->ints_size()}, {a->ints().begin(), a->ints().end()}))};
    im.fail("only tensor, float(s) and int(s) values are supported");
  }
  if (op == "Identity")
    return Outputs{im.input(0)};
  if (op == "Cast") {
    int64_t to = im.requiredIntAttr("to");
    Constant c = in(0);
    c.quant.reset();
    bool toFloat = to == onnx::TensorProto::FLOAT ||
                   to == onnx::TensorProto::DOUBLE;
    if (toFloat && !c.isFloat) {
      c.f.assign(c.i.begin(), c.i.end());
      c.i.clear();
      c.isFloat = true;
    } else if (!toFloat && c.isFloat) {
      for (float x : c.f) {
        if (!std::isfinite(x) || std::fabs(x) > 9.2e18f)
          im.fail("casts a value that no integer holds");
        c.i.push_back(int64_t(x));
      }
      c.f.clear();
      c.isFloat = false;
    }
    c.onnxType = int32_t(to);
    return Outputs{constTensor(std::move(c))};
  }
  if (op == "Gather") {
    const Constant &x = in(0), &idx = in(1);
    if (idx.isFloat)
      im.fail("indices must be integers");
    int64_t rank = x.shape.size();
    int64_t axis = normalizeAxis(im, im.intAttr("axis", 0), rank);
    llvm::SmallVector<int64_t> shape(x.shape.begin(), x.shape.begin() + axis);
    shape.append(idx.shape.begin(), idx.shape.end());
    shape.append(x.shape.begin() + axis + 1, x.shape.end());
    int64_t inner = 1;
    for (int64_t k = axis + 1; k < rank; ++k)
      inner *= x.shape[k];
    int64_t dim = x.shape[axis], count = idx.numel();
    for (int64_t v : idx.i)
      if (v < -dim || v >= dim)
        im.fail("index " + llvm::Twine(v) + " is out of range");
    return Outputs{constTensor(gatherElements(x, shape, [&](int64_t k) {
      int64_t i = k % inner, rest = k / inner;
      int64_t j = idx.i[rest % count];
      int64_t o = rest / count;
      return (o * dim + (j < 0 ? j + dim : j)) * inner + i;
    }))};
  }
  if (op == "Unsqueeze" || op == "Squeeze") {
    Constant c = in(0);
    c.quant.reset();
    llvm::SmallVector<int64_t> axes = intsFromAttrOrInput(im, "axes", 1);
    if (op == "Unsqueeze") {
      int64_t rank = c.shape.size() + axes.size();
      llvm::SmallVector<bool> isNew(rank, false);
      for (int64_t a : axes)
        isNew[normalizeAxis(im, a, rank)] = true;
      llvm::SmallVector<int64_t> shape;
      size_t src = 0;
      for (int64_t k = 0; k < rank; ++k)
        shape.push_back(isNew[k] ? 1 : c.shape[src++]);
      c.shape = shape;
    } else {
      int64_t rank = c.shape.size();
      llvm::SmallVector<bool> drop(rank, axes.empty());
      for (int64_t a : axes)
        drop[normalizeAxis(im, a, rank)] = true;
      llvm::SmallVector<int64_t> shape;
      for (int64_t k = 0; k < rank; ++k) {
        if (drop[k] && c.shape[k] != 1 && !axes.empty())
          im.fail("squeezes a dimension that is not 1");
        if (!(drop[k] && c.shape[k] == 1))
          shape.push_back(c.shape[k]);
      }
      c.shape = shape;
    }
    return Outputs{constTensor(std::move(c))};
  }
  if (op == "Concat") {
    const Constant &first = in(0);
    int64_t rank = first.shape.size();
    int64_t axis = normalizeAxis(im, im.requiredIntAttr("axis"), rank);
    llvm::SmallVector<int64_t> shape = first.shape;
    shape[axis] = 0;
    bool isFloat = false;
    for (int k = 0; k < n.input_size(); ++k) {
      const Constant &c = in(k);
      if (int64_t(c.shape.size()) != rank)
        im.fail("inputs have different ranks");
      for (int64_t d = 0; d < rank; ++d)
        if (d != axis && c.shape[d] != first.shape[d])
          im.fail("inputs have different shapes");
      shape[axis] += c.shape[axis];
      isFloat |= c.isFloat;
    }
    int64_t outer = 1, inner = 1;
    for (int64_t d = 0; d < axis; ++d)
      outer *= shape[d];
    for (int64_t d = axis + 1; d < rank; ++d)
      inner *= shape[d];
    Constant out = isFloat ? Constant::ofFloats(shape, {})
                           : Constant::ofInts(shape, {}, first.onnxType);
    for (int64_t o = 0; o < outer; ++o)
      for (int k = 0; k < n.input_size(); ++k) {
        const Constant &c = in(k);
        int64_t chunk = c.shape[axis] * inner;
        for (int64_t e = 0; e < chunk; ++e) {
          int64_t src = o * chunk + e;
          if (isFloat)
            out.f.push_back(float(c.at(src)));
          else
            out.i.push_back(c.i[src]);
        }
      }
    return Outputs{constTensor(std::move(out))};
  }
  if (op == "Slice") {
    const Constant &x = in(0);
    int64_t rank = x.shape.size();
    llvm::SmallVector<int64_t> starts = intsFromAttrOrInput(im, "starts", 1);
    llvm::SmallVector<int64_t> ends = intsFromAttrOrInput(im, "ends", 2);
    llvm::SmallVector<int64_t> axes = intsFromAttrOrInput(im, "axes", 3);
    llvm::SmallVector<int64_t> steps = intsFromAttrOrInput(im, "steps", 4);
    if (axes.empty())
      for (size_t k = 0; k < starts.size(); ++k)
        axes.push_back(k);
    if (starts.size() != ends.size() || axes.size() != starts.size() ||
        (!steps.empty() && steps.size() != starts.size()))
      im.fail("starts, ends, axes and steps have different lengths");
    llvm::SmallVector<int64_t> lo(rank, 0), step(rank, 1), shape = x.shape;
    for (size_t k = 0; k < axes.size(); ++k) {
      int64_t a = normalizeAxis(im, axes[k], rank), dim = x.shape[a];
      int64_t s = steps.empty() ? 1 : steps[k];
      if (s <= 0)
        im.fail("only positive steps are supported");
      int64_t b = starts[k] < 0 ? std::max<int64_t>(starts[k] + dim, 0)
                                : std::min(starts[k], dim);
      int64_t e = ends[k] < 0 ? std::max<int64_t>(ends[k] + dim, 0)
                              : std::min(ends[k], dim);
      lo[a] = b;
      step[a] = s;
      shape[a] = e > b ? (e - b - 1) / s + 1 : 0;
    }
    return Outputs{constTensor(gatherElements(x, shape, [&](int64_t k) {
      int64_t src = 0, stride = 1;
      for (int64_t d = rank; d-- > 0;) {
        int64_t c = k % shape[d];
        k /= shape[d];
        src += (lo[d] + c * step[d]) * stride;
        stride *= x.shape[d];
      }
      return src;
    }))};
  }
  if (op == "Reshape" || op == "Flatten") {
    Constant c = in(0);
    c.quant.reset();
    if (op == "Flatten") {
      c.shape = flattenShape(im, c.shape);
    } else {
      const Constant &s = in(1);
      if (s.isFloat)
        im.fail("the shape must be integers");
      c.shape = reshapeShape(im, c.shape, s.i);
    }
    return Outputs{constTensor(std::move(c))};
  }
  if (op == "Transpose") {
    const Constant &x = in(0);
    llvm::SmallVector<int64_t> perm = im.intsAttr("perm");
    if (perm.empty())
      for (int64_t k = x.shape.size(); k-- > 0;)
        perm.push_back(k);
    if (perm.size() != x.shape.size())
      im.fail("perm does not match the rank");
    Constant t = transposeConstant(x, perm);
    // A transposed quantized weight (torch.onnx's F.linear) keeps its
    // levels; its scale moves with the axis it varies along.
    if (x.quant) {
      const QuantLevels &q = *x.quant;
      llvm::SmallVector<int64_t> scaleShape(x.shape.size() - q.scaleShape.size(), 1);
      scaleShape.append(q.scaleShape.begin(), q.scaleShape.end());
      if (llvm::count_if(scaleShape, [](int64_t d) { return d != 1; }) <= 1) {
        QuantLevels moved = q;
        moved.levels = transposeConstant(Constant::ofInts(x.shape, q.levels),
                                         perm).i;
        moved.scaleShape.clear();
        for (int64_t p : perm)
          moved.scaleShape.push_back(scaleShape[p]);
        t.quant = std::move(moved);
      }
    }
    return Outputs{constTensor(std::move(t))};
  }
  static const std::pair<llvm::StringRef, BinaryFn> binaries[] = {
      {"Add", BinaryFn::Add}, {"Sub", BinaryFn::Sub}, {"Mul", BinaryFn::Mul},
      {"Div", BinaryFn::Div}, {"Pow", BinaryFn::Pow}};
  for (auto [name, fn] : binaries)
    if (op == name) {
      std::string error;
      std::optional<Constant> c = foldBinary(fn, in(0), in(1), error);
      if (!c)
        im.fail(error);
      return Outputs{constTensor(std::move(*c))};
    }
  if (op == "Sqrt" || op == "Neg" || op == "Reciprocal") {
    Constant c = in(0);
    c.quant.reset();
    if (!c.isFloat && op != "Neg")
      im.fail("integer " + op + " is not supported");
    for (float &x : c.f)
      x = op == "Sqrt" ? std::sqrt(x) : (op == "Neg" ? -x : 1.0f / x);
    for (int64_t &x : c.i)
      x = -x;
    return Outputs{constTensor(std::move(c))};
  }
  if (op == "QuantizeLinear" || op == "DequantizeLinear") {
    im.allowAttrs({"axis", "saturate"});
    const Constant &x = in(0), &scale = in(1);
    bool quantize = op == "QuantizeLinear";
    if (quantize != x.isFloat)
      im.fail(quantize ? "the input must be float" : "the input must be integers");
    int64_t rank = x.shape.size();
    int64_t axis = scale.numel() > 1
                       ? normalizeAxis(im, im.intAttr("axis", 1), rank)
                       : 0;
    if (scale.numel() > 1 && scale.numel() != x.shape[axis])
      im.fail("the scale does not have one value per element of the axis");
    Constant zp = im.hasInput(2) ? in(2) : Constant::ofInts({}, {0}, 2);
    if (zp.isFloat || (zp.numel() != 1 && zp.numel() != scale.numel()))
      im.fail("the zero point must be integers like the scale");
    int64_t inner = 1;
    for (int64_t k = axis + 1; k < rank; ++k)
      inner *= x.shape[k];
    auto channel = [&](int64_t k) {
      return scale.numel() > 1 ? (k / inner) % x.shape[axis] : 0;
    };
    int64_t lo = zp.onnxType == onnx::TensorProto::INT8 ? -128 : 0;
    int64_t hi = zp.onnxType == onnx::TensorProto::INT8 ? 127 : 255;
    if (quantize) {
      std::vector<int64_t> q(x.numel());
      for (int64_t k = 0; k < x.numel(); ++k) {
        int64_t c = channel(k);
        float r = std::nearbyint(x.f[k] / float(scale.at(c))) +
                  float(zp.at(zp.numel() > 1 ? c : 0));
        q[k] = !(r >= lo) ? lo : (r > hi ? hi : int64_t(r));
      }
      return Outputs{constTensor(Constant::ofInts(x.shape, std::move(q),
                                                  zp.onnxType))};
    }
    std::vector<float> f(x.numel());
    for (int64_t k = 0; k < x.numel(); ++k) {
      int64_t c = channel(k);
      f[k] = float(x.i[k] - zp.i[zp.numel() > 1 ? c : 0]) * float(scale.at(c));
    }
    Constant out = Constant::ofFloats(x.shape, std::move(f));
    bool uniformZp = llvm::all_of(zp.i, [&](int64_t v) { return v == zp.i[0]; });
    if (uniformZp) {
      QuantLevels q;
      q.levels = x.i;
      q.zeroPoint = zp.i[0];
      q.min = *std::min_element(x.i.begin(), x.i.end());
      q.max = *std::max_element(x.i.begin(), x.i.end());
      for (int64_t k = 0; k < scale.numel(); ++k)
        q.scale.push_back(float(scale.at(k)));
      if (scale.numel() > 1) {
        q.scaleShape.assign(rank, 1);
        q.scaleShape[axis] = scale.numel();
      }
      out.quant = std::move(q);
    }
    return Outputs{constTensor(std::move(out))};
  }
  if (op == "BipolarQuant" || op == "Quant") {
    const Constant &x = in(0), &scale = in(1);
    if (!x.isFloat)
      im.fail("the quantized tensor must be float");
    std::optional<llvm::SmallVector<int64_t>> shape =
        broadcastShapes(x.shape, scale.shape);
    if (!shape || *shape != llvm::ArrayRef<int64_t>(x.shape))
      im.fail("the scale does not broadcast to the input");
    QuantLevels q;
    q.scaleShape = scale.shape;
    for (int64_t k = 0; k < scale.numel(); ++k)
      q.scale.push_back(float(scale.at(k)));
    std::vector<float> out(x.numel());
    QuantParams p{1, -1, 1, 0.0f, "ROUND"};
    q.bipolar = op == "BipolarQuant";
    if (!q.bipolar) {
      p = quantParams(im);
      q.bipolar = p.bipolar;
    } else {
      im.allowAttrs({});
    }
    bool integralZp = p.zeroPoint == std::floor(p.zeroPoint);
    q.zeroPoint = int64_t(p.zeroPoint);
    q.min = p.min;
    q.max = p.max;
    for (int64_t k = 0; k < x.numel(); ++k) {
      float s = q.scale[broadcastIndex(k, x.shape, scale.shape)];
      int64_t level;
      if (op == "BipolarQuant") {
        level = x.f[k] >= 0.0f ? 1 : -1;
        out[k] = float(level) * s;
      } else {
        level = quantLevel(p, x.f[k], s);
        out[k] = (float(level) - p.zeroPoint) * s;
      }
      q.levels.push_back(level);
    }
    Constant c = Constant::ofFloats(x.shape, std::move(out));
    if (integralZp)
      c.quant = std::move(q);
    return Outputs{constTensor(std::move(c))};
  }
  return std::nullopt;
}
