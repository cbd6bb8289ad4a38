//===- QuantOps.cpp - QONNX quantizers and quantized layers in bnn --------===//
//
// An activation quantizer makes a Binary (BipolarQuant, a 1-level
// MultiThreshold) or LowBit (Quant, MultiThreshold) tensor: from a float
// tensor by bnn.binarize / bnn.quantize, from an accumulator by exact
// thresholds over its chain (bnn.threshold / bnn.multi_threshold). A Conv,
// Gemm or MatMul whose input is quantized and whose weights come from a
// weight quantizer becomes bnn.binary_* or bnn.bitserial_*. Signed or
// zero-pointed integers are shifted to the unsigned ranges the bit-serial
// operators take, and the shift is corrected exactly:
//   sum (u + a) (w + b) = sum u w + b * sum u + a * sum w
// over the in-bounds taps, where `sum w` is a constant (a per-channel offset
// of the chain, or a constant tensor when padding makes it vary by
// position) and `sum u` is one more bit-serial product with a ones filter.
//
//===----------------------------------------------------------------------===//

#include "Quantize.h"

#include "bnn/Dialect/BNN/IR/BNNOps.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

#include <cmath>
#include <cstring>

using namespace mlir;
using namespace mlir::bnn;
using namespace mlir::bnn::onnx_import;

