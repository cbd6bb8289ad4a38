//===- QDQOps.cpp - the int8 forms of standard ONNX -----------------------===//
//
// QuantizeLinear makes an integer LowBit tensor (its ONNX value is the
// int8 / uint8 integer); DequantizeLinear relabels it with a scale and zero
// point, so that a QuantizeLinear / DequantizeLinear pair around a Conv or
// MatMul with dequantized int8 weights becomes bnn.int8_conv2d /
// bnn.int8_dense (or the bit-serial operators for narrower ranges), and the
// next QuantizeLinear a bnn.requantize where that is exact. QLinearConv,
// QLinearMatMul, ConvInteger and MatMulInteger are the same layers written
// with integer operands. Constant operands fold in Fold.cpp.
//
//===----------------------------------------------------------------------===//

#include "Quantize.h"

#include <cmath>

using namespace mlir;
using namespace mlir::bnn::onnx_import;

namespace {
/// The range of an integer zero point's type (uint8 when absent).
struct IntRange {
  int64_t min, max, zeroPoint;
};

IntRange zeroPointOf(Importer &im, int index, const char *what) {
  if (!im.hasInput(index))
    return {0, 255, 0};
  const Constant &zp = im.constInput(index, what);
  for (int64_t k = 1; k < zp.numel(); ++k)
    if (zp.at(k) != zp.at(0))
      im.fail(llvm::Twine(what) + " varies by channel; only a per-tensor "
              "zero point is supported here");
  if (zp.numel() < 1 || zp.isFloat)
    im.fail(llvm::Twine(what) + " must be one integer");
  if (zp.onnxType == onnx::TensorProto::INT8)
    return {-128, 127, zp.i[0]};
  if (zp.onnxType == onnx::TensorProto::UINT8)
    return {0, 255, zp.i[0]};
  im.fail(llvm::Twine(what) + " must be int8 or uint8");
}

/// An integer tensor read as real values (q - zeroPoint) * scale.
Tensor dequantized(Importer &im, const Tensor &q, float scale,
                   int64_t zeroPoint) {
  if (q.kind != Tensor::LowBit || !q.integer)
    im.fail("the input must be the integer output of QuantizeLinear");
  Tensor t = q;
  t.integer = false;
  t.offset = q.qOffset - zeroPoint;
  t.scale = scale;
  return t;
}

/// Integer weights with their scale and zero point as QuantLevels.
Constant weightLevels(Importer &im, int wIndex, int scaleIndex, int zpIndex,
                      int64_t axis) {
  Constant w = im.constInput(wIndex, "the weight");
  if (w.isFloat)
    im.fail("the weight must be integers");
  IntRange r = zeroPointOf(im, zpIndex, "the weight zero point");
  QuantLevels q;
  q.levels = w.i;
  q.zeroPoint = r.zeroPoint;
  q.min = r.min;
  q.max = r.max;
  if (scaleIndex < 0) {
    q.scale = {1.0f};
  } else {
    const Constant &s = im.constInput(scaleIndex, "the weight scale");
    for (int64_t k = 0; k < s.numel(); ++k)
      q.scale.push_back(float(s.at(k)));
    if (s.numel() > 1) {
      q.scaleShape.assign(w.shape.size(), 1);
      q.scaleShape[axis] = s.numel();
    }
  }
  w.quant = std::move(q);
  return w;
}

Tensor requireLayer(Importer &im, std::optional<Tensor> t) {
  if (!t)
    im.fail("the layer's operands are not supported");
  return *t;
}

/// QLinearConv / QLinearMatMul output: saturate(rint(acc * M) + y_zp) with
/// M = f32(x_scale * w_scale) / y_scale in f32, as ONNX specifies.
Tensor requantized(Importer &im, Tensor acc, float xScale,
                   const std::vector<float> &wScale, int ysIndex, int yzpIndex) {
  float ys = singleScale(im, im.constInput(ysIndex, "y_scale"), "y_scale");
  IntRange y = zeroPointOf(im, yzpIndex, "y_zero_point");
  std::vector<double> m;
  for (int64_t c = 0; c < acc.chain.channels; ++c) {
    float ws = wScale[wScale.size() == 1 ? 0 : c];
    m.push_back(double(float(xScale * ws) / ys));
  }
  acc.chain.scale = m;
  acc.chain.bias = {0.0};
  acc.chain.roundBase = false;
  Tensor q = quantizeAcc(
      im, acc,
      [&](int64_t, double v) {
        return clampRounded(std::nearbyint(v) + double(y.zeroPoint), y.min,
                            y.max);
      },
      y.min, y.max, y.zeroPoint, m);
  q.scale = ys;
  q.integer = true;
  q.qOffset = y.min;
  return q;
}
} // namespace