namespace mlir::bnn::onnx_import {
int64_t bitsFor(int64_t maxValue) {
  int64_t bits = 1;
  while ((int64_t(1) << bits) - 1 < maxValue)
    ++bits;
  return bits;
}

float singleScale(Importer &im, const Constant &scale, const char *what) {
  if (scale.numel() < 1)
    im.fail(llvm::Twine(what) + " is empty");
  float s = float(scale.at(0));
  for (int64_t k = 1; k < scale.numel(); ++k)
    if (float(scale.at(k)) != s)
      im.fail(llvm::Twine(what) +
              " varies by channel, which a quantized activation cannot "
              "carry into the next layer; only per-tensor activation scales "
              "are supported");
  if (!(s > 0) || !std::isfinite(s))
    im.fail(llvm::Twine(what) + " must be positive and finite");
  return s;
}

Tensor binaryTensor(const Tensor &like, Value v, float scale) {
  Tensor t;
  t.kind = Tensor::Binary;
  t.shape = like.shape;
  t.flatFrom = like.flatFrom;
  t.value = v;
  t.scale = scale;
  return t;
}

RankedTensorType storedType(Importer &im, const Tensor &like, Type elem) {
  return im.type(Importer::stored(like.shape), elem);
}

/// Thresholds of `acc` as an i32 constant [C, count] and directions [C].
std::pair<Value, Value> thresholdOperands(Importer &im, const AccChain &chain,
                                          int64_t count,
                                          const std::function<int64_t(int64_t, double)> &level,
                                          int64_t levelMin,
                                          bool matrix = false) {
  std::vector<int32_t> t;
  std::vector<bool> down;
  std::string error;
  if (!findThresholds(chain, count, level, levelMin, t, down, error))
    im.fail(error);
  llvm::SmallVector<int64_t> t64(t.begin(), t.end());
  llvm::SmallVector<int64_t> shape = {chain.channels};
  if (matrix)
    shape.push_back(count);
  Value thresholds = im.intConst(shape, t64, im.builder.getI32Type());
  llvm::SmallVector<bool> d(down.begin(), down.end());
  return {thresholds, im.boolConst({chain.channels}, d)};
}

Value multiThreshold(Importer &im, const Tensor &acc, Value thresholds,
                     Value directions, int64_t bits) {
  Type elem = IntegerType::get(im.builder.getContext(), bits,
                               IntegerType::Unsigned);
  OperationState state(im.loc, "bnn.multi_threshold");
  state.addOperands({acc.value, thresholds, directions});
  state.addTypes(storedType(im, acc, elem));
  return im.builder.create(state)->getResult(0);
}

Tensor lowBitTensor(const Tensor &like, Value v, int64_t bits, int64_t offset,
                    float scale) {
  Tensor t;
  t.kind = Tensor::LowBit;
  t.shape = like.shape;
  t.flatFrom = like.flatFrom;
  t.value = v;
  t.bits = bits;
  t.offset = offset;
  t.scale = scale;
  return t;
}

/// The smallest float x with `level(x) >= target`, by bisection over the
/// ordered float bit patterns (level is non-decreasing in x).
float levelBoundary(const std::function<int64_t(float)> &level,
                    int64_t target) {
  auto key = [](float f) {
    int32_t i;
    std::memcpy(&i, &f, 4);
    return i < 0 ? int64_t(INT32_MIN) - int64_t(i) : int64_t(i);
  };
  auto fromKey = [](int64_t k) {
    int32_t i = k < 0 ? int32_t(int64_t(INT32_MIN) - k) : int32_t(k);
    float f;
    std::memcpy(&f, &i, 4);
    return f;
  };
  int64_t lo = key(-INFINITY), hi = key(INFINITY);
  if (level(-INFINITY) >= target)
    return -INFINITY;
  while (hi - lo > 1) {
    int64_t mid = lo + (hi - lo) / 2;
    (level(fromKey(mid)) >= target ? hi : lo) = mid;
  }
  return fromKey(hi);
}

/// `#{j : x >= bounds[c][j]}` of a float tensor as i32, in tosa.
Value countAtLeast(Importer &im, Value x,
                   const std::vector<std::vector<float>> &bounds) {
  auto shape = cast<RankedTensorType>(x.getType()).getShape();
  Type i32 = im.builder.getI32Type();
  auto i32Type = im.type(shape, i32);
  auto i1Type = im.type(shape, im.builder.getI1Type());
  llvm::SmallVector<int64_t> chan(shape.size(), 1);
  chan.back() = bounds.size();
  Value count;
  for (size_t j = 0; j < bounds[0].size(); ++j) {
    std::vector<float> b;
    for (const auto &row : bounds)
      b.push_back(row[j]);
    Value ge = tosa::GreaterEqualOp::create(im.builder, im.loc, i1Type, x,
                                            im.floatConst(chan, b));
    Value one = tosa::CastOp::create(im.builder, im.loc, i32Type, ge);
    count = count ? tosa::AddOp::create(im.builder, im.loc, i32Type, count, one)
                        .getResult()
                  : one;
  }
  return count;
}

/// An i32 tensor of values 0 .. steps as ui<bits>: a multi-threshold at
/// 1 .. steps.
Value countToLowBit(Importer &im, const Tensor &like, Value count,
                    int64_t steps, int64_t bits) {
  llvm::SmallVector<int64_t> t;
  for (int64_t j = 1; j <= steps; ++j)
    t.push_back(j);
  Tensor acc = like;
  acc.value = count;
  return multiThreshold(im, acc,
                        im.intConst({1, steps}, t, im.builder.getI32Type()),
                        im.boolConst({1}, {false}), bits);
}

/// The levels of a multi-threshold of `acc` as i32, in tosa, for float
/// consumers of a k-bit activation: #{j : acc >= t[c, j]} or, where
/// `directions[c]` is set, #{j : acc <= t[c, j]}. Unused results are
/// removed by canonicalization when no float consumer needs them.
Value countThresholds(Importer &im, Value acc, Value thresholds,
                      Value directions) {
  auto accType = cast<RankedTensorType>(acc.getType());
  auto tType = cast<RankedTensorType>(thresholds.getType());
  int64_t channels = tType.getDimSize(0), steps = tType.getDimSize(1);
  auto tValues = cast<DenseElementsAttr>(
      thresholds.getDefiningOp()->getAttr("value")).getValues<int32_t>();
  auto dValues = cast<DenseElementsAttr>(
      directions.getDefiningOp()->getAttr("value")).getValues<bool>();
  Type i32 = im.builder.getI32Type();
  auto i32Type = im.type(accType.getShape(), i32);
  auto i1Type = im.type(accType.getShape(), im.builder.getI1Type());
  llvm::SmallVector<int64_t> chan(accType.getRank(), 1);
  chan.back() = channels;
  llvm::SmallVector<bool> down;
  for (bool d : dValues)
    down.push_back(d);
  Value downMask = tosa::ConstOp::create(
      im.builder, im.loc, im.type(chan, im.builder.getI1Type()),
      DenseElementsAttr::get(im.type(chan, im.builder.getI1Type()), down));
  Value count;
  for (int64_t j = 0; j < steps; ++j) {
    llvm::SmallVector<int64_t> col;
    for (int64_t c = 0; c < channels; ++c)
      col.push_back(tValues[c * steps + j]);
    auto colType = im.type(chan, i32);
    llvm::SmallVector<int32_t> col32(col.begin(), col.end());
    Value t = tosa::ConstOp::create(im.builder, im.loc, colType,
                                    DenseElementsAttr::get(colType,
                                                           llvm::ArrayRef(col32)));
    Value ge = tosa::GreaterEqualOp::create(im.builder, im.loc, i1Type, acc, t);
    Value le = tosa::GreaterEqualOp::create(im.builder, im.loc, i1Type, t, acc);
    Value hit = tosa::SelectOp::create(im.builder, im.loc, i1Type, downMask,
                                       le, ge);
    Value one = tosa::CastOp::create(im.builder, im.loc, i32Type, hit);
    count = count ? tosa::AddOp::create(im.builder, im.loc, i32Type, count, one)
                        .getResult()
                  : one;
  }
  return count;
}

/// A quantizer on a float tensor: bnn.quantize when a multiplier
/// reproduces every level boundary of the division by the scale (the
/// operator multiplies by a reciprocal), else a comparison with each
/// boundary. Either way exact; sets the LowBit value and its levels.
Tensor quantizeFloat(Importer &im, const Tensor &x, const QuantParams &p,
                     float scale) {
  int64_t steps = p.max - p.min;
  int64_t bits = bitsFor(std::max<int64_t>(steps, 1));
  int64_t offset = p.min - int64_t(p.zeroPoint);
  Type elem = IntegerType::get(im.builder.getContext(), bits,
                               IntegerType::Unsigned);
  auto reference = [&](float v) { return quantLevel(p, v, scale); };
  std::vector<float> bounds;
  for (int64_t level = p.min + 1; level <= p.max; ++level)
    bounds.push_back(levelBoundary(reference, level));
  Value input = im.toFloat(x);
  int64_t zp = int64_t(p.zeroPoint);
  bool zpOk = p.zeroPoint == std::floor(p.zeroPoint) && zp >= p.min &&
              zp <= p.max;
  // The levels less a shift in i8, for float consumers and the int8
  // operators: the zero point when that fits, else the middle of the range.
  int64_t shift = (p.min - zp >= -128 && p.max - zp <= 127) ? zp : p.min + 128;
  bool fitsI8 = steps <= 255;
  if (p.rounding == "ROUND" && zpOk) {
    float m0 = 1.0f / scale;
    for (int step = 0; step < 64; ++step) {
      float m = m0;
      for (int k = 0; k < step / 2; ++k)
        m = std::nextafter(m, step % 2 ? INFINITY : 0.0f);
      auto candidate = [&](float v) {
        float y = std::nearbyint(v * m) + float(zp);
        return !(y >= p.min) ? p.min : (y > p.max ? p.max : int64_t(y));
      };
      bool same = true;
      for (int64_t j = 0; same && j < steps; ++j)
        same = levelBoundary(candidate, p.min + 1 + j) == bounds[j];
      if (!same)
        continue;
      auto i64 = [&](int64_t v) { return im.builder.getI64IntegerAttr(v); };
      Value mult = im.floatConst({1}, {m});
      Tensor t = lowBitTensor(
          x,
          QuantizeOp::create(im.builder, im.loc, storedType(im, x, elem),
                             input, mult, i64(zp - p.min), i64(0), i64(steps)),
          bits, offset, scale);
      if (fitsI8) {
        t.levels = QuantizeOp::create(
            im.builder, im.loc, storedType(im, x, im.builder.getI8Type()),
            input, mult, i64(zp - shift), i64(p.min - shift),
            i64(p.max - shift));
        t.levelsOffset = shift - p.min;
      }
      return t;
    }
  }
  Value count = countAtLeast(im, input, {bounds});
  Tensor t = lowBitTensor(x, countToLowBit(im, x, count, steps, bits), bits,
                          offset, scale);
  t.levels = count;
  return t;
}

Tensor quantizeAcc(Importer &im, const Tensor &x,
                   const std::function<int64_t(int64_t, double)> &level,
                   int64_t min, int64_t max, int64_t zeroPoint,
                   const std::vector<double> &multipliers) {
  const AccChain &chain = x.chain;
  int64_t steps = max - min, bits = bitsFor(std::max<int64_t>(steps, 1));
  std::vector<int32_t> ref;
  std::vector<bool> down;
  std::string error;
  if (!findThresholds(chain, steps, level, min, ref, down, error))
    im.fail(error);
  Type i32 = im.builder.getI32Type(), i8 = im.builder.getI8Type();
  bool increasing = llvm::none_of(down, [](bool d) { return d; });
  // bnn.requantize computes clamp(zp + roundeven(f32(acc) * m)) in i8: the
  // levels less `shift`. It is used when its thresholds are the reference's.
  int64_t shift = min == -128 ? 0 : min + 128;
  // A float bias that is a whole number of accumulator steps (a dequantized
  // int32 bias) joins the integer offset.
  std::vector<int64_t> offsets(chain.channels);
  bool integralBias = true;
  for (int64_t c = 0; c < chain.channels; ++c) {
    auto pick = [&](const auto &v) { return v[v.size() == 1 ? 0 : c]; };
    double steps = pick(chain.bias) / pick(chain.scale);
    double k = std::nearbyint(steps);
    integralBias &= std::isfinite(steps) && std::fabs(steps - k) < 1e-6 &&
                    std::fabs(k) < 1e9;
    offsets[c] = pick(chain.offset) + (integralBias ? int64_t(k) : 0);
  }
  if (steps == 255 && increasing && integralBias && !multipliers.empty() &&
      zeroPoint - shift >= -128 && zeroPoint - shift <= 127) {
    for (int attempt = 0; attempt < 14; ++attempt) {
      int64_t clampMin = attempt % 2 ? std::max(zeroPoint, min) : min;
      AccChain cand;
      cand.channels = chain.channels;
      cand.bias = {0.0};
      cand.offset = offsets;
      cand.lo = chain.lo;
      cand.hi = chain.hi;
      for (int64_t c = 0; c < chain.channels; ++c) {
        double m = multipliers[multipliers.size() == 1 ? 0 : c];
        // Scaling steps of the chain belong in the multiplier.
        for (const ChainStep &step : chain.steps) {
          float a = step.a.empty() ? 1.0f : step.a[step.a.size() == 1 ? 0 : c];
          if (step.kind == ChainStep::Mul)
            m *= a;
          else if (step.kind == ChainStep::Div)
            m /= a;
        }
        float f = float(m);
        for (int k = 0; k < attempt / 4; ++k)
          f = std::nextafter(f, attempt / 2 % 2 ? INFINITY : 0.0f);
        cand.scale.push_back(f);
      }
      auto candLevel = [&](int64_t, double y) {
        return clampRounded(std::nearbyint(float(y)) + float(zeroPoint),
                            clampMin, max);
      };
      std::vector<int32_t> got;
      std::vector<bool> gotDown;
      if (!findThresholds(cand, steps, candLevel, min, got, gotDown, error) ||
          got != ref)
        continue;
      Value acc = x.value;
      if (llvm::any_of(offsets, [](int64_t v) { return v != 0; })) {
        auto shape = cast<RankedTensorType>(acc.getType()).getShape();
        llvm::SmallVector<int64_t> chan(shape.size(), 1);
        chan.back() = offsets.size();
        acc = tosa::AddOp::create(im.builder, im.loc, acc.getType(), acc,
                                  im.intConst(chan, offsets, i32));
      }
      std::vector<float> m(cand.scale.begin(), cand.scale.end());
      Value q = RequantizeOp::create(
          im.builder, im.loc, storedType(im, x, i8), acc,
          im.floatConst({int64_t(m.size())}, m), zeroPoint - shift,
          clampMin - shift, max - shift);
      Tensor r = lowBitTensor(x, Value(), bits, min - zeroPoint, 1.0f);
      r.levels = q;
      r.levelsOffset = shift - min;
      return r;
    }
  }
  llvm::SmallVector<int64_t> t64(ref.begin(), ref.end());
  Value t = im.intConst({chain.channels, steps}, t64, i32);
  llvm::SmallVector<bool> d(down.begin(), down.end());
  Value dirs = im.boolConst({chain.channels}, d);
  Tensor r = lowBitTensor(x, multiThreshold(im, x, t, dirs, bits), bits,
                          min - zeroPoint, 1.0f);
  r.levels = countThresholds(im, x.value, t, dirs);
  return r;
}

/// Level `level` of a weight as the integer the layer multiplies.
struct IntWeights {
  Constant values;          // int64 levels minus zero point, ONNX layout
  std::vector<double> scale; // per output channel
};

/// The integer weights and per-output scales of a quantized weight with
/// output channels along `axis`.
IntWeights intWeights(Importer &im, const Constant &w, int64_t axis) {
  if (!w.quant)
    im.fail("the weight of a layer with a quantized input must come from a "
            "weight quantizer (Quant or BipolarQuant on an initializer)");
  const QuantLevels &q = *w.quant;
  IntWeights r;
  std::vector<int64_t> v;
  for (int64_t l : q.levels)
    v.push_back(l - q.zeroPoint);
  r.values = Constant::ofInts(w.shape, v);
  int64_t outs = w.shape[axis];
  r.scale.assign(outs, NAN);
  int64_t inner = 1;
  for (size_t k = axis + 1; k < w.shape.size(); ++k)
    inner *= w.shape[k];
  for (int64_t k = 0; k < w.numel(); ++k) {
    int64_t o = (k / inner) % outs;
    double s = q.scale[broadcastIndex(k, w.shape, q.scaleShape)];
    if (std::isnan(r.scale[o]))
      r.scale[o] = s;
    else if (r.scale[o] != s)
      im.fail("the weight scale varies within an output channel; only "
              "per-tensor and per-output-channel weight scales are supported");
  }
  return r;
}

/// Reorders the columns [O, K] of a dense weight for an input flattened in
/// NHWC order from `flatFrom` [N, C, H, W].
Constant nhwcColumns(const Constant &ok, llvm::ArrayRef<int64_t> flatFrom) {
  if (flatFrom.empty())
    return ok;
  int64_t o = ok.shape[0], k = ok.shape[1];
  int64_t c = flatFrom[1], h = flatFrom[2], w = flatFrom[3];
  Constant p = ok;
  for (int64_t r = 0; r < o; ++r)
    for (int64_t y = 0; y < h; ++y)
      for (int64_t x = 0; x < w; ++x)
        for (int64_t ch = 0; ch < c; ++ch)
          p.i[r * k + (y * w + x) * c + ch] = ok.i[r * k + ch * h * w + y * w + x];
  return p;
}
} // namespace mlir::bnn::onnx_import

/// A Binary tensor of scale `scale` that is +1 where `positive(x)` is 1:
/// bnn.binarize (x >= 0, -0.0 included) when that is the boundary, else a
/// comparison; thresholds on an accumulator.
Tensor binarizeBy(Importer &im, const Tensor &x,
                  const std::function<int64_t(float)> &positive, float scale) {
  Type i1 = im.builder.getI1Type();
  switch (x.kind) {
  case Tensor::Float:
  case Tensor::LowBit: {
    Value input = im.toFloat(x);
    float bound = levelBoundary(positive, 1);
    if (bound == 0.0f)
      return binaryTensor(x, BinarizeOp::create(im.builder, im.loc,
                                                storedType(im, x, i1), input),
                          scale);
    Value count = countAtLeast(im, input, {{bound}});
    Value b = ThresholdOp::create(im.builder, im.loc, storedType(im, x, i1),
                                  count,
                                  im.intConst({1}, {1}, im.builder.getI32Type()),
                                  im.boolConst({1}, {false}));
    return binaryTensor(x, b, scale);
  }
  case Tensor::Binary:
    if (positive(x.scale) != 1 || positive(-x.scale) != 0)
      im.fail("re-binarizing a binary tensor with this scale is not supported");
    return binaryTensor(x, x.value, scale);
  case Tensor::Acc: {
    auto [t, d] = thresholdOperands(
        im, x.chain, 1, [&](int64_t, double y) { return positive(float(y)); }, 0);
    Value b = ThresholdOp::create(im.builder, im.loc, storedType(im, x, i1),
                                  x.value, t, d);
    return binaryTensor(x, b, scale);
  }
  case Tensor::Const:
    break;
  }
  im.fail("internal: binarizing a constant");
}