std::optional<Outputs> mlir::bnn::onnx_import::importQDQOp(Importer &im,
                                                           llvm::StringRef op) {
  if (op == "QuantizeLinear") {
    im.allowAttrs({"axis", "saturate"});
    const Tensor &x = im.input(0);
    float s = singleScale(im, im.constInput(1, "y_scale"), "y_scale");
    IntRange r = zeroPointOf(im, 2, "y_zero_point");
    QuantParams p{8, r.min, r.max, float(r.zeroPoint), "ROUND"};
    p.zeroPointAfterRounding = true;
    Tensor q;
    if (x.kind == Tensor::Float) {
      q = quantizeFloat(im, x, p, s);
    } else if (x.kind == Tensor::Acc) {
      std::vector<double> m;
      for (double c : x.chain.scale)
        m.push_back(c / s);
      q = quantizeAcc(
          im, x, [&](int64_t, double v) { return quantLevel(p, float(v), s); },
          r.min, r.max, r.zeroPoint, m);
    } else {
      im.fail("quantizing an already quantized tensor is not supported");
    }
    q.scale = s;
    q.integer = true;
    q.qOffset = r.min;
    return Outputs{q};
  }
  if (op == "DequantizeLinear") {
    im.allowAttrs({"axis"});
    float s = singleScale(im, im.constInput(1, "x_scale"), "x_scale");
    IntRange r = zeroPointOf(im, 2, "x_zero_point");
    return Outputs{dequantized(im, im.input(0), s, r.zeroPoint)};
  }
  bool isConv = op == "QLinearConv" || op == "ConvInteger";
  if (op == "QLinearConv" || op == "QLinearMatMul") {
    float xs = singleScale(im, im.constInput(1, "x_scale"), "x_scale");
    IntRange xr = zeroPointOf(im, 2, "x_zero_point");
    LayerOperands ops;
    ops.isConv = isConv;
    ops.x = dequantized(im, im.input(0), 1.0f, xr.zeroPoint);
    ops.w = weightLevels(im, 3, 4, 5, isConv ? 0 : 1);
    std::vector<float> ws = ops.w.quant->scale;
    ops.w.quant->scale = {1.0f};
    ops.w.quant->scaleShape.clear();
    if (isConv && im.hasInput(8)) {
      const Constant &b = im.constInput(8, "the bias");
      if (b.isFloat)
        im.fail("the bias must be int32");
      ops.intBias = b.i;
    }
    Tensor acc = requireLayer(im, quantizedLayer(im, ops));
    return Outputs{requantized(im, acc, xs, ws, 6, 7)};
  }
  if (op == "ConvInteger" || op == "MatMulInteger") {
    IntRange xr = zeroPointOf(im, 2, "the input zero point");
    LayerOperands ops;
    ops.isConv = isConv;
    ops.x = dequantized(im, im.input(0), 1.0f, xr.zeroPoint);
    ops.w = weightLevels(im, 1, -1, 3, isConv ? 0 : 1);
    // The int32 result is the accumulator itself (a float consumer casts
    // it: Cast of an accumulator is the identity).
    return Outputs{requireLayer(im, quantizedLayer(im, ops))};
  }
  return std::nullopt;
}