std::optional<Tensor>
mlir::bnn::onnx_import::importQuantizedLayer(Importer &im, llvm::StringRef op) {
  const Tensor *input = &im.input(0);
  LayerOperands ops;
  // A Pad of a quantized tensor right before a Conv without padding of its
  // own becomes the operator's padding.
  if (input->unpadded && op == "Conv" &&
      llvm::all_of(im.intsAttr("pads"), [](int64_t p) { return p == 0; }) &&
      im.stringAttr("auto_pad", "NOTSET") != "SAME_UPPER" &&
      im.stringAttr("auto_pad", "NOTSET") != "SAME_LOWER") {
    ops.padding = input->padding;
    ops.padValue = input->padValue;
    input = input->unpadded.get();
  }
  const Tensor &x = *input;
  if (x.kind != Tensor::Binary && x.kind != Tensor::LowBit)
    return std::nullopt;
  ops.x = x;
  ops.w = im.constInput(1, "the weight");
  ops.isConv = op == "Conv";
  if (op == "Gemm") {
    im.allowAttrs({"alpha", "beta", "transA", "transB"});
    if (im.intAttr("transA", 0))
      im.fail("transA is not supported");
    ops.transB = im.intAttr("transB", 0) != 0;
    ops.alpha = im.floatAttr("alpha", 1.0f);
  }
  int64_t outs = ops.w.shape.empty()
                     ? 0
                     : ops.w.shape[ops.isConv || ops.transB ? 0 : 1];
  if (im.hasInput(2)) {
    const Constant &b = im.constInput(2, op == "Gemm" ? "C" : "the bias");
    if (b.numel() != 1 && b.numel() != outs)
      im.fail("the bias must have one value or one per output");
    float beta = op == "Gemm" ? im.floatAttr("beta", 1.0f) : 1.0f;
    for (int64_t k = 0; k < outs; ++k)
      ops.bias.push_back(double(beta) * b.at(b.numel() == 1 ? 0 : k));
  }
  return quantizedLayer(im, ops);
}

std::optional<Tensor>
mlir::bnn::onnx_import::quantizedLayer(Importer &im, const LayerOperands &ops) {
  const Tensor &x = ops.x;
  const Constant &wc = ops.w;
  bool isConv = ops.isConv, transB = ops.transB;
  if (!wc.quant) {
    if (x.kind == Tensor::Binary || x.levels)
      return std::nullopt; // a float layer on the dequantized values
    im.fail("the weight of a layer with a k-bit input must come from a "
            "weight quantizer (Quant or BipolarQuant on an initializer)");
  }
  if (!isConv && wc.shape.size() != 2)
    im.fail("the weight must be 2-D");
  if (!isConv && x.shape.size() != 2)
    im.fail("only 2-D inputs are supported");
  // Output channels along axis 0 for Conv and Gemm with transB, 1 otherwise.
  IntWeights iw = intWeights(im, wc, isConv || transB ? 0 : 1);
  Constant w = iw.values; // [O, C, KH, KW] or [O, K] after this
  if (!isConv && !transB)
    w = transposeConstant(w, {1, 0});
  int64_t o = w.shape[0];

  // Operand encodings.
  bool binaryWeights = wc.quant->bipolar;
  int64_t wOff = 0;
  int64_t wBits = 1;
  int64_t wLo = 0, wHi = 0;
  if (!binaryWeights) {
    wLo = *std::min_element(w.i.begin(), w.i.end());
    wHi = *std::max_element(w.i.begin(), w.i.end());
    wOff = std::min<int64_t>(wLo, 0);
    wBits = bitsFor(std::max<int64_t>(wHi - wOff, 1));
    if (wBits > 8 && wHi - wLo > 255)
      im.fail("weights spanning more than 8 bits are not supported");
  }
  // Binary activations with k-bit weights have no bnn operator: the float
  // layer on the dequantized values computes the same sums (exactly when
  // the scales are powers of two).
  if (x.kind == Tensor::Binary && !binaryWeights)
    return std::nullopt;
  double aScale = x.scale;
  int64_t aOff = x.kind == Tensor::LowBit ? x.offset : 0;
  // Wide operands go to the int8 operators, which take the activations'
  // i8 levels and zero points; narrow ones to the bit-serial operators,
  // whose cost grows with the product of the bit widths.
  int64_t inputZp = 0;
  bool int8 = false;
  if (x.kind == Tensor::LowBit && !binaryWeights && x.levels &&
      cast<RankedTensorType>(x.levels.getType()).getElementType().isInteger(8)) {
    inputZp = -(x.levelsOffset + x.offset);
    int8 = (x.bits * wBits > 16 || !x.value || wBits > 8) && inputZp >= -128 &&
           inputZp <= 127;
  }
  if (!int8 && (!x.value || wBits > 8))
    im.fail("this combination of activation and weight bit widths is not "
            "supported");

  AccChain chain;
  chain.channels = o;
  for (double s : iw.scale)
    chain.scale.push_back(aScale * s * ops.alpha);
  chain.bias.assign(o, 0.0);
  for (size_t k = 0; k < ops.bias.size(); ++k)
    chain.bias[k] = ops.bias[k];
  if (!ops.intBias.empty())
    chain.offset = ops.intBias;

  Type i32 = im.builder.getI32Type();
  auto uint = [&](int64_t bits) {
    return IntegerType::get(im.builder.getContext(), bits, IntegerType::Unsigned);
  };
  if (!isConv && x.shape[1] != w.shape[1])
    im.fail("the weight's rows do not match the input's columns");
  if (isConv && (x.shape.size() != 4 || w.shape.size() != 4))
    im.fail("only 2-D convolutions are supported");
  // The filter in the operators' layout ([O, KH, KW, C/g] or [O, K]).
  Constant f = isConv ? transposeConstant(w, {0, 2, 3, 1})
                      : nhwcColumns(w, x.flatFrom);
  // int8 weights: the integers less a shift that brings them into i8, the
  // shift being the weight zero point's negation.
  int64_t wShift = (wLo >= -128 && wHi <= 127) ? 0 : wLo + 128;
  auto int8Filter = [&] {
    llvm::SmallVector<int64_t> v;
    for (int64_t e : f.i)
      v.push_back(e - wShift);
    return im.intConst(f.shape, v, im.builder.getI8Type());
  };
  Value filter;
  if (int8) {
    // int8Filter() is built where it is used.
  } else if (binaryWeights) {
    llvm::SmallVector<bool> bits;
    for (int64_t v : f.i)
      bits.push_back(v < 0);
    filter = im.boolConst(f.shape, bits);
  } else {
    llvm::SmallVector<int64_t> u;
    for (int64_t v : f.i)
      u.push_back(v - wOff);
    filter = im.intConst(f.shape, u, uint(wBits));
  }

  // Largest |value| of the activations and the accumulator bound.
  int64_t aMax = x.kind == Tensor::Binary
                     ? 1
                     : std::max(std::llabs(aOff),
                                std::llabs((int64_t(1) << x.bits) - 1 + aOff));
  int64_t bound = 0;
  int64_t perOut = f.numel() / o;
  for (int64_t r = 0; r < o; ++r) {
    int64_t s = 0;
    for (int64_t k = 0; k < perOut; ++k)
      s += std::llabs(f.i[r * perOut + k]);
    bound = std::max(bound, s * aMax);
  }
  if (bound >= INT32_MAX / 2)
    im.fail("the layer's accumulator could exceed 32 bits");
  chain.lo = -bound;
  chain.hi = bound;

  Tensor acc;
  acc.kind = Tensor::Acc;
  Value a = x.value;
  if (isConv) {
    if (x.shape.size() != 4 || w.shape.size() != 4)
      im.fail("only 2-D convolutions are supported");
    im.allowAttrs({"auto_pad", "dilations", "group", "kernel_shape", "pads",
                   "strides"});
    int64_t group = im.intAttr("group", 1);
    int64_t c = x.shape[1], kh = w.shape[2], kw = w.shape[3];
    if (group <= 0 || c % group || o % group || w.shape[1] * group != c)
      im.fail("the weight's channels do not match the input and group");
    Window win = convWindow(im, {kh, kw}, true);
    if (!ops.padding.empty())
      win.pad.assign(ops.padding.begin(), ops.padding.end());
    PadValue padValue = ops.padValue > 0   ? PadValue::PlusOne
                        : ops.padValue < 0 ? PadValue::MinusOne
                                           : PadValue::Zero;
    if (padValue != PadValue::Zero && x.kind != Tensor::Binary)
      im.fail("internal: a +-1 padding of a k-bit tensor");
    int64_t oh = windowOutDim(im, x.shape[2], kh, win.pad[0], win.pad[1],
                              win.stride[0], win.dilation[0]);
    int64_t ow = windowOutDim(im, x.shape[3], kw, win.pad[2], win.pad[3],
                              win.stride[1], win.dilation[1]);
    acc.shape = {x.shape[0], o, oh, ow};
    auto accType = im.type(Importer::stored(acc.shape), i32);
    auto attrs = [&](auto &&build) {
      return build(im.builder.getDenseI64ArrayAttr(win.stride),
                   im.builder.getDenseI64ArrayAttr(win.dilation),
                   im.builder.getDenseI64ArrayAttr(win.pad));
    };
    if (int8) {
      acc.value = attrs([&](auto s, auto d, auto p) {
        return Int8Conv2DOp::create(
            im.builder, im.loc, accType, x.levels, int8Filter(), s, d, p,
            group, inputZp, im.builder.getDenseI64ArrayAttr({-wShift}));
      });
    } else if (x.kind == Tensor::Binary) {
      acc.value = attrs([&](auto s, auto d, auto p) {
        return BinaryConv2DOp::create(im.builder, im.loc, accType, a, filter,
                                      s, d, p, group, padValue);
      });
    } else {
      acc.value = attrs([&](auto s, auto d, auto p) {
        return BitserialConv2DOp::create(im.builder, im.loc, accType, a,
                                         filter, s, d, p,
                                         im.builder.getI64IntegerAttr(group));
      });
      // b * sum u: a ones filter with one output per group, each group's
      // sum then repeated for its O / group output channels.
      if (wOff != 0) {
        int64_t cg = c / group, og = o / group, n = x.shape[0];
        llvm::SmallVector<int64_t> ones(group * kh * kw * cg, 1);
        Value onesFilter = im.intConst({group, kh, kw, cg}, ones, uint(1));
        auto sumType = im.type(Importer::stored({n, group, oh, ow}), i32);
        Value sum = attrs([&](auto s, auto d, auto p) {
          return BitserialConv2DOp::create(im.builder, im.loc, sumType, a,
                                           onesFilter, s, d, p,
                                           im.builder.getI64IntegerAttr(group));
        });
        Value shift = im.intConst({1}, {0}, im.builder.getI8Type());
        Value scaled;
        if (group == 1) {
          scaled = tosa::MulOp::create(im.builder, im.loc, sumType, sum,
                                       im.intConst({1, 1, 1, 1}, {wOff}, i32),
                                       shift);
        } else {
          Value five = im.reshape(sum, {n, oh, ow, group, 1});
          llvm::SmallVector<int64_t> rep(og, wOff);
          Value spread = tosa::MulOp::create(
              im.builder, im.loc, im.type({n, oh, ow, group, og}, i32), five,
              im.intConst({1, 1, 1, 1, og}, rep, i32), shift);
          scaled = im.reshape(spread, {n, oh, ow, o});
        }
        acc.value = tosa::AddOp::create(im.builder, im.loc, accType, acc.value,
                                        scaled);
      }
      // a * sum w over the in-bounds taps.
      if (aOff != 0) {
        bool padded = llvm::any_of(win.pad, [](int64_t v) { return v; });
        int64_t h = x.shape[2], wd = x.shape[3], cg = w.shape[1];
        std::vector<int64_t> tapSum(o * kh * kw, 0);
        for (int64_t r = 0; r < o; ++r)
          for (int64_t ky = 0; ky < kh; ++ky)
            for (int64_t kx = 0; kx < kw; ++kx)
              for (int64_t ch = 0; ch < cg; ++ch)
                tapSum[(r * kh + ky) * kw + kx] +=
                    w.i[((r * cg + ch) * kh + ky) * kw + kx];
        if (!padded) {
          chain.offset.assign(o, 0);
          for (int64_t r = 0; r < o; ++r)
            for (int64_t t = 0; t < kh * kw; ++t)
              chain.offset[r] += aOff * tapSum[r * kh * kw + t];
        } else {
          llvm::SmallVector<int64_t> corr(oh * ow * o, 0);
          for (int64_t y = 0; y < oh; ++y)
            for (int64_t xx = 0; xx < ow; ++xx)
              for (int64_t ky = 0; ky < kh; ++ky)
                for (int64_t kx = 0; kx < kw; ++kx) {
                  int64_t iy = y * win.stride[0] + ky * win.dilation[0] - win.pad[0];
                  int64_t ix = xx * win.stride[1] + kx * win.dilation[1] - win.pad[2];
                  if (iy < 0 || iy >= h || ix < 0 || ix >= wd)
                    continue;
                  for (int64_t r = 0; r < o; ++r)
                    corr[(y * ow + xx) * o + r] +=
                        aOff * tapSum[(r * kh + ky) * kw + kx];
                }
          acc.value = tosa::AddOp::create(
              im.builder, im.loc, accType, acc.value,
              im.intConst({1, oh, ow, o}, corr, i32));
        }
      }
    }
  } else {
    int64_t k = w.shape[1];
    if (x.shape[1] != k)
      im.fail("the weight's rows do not match the input's columns");
    acc.shape = {x.shape[0], o};
    auto accType = im.type(acc.shape, i32);
    if (int8) {
      acc.value = Int8DenseOp::create(
          im.builder, im.loc, accType, x.levels, int8Filter(), inputZp,
          im.builder.getDenseI64ArrayAttr({-wShift}));
    } else if (x.kind == Tensor::Binary) {
      acc.value = BinaryDenseOp::create(im.builder, im.loc, accType, a, filter);
    } else {
      acc.value =
          BitserialDenseOp::create(im.builder, im.loc, accType, a, filter);
      if (wOff != 0) {
        llvm::SmallVector<int64_t> ones(k, 1);
        auto sumType = im.type({x.shape[0], 1}, i32);
        Value sum = BitserialDenseOp::create(
            im.builder, im.loc, sumType, a,
            im.intConst({1, k}, ones, uint(1)));
        Value scaled = tosa::MulOp::create(
            im.builder, im.loc, sumType, sum, im.intConst({1, 1}, {wOff}, i32),
            im.intConst({1}, {0}, im.builder.getI8Type()));
        acc.value = tosa::AddOp::create(im.builder, im.loc, accType,
                                        acc.value, scaled);
      }
      if (aOff != 0) {
        chain.offset.assign(o, 0);
        for (int64_t r = 0; r < o; ++r)
          for (int64_t j = 0; j < k; ++j)
            chain.offset[r] += aOff * w.i[r * k + j];
      }
    }
  }
  // The operator's accumulator is the true sum less the offset.
  int64_t widest = 0;
  for (int64_t v : chain.offset)
    widest = std::max<int64_t>(widest, std::llabs(v));
  if (chain.hi + widest >= INT32_MAX / 2)
    im.fail("the layer's accumulator could exceed 32 bits");
  chain.lo -= widest;
  chain.hi += widest;
  acc.chain = std::move(chain);
  return acc;
}

std::optional<Outputs> mlir::bnn::onnx_import::importQuantOp(Importer &im,
                                                             llvm::StringRef op) {
  if (op == "BinaryMaxPool") {
    const Tensor &x = im.input(0);
    llvm::SmallVector<int64_t> kernel = im.intsAttr("kernel_shape");
    if (kernel.size() != 2 || x.shape.size() != 4 || im.intAttr("ceil_mode", 0))
      return std::nullopt;
    Window win = convWindow(im, kernel, false);
    for (int k = 0; k < 4; ++k)
      if (win.pad[k] >= kernel[k / 2])
        return std::nullopt;
    llvm::SmallVector<int64_t> shape = {
        x.shape[0], x.shape[1],
        windowOutDim(im, x.shape[2], kernel[0], win.pad[0], win.pad[1],
                     win.stride[0], 1),
        windowOutDim(im, x.shape[3], kernel[1], win.pad[2], win.pad[3],
                     win.stride[1], 1)};
    Tensor y = x;
    y.shape = shape;
    y.value = BinaryMaxPool2DOp::create(
        im.builder, im.loc, storedType(im, y, im.builder.getI1Type()), x.value,
        im.builder.getDenseI64ArrayAttr(kernel),
        im.builder.getDenseI64ArrayAttr(win.stride),
        im.builder.getDenseI64ArrayAttr(win.pad));
    return Outputs{y};
  }
  if (op == "BipolarQuant") {
    im.allowAttrs({});
    float s = singleScale(im, im.constInput(1, "the scale"), "the scale");
    auto positive = [](float y) { return int64_t(y >= 0.0f ? 1 : 0); };
    return Outputs{binarizeBy(im, im.input(0), positive, s)};
  }
  if (op == "Quant") {
    const Tensor &x = im.input(0);
    QuantParams p = quantParams(im);
    const Constant &scaleC = im.constInput(1, "the scale");
    if (p.bits > 8)
      im.fail("activations of more than 8 bits are not supported");
    if (p.bipolar) {
      float s = singleScale(im, scaleC, "the scale");
      auto positive = [&](float y) { return quantLevel(p, y, s) > 0 ? 1 : 0; };
      return Outputs{binarizeBy(im, x, positive, s)};
    }
    if (p.zeroPoint != std::floor(p.zeroPoint))
      im.fail("the zero point must be an integer");
    if (x.kind == Tensor::Float) {
      float s = singleScale(im, scaleC, "the scale");
      return Outputs{quantizeFloat(im, x, p, s)};
    }
    if (x.kind != Tensor::Acc)
      im.fail("re-quantizing a quantized tensor is not supported");
    float s = singleScale(im, scaleC, "the scale");
    std::vector<double> multipliers;
    for (double c : x.chain.scale)
      multipliers.push_back(c / s);
    Tensor r = quantizeAcc(
        im, x, [&](int64_t, double y) { return quantLevel(p, float(y), s); },
        p.min, p.max, int64_t(p.zeroPoint), multipliers);
    r.scale = s;
    return Outputs{r};
  }
  if (op == "Trunc") {
    // Version 1 (x, scale, zeropt, in_bits, out_bits): y = rint(x / scale +
    // zeropt), level = round(y / 2^(in_bits - out_bits)), value (level -
    // zeropt) * scale, no clamp. Version 2 (x, scale, zeropt, in_bits,
    // out_scale, [out_zeropt,] out_bits): t = 2^round(log2(out_scale /
    // scale)), level = round(clamp(y / t)), value (level - zeropt / t) *
    // out_scale. Both are monotone step functions of x.
    im.allowAttrs({"rounding_mode", "signed", "narrow"});
    const Tensor &x = im.input(0);
    int rest = im.node->input_size() - 4;
    if (rest < 1 || rest > 3)
      im.fail("expected 5, 6 or 7 inputs");
    std::string mode = roundingMode(im, "FLOOR");
    float s = singleScale(im, im.constInput(1, "the scale"), "the scale");
    const Constant &zc = im.constInput(2, "the zero point");
    if (zc.numel() != 1)
      im.fail("a per-channel zero point is not supported");
    float z = float(zc.at(0));
    auto bitsOf = [&](int index, const char *what) {
      const Constant &b = im.constInput(index, what);
      double v = b.numel() == 1 ? b.at(0) : -1;
      if (v != std::floor(v) || v < 1 || v > 32)
        im.fail(llvm::Twine(what) + " must be one integer from 1 to 32");
      return int64_t(v);
    };
    int64_t inBits = bitsOf(3, "the input bit width");
    bool v1 = rest == 1;
    int64_t outBits = bitsOf(im.node->input_size() - 1, "the output bit width");
    float t, outScale = s;
    int64_t lo = INT32_MIN, hi = INT32_MAX;
    if (v1) {
      t = std::ldexp(1.0f, int(inBits - outBits));
    } else {
      outScale = singleScale(im, im.constInput(4, "the output scale"),
                             "the output scale");
      double e = std::nearbyint(std::log2(double(outScale) / s));
      if (!(std::fabs(e) <= 64))
        im.fail("the output scale is not within 2^64 of the scale");
      t = std::ldexp(1.0f, int(e));
      bool isSigned = im.intAttr("signed", 1) != 0;
      bool narrow = im.intAttr("narrow", 0) != 0;
      lo = isSigned ? -(int64_t(1) << (outBits - 1)) + narrow : 0;
      hi = isSigned ? (int64_t(1) << (outBits - 1)) - 1
                    : (int64_t(1) << outBits) - 1 - narrow;
    }
    auto level = [=](float v) {
      float y = std::nearbyint(v / s + z) / t;
      y = std::min(std::max(y, float(lo)), float(hi));
      float r = roundByMode(mode, y);
      return r != r ? lo : int64_t(r);
    };
    float off = v1 ? -z : -z / t;
    if (off != std::floor(off) || std::fabs(off) > float(1 << 24))
      im.fail("the zero point must make an integer offset of the output levels");
    int64_t min, max;
    if (x.kind == Tensor::Acc) {
      // The levels the accumulator's range reaches.
      int64_t a = level(float(x.chain.eval(0, x.chain.lo)));
      int64_t b = level(float(x.chain.eval(0, x.chain.hi)));
      min = std::min(a, b);
      max = std::max(a, b);
      for (int64_t c = 1; c < x.chain.channels; ++c)
        for (int64_t acc : {x.chain.lo, x.chain.hi}) {
          int64_t l = level(float(x.chain.eval(c, acc)));
          min = std::min(min, l);
          max = std::max(max, l);
        }
      if (max - min > 255)
        im.fail("the truncated values span more than 8 bits");
      Tensor r = quantizeAcc(
          im, x, [&](int64_t, double y) { return level(float(y)); }, min,
          max, -int64_t(off), {});
      r.scale = outScale;
      return Outputs{r};
    }
    if (x.kind != Tensor::Float && !(x.kind == Tensor::LowBit && x.levels))
      im.fail("Trunc of this tensor is not supported");
    if (v1)
      im.fail("Trunc version 1 (no output range) of a float tensor is not "
              "supported");
    min = lo;
    max = hi;
    if (max - min > 255)
      im.fail("the truncated values span more than 8 bits");
    std::vector<float> bounds;
    for (int64_t j = min + 1; j <= max; ++j)
      bounds.push_back(levelBoundary(level, j));
    int64_t bits = bitsFor(std::max<int64_t>(max - min, 1));
    Value count = countAtLeast(im, im.toFloat(x), {bounds});
    Tensor r = lowBitTensor(x, countToLowBit(im, x, count, max - min, bits),
                            bits, min + int64_t(off), outScale);
    r.levels = count;
    return Outputs{r};
  }
  if (op == "MultiThreshold") {
    im.allowAttrs({"out_scale", "out_bias", "out_dtype", "data_layout"});
    const Tensor &x = im.input(0);
    const Constant &thr = im.constInput(1, "the thresholds");
    std::string layout = im.stringAttr("data_layout", "NCHW");
    if (layout != "NCHW" && layout != "NC")
      im.fail("data_layout '" + layout + "' is not supported (NCHW is)");
    float outScale = im.floatAttr("out_scale", 1.0f);
    float outBias = im.floatAttr("out_bias", 0.0f);
    int64_t channels = x.shape.size() >= 2 ? x.shape[1] : 1;
    if (thr.shape.size() != 2 ||
        (thr.shape[0] != 1 && thr.shape[0] != channels))
      im.fail("the thresholds must be [channels, steps] or [1, steps]");
    int64_t steps = thr.shape[1];
    if (steps < 1 || steps > 255)
      im.fail("between 1 and 255 thresholds per channel are supported");
    auto level = [&](int64_t c, double y) {
      int64_t row = thr.shape[0] == 1 ? 0 : c, n = 0;
      for (int64_t j = 0; j < steps; ++j)
        n += float(y) >= float(thr.at(row * steps + j));
      return n;
    };
    if (!(outScale > 0))
      im.fail("out_scale must be positive");
    bool binary = steps == 1 && outBias == -outScale / 2;
    if (x.kind == Tensor::Float || x.kind == Tensor::Binary) {
      // Float thresholds: compare and count in tosa (exact).
      std::vector<std::vector<float>> bounds(thr.shape[0]);
      for (int64_t c = 0; c < thr.shape[0]; ++c)
        for (int64_t j = 0; j < steps; ++j)
          bounds[c].push_back(float(thr.at(c * steps + j)));
      Tensor f = x;
      f.kind = Tensor::Float;
      f.value = im.toFloat(x);
      Value count = countAtLeast(im, f.value, bounds);
      float off = outBias / outScale;
      if (off != std::floor(off) || std::fabs(off) > float(1 << 24))
        im.fail("out_bias must be an integer multiple of out_scale");
      int64_t bits = bitsFor(steps);
      Tensor t = lowBitTensor(x, countToLowBit(im, x, count, steps, bits),
                              bits, int64_t(off), outScale);
      t.levels = count;
      return Outputs{t};
    }
    if (x.kind != Tensor::Acc)
      im.fail("MultiThreshold of a k-bit tensor is not supported");
    auto [t, d] = thresholdOperands(im, x.chain, steps, level, 0, !binary);
    if (binary) {
      Value b = ThresholdOp::create(
          im.builder, im.loc, storedType(im, x, im.builder.getI1Type()),
          x.value, t, d);
      return Outputs{binaryTensor(x, b, outScale / 2)};
    }
    float off = outBias / outScale;
    if (off != std::floor(off) || std::fabs(off) > float(1 << 24))
      im.fail("out_bias must be an integer multiple of out_scale");
    int64_t bits = bitsFor(steps);
    Value q = multiThreshold(im, x, t, d, bits);
    Tensor r = lowBitTensor(x, q, bits, int64_t(off), outScale);
    r.levels = countThresholds(im, x.value, t, d);
    return Outputs{r};
  }
  return std::nullopt;
}
