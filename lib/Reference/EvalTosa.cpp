//===- EvalTosa.cpp - reference evaluation of TOSA operators --------------===//
//
// TOSA 1.0 operators on f32 (and on integers where the semantics are plain
// wrapping arithmetic). Summation orders follow the TOSA-to-linalg lowering
// so that results match compiled code bit for bit:
//   conv2d            acc = bias; acc += x * w over (ky, kx, ic)
//   depthwise_conv2d  acc = 0; acc += x * w over (ky, kx); acc + bias
//   avg_pool2d        sum of the in-bounds taps over (ky, kx) / their count
//   matmul, reduce    from 0 in ascending index order
// Padded convolution taps read 0.0 and are still multiplied and added.
//
//===----------------------------------------------------------------------===//

#include "GlueSupport.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "llvm/ADT/TypeSwitch.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::bnn;
using namespace mlir::bnn::ref;
using namespace mlir::bnn::ref::glue;

namespace {
constexpr float kLowestFloat = -std::numeric_limits<float>::max();

bool ignoresNaN(tosa::NanPropagationMode mode) {
  return mode == tosa::NanPropagationMode::IGNORE;
}

/// maximum in the given NaN mode: IGNORE returns the non-NaN operand.
float maximumIn(tosa::NanPropagationMode mode, float a, float b) {
  if (ignoresNaN(mode) && std::isnan(a))
    return b;
  if (ignoresNaN(mode) && std::isnan(b))
    return a;
  return maximumF(a, b);
}

float minimumIn(tosa::NanPropagationMode mode, float a, float b) {
  if (ignoresNaN(mode) && std::isnan(a))
    return b;
  if (ignoresNaN(mode) && std::isnan(b))
    return a;
  return minimumF(a, b);
}

/// Row-major offset of (n, y, x, c) in an NHWC tensor.
int64_t nhwc(const Tensor &t, int64_t n, int64_t y, int64_t x, int64_t c) {
  return ((n * t.dim(1) + y) * t.dim(2) + x) * t.dim(3) + c;
}

/// Input element at (n, y, x, c), or `padValue` outside the image.
float readPadded(const Tensor &t, int64_t n, int64_t y, int64_t x, int64_t c,
                 float padValue) {
  bool inside = y >= 0 && y < t.dim(1) && x >= 0 && x < t.dim(2);
  return inside ? t.floats()[nhwc(t, n, y, x, c)] : padValue;
}

LogicalResult requireFloatConv(Operation *op, Operands in, const Tensor &y) {
  if (!in[0]->isFloat() || !in[1]->isFloat() || !in[2]->isFloat() ||
      !y.isFloat())
    return notSupported(op, op->getName().getStringRef() + " on " +
                                in[0]->typeString());
  StringRef name = op->getName().getStringRef();
  if (failed(requireZero(op, *in[3], name + " with non-zero zero point")) ||
      failed(requireZero(op, *in[4], name + " with non-zero zero point")))
    return failure();
  if (failed(requireRank(op, *in[0], 4, "the input")) ||
      failed(requireRank(op, *in[1], 4, "the weight")) ||
      failed(requireRank(op, y, 4, "the result")))
    return failure();
  return success();
}

/// A per-channel bias has one element or one per output channel.
LogicalResult checkBias(Operation *op, const Tensor &bias, int64_t channels) {
  if (bias.numElements() == 1 || bias.numElements() == channels)
    return success();
  return cannotEvaluate(op, "bias " + bias.typeString() + " for " +
                                Twine(channels) + " output channels");
}

FailureOr<bool> evalConv2D(tosa::Conv2DOp op, Operands in, Results &out) {
  Tensor y = zerosOf(op.getOutput());
  if (failed(requireFloatConv(op, in, y)))
    return failure();
  const Tensor &x = *in[0], &w = *in[1], &bias = *in[2];
  ArrayRef<int64_t> pad = op.getPad(), stride = op.getStride(),
                    dilation = op.getDilation();
  if (failed(checkWindow(op, pad, 4, stride, dilation)) ||
      failed(checkBias(op, bias, y.dim(3))))
    return failure();
  // [N, H, W, C] x [O, KH, KW, C] -> [N, OH, OW, O]; taps outside the
  // input read the padding, so only the channel counts must agree.
  if (y.dim(0) != x.dim(0) || w.dim(0) != y.dim(3) || w.dim(3) != x.dim(3))
    return cannotEvaluate(op, "input " + x.typeString() + ", weight " +
                                  w.typeString() + " and result " +
                                  y.typeString() + " do not agree");
  for (int64_t n = 0; n < y.dim(0); ++n)
    for (int64_t oy = 0; oy < y.dim(1); ++oy)
      for (int64_t ox = 0; ox < y.dim(2); ++ox)
        for (int64_t oc = 0; oc < y.dim(3); ++oc) {
          float acc = bias.floats()[bias.numElements() == 1 ? 0 : oc];
          for (int64_t ky = 0; ky < w.dim(1); ++ky)
            for (int64_t kx = 0; kx < w.dim(2); ++kx)
              for (int64_t ic = 0; ic < w.dim(3); ++ic) {
                int64_t iy = oy * stride[0] - pad[0] + ky * dilation[0];
                int64_t ix = ox * stride[1] - pad[2] + kx * dilation[1];
                float v = readPadded(x, n, iy, ix, ic, 0.0f);
                acc = mulAdd(acc, v, w.floats()[nhwc(w, oc, ky, kx, ic)]);
              }
          y.floats()[nhwc(y, n, oy, ox, oc)] = acc;
        }
  out.push_back(std::move(y));
  return true;
}

FailureOr<bool> evalDepthwiseConv2D(tosa::DepthwiseConv2DOp op, Operands in,
                                    Results &out) {
  Tensor y = zerosOf(op.getOutput());
  if (failed(requireFloatConv(op, in, y)))
    return failure();
  const Tensor &x = *in[0], &w = *in[1], &bias = *in[2]; // w: [KH, KW, C, M]
  ArrayRef<int64_t> pad = op.getPad(), stride = op.getStride(),
                    dilation = op.getDilation();
  const int64_t channels = w.dim(2), multiplier = w.dim(3);
  if (failed(checkWindow(op, pad, 4, stride, dilation)) ||
      failed(checkBias(op, bias, y.dim(3))))
    return failure();
  if (y.dim(0) != x.dim(0) || channels != x.dim(3) ||
      channels * multiplier != y.dim(3))
    return cannotEvaluate(op, "input " + x.typeString() + ", weight " +
                                  w.typeString() + " and result " +
                                  y.typeString() + " do not agree");
  for (int64_t n = 0; n < y.dim(0); ++n)
    for (int64_t oy = 0; oy < y.dim(1); ++oy)
      for (int64_t ox = 0; ox < y.dim(2); ++ox)
        for (int64_t c = 0; c < channels; ++c)
          for (int64_t m = 0; m < multiplier; ++m) {
            float acc = 0.0f;
            for (int64_t ky = 0; ky < w.dim(0); ++ky)
              for (int64_t kx = 0; kx < w.dim(1); ++kx) {
                int64_t iy = oy * stride[0] - pad[0] + ky * dilation[0];
                int64_t ix = ox * stride[1] - pad[2] + kx * dilation[1];
                float v = readPadded(x, n, iy, ix, c, 0.0f);
                acc = mulAdd(acc, v, w.floats()[nhwc(w, ky, kx, c, m)]);
              }
            int64_t oc = c * multiplier + m;
            y.floats()[nhwc(y, n, oy, ox, oc)] =
                acc + bias.floats()[bias.numElements() == 1 ? 0 : oc];
          }
  out.push_back(std::move(y));
  return true;
}

/// Shared loop of the two poolings: reduce(acc, value) over the in-bounds
/// taps of each window, then finish(acc, tapCount).
FailureOr<bool> pool2D(Operation *op, const Tensor &x, ArrayRef<int64_t> kernel,
                       ArrayRef<int64_t> stride, ArrayRef<int64_t> pad,
                       float init, FloatFn2 reduce,
                       llvm::function_ref<float(float, int64_t)> finish,
                       Results &out) {
  Tensor y = zerosOf(op->getResult(0));
  if (!x.isFloat() || !y.isFloat())
    return notSupported(op,
                        op->getName().getStringRef() + " on " + x.typeString());
  if (failed(requireRank(op, x, 4, "the input")) ||
      failed(requireRank(op, y, 4, "the result")))
    return failure();
  int64_t one[] = {1, 1};
  if (failed(checkWindow(op, pad, 4, stride, one)))
    return failure();
  if (kernel.size() != 2 || kernel[0] < 1 || kernel[1] < 1 ||
      kernel[0] > kMaxElements || kernel[1] > kMaxElements)
    return cannotEvaluate(op, "expected 2 kernel sizes in [1, 2^28]");
  if (y.dim(0) != x.dim(0) || y.dim(3) != x.dim(3))
    return cannotEvaluate(op, "input " + x.typeString() + " and result " +
                                  y.typeString() + " do not agree");
  for (int64_t n = 0; n < y.dim(0); ++n)
    for (int64_t oy = 0; oy < y.dim(1); ++oy)
      for (int64_t ox = 0; ox < y.dim(2); ++ox)
        for (int64_t c = 0; c < y.dim(3); ++c) {
          float acc = init;
          int64_t count = 0;
          for (int64_t ky = 0; ky < kernel[0]; ++ky)
            for (int64_t kx = 0; kx < kernel[1]; ++kx) {
              int64_t iy = oy * stride[0] - pad[0] + ky;
              int64_t ix = ox * stride[1] - pad[2] + kx;
              if (iy < 0 || iy >= x.dim(1) || ix < 0 || ix >= x.dim(2))
                continue;
              acc = reduce(acc, x.floats()[nhwc(x, n, iy, ix, c)]);
              ++count;
            }
          y.floats()[nhwc(y, n, oy, ox, c)] = finish(acc, count);
        }
  out.push_back(std::move(y));
  return true;
}

FailureOr<bool> evalAvgPool2D(tosa::AvgPool2dOp op, Operands in, Results &out) {
  if (failed(requireZero(op, *in[1],
                         "tosa.avg_pool2d with non-zero zero point")) ||
      failed(
          requireZero(op, *in[2], "tosa.avg_pool2d with non-zero zero point")))
    return failure();
  return pool2D(
      op, *in[0], op.getKernel(), op.getStride(), op.getPad(), 0.0f,
      [](float acc, float v) { return acc + v; },
      [](float sum, int64_t count) { return sum / static_cast<float>(count); },
      out);
}

FailureOr<bool> evalMaxPool2D(tosa::MaxPool2dOp op, Operands in, Results &out) {
  tosa::NanPropagationMode mode = op.getNanMode();
  // The lowering starts from the lowest finite float, not -inf.
  return pool2D(
      op, *in[0], op.getKernel(), op.getStride(), op.getPad(), kLowestFloat,
      [&](float acc, float v) { return maximumIn(mode, acc, v); },
      [](float acc, int64_t) { return acc; }, out);
}

FailureOr<bool> evalMatMul(tosa::MatMulOp op, Operands in, Results &out) {
  const Tensor &a = *in[0], &b = *in[1]; // [N, H, C] x [N, C, W]
  if (!a.isFloat() || !b.isFloat())
    return notSupported(op, "tosa.matmul on " + a.typeString());
  if (failed(requireZero(op, *in[2], "tosa.matmul with non-zero zero point")) ||
      failed(requireZero(op, *in[3], "tosa.matmul with non-zero zero point")))
    return failure();
  Tensor y = zerosOf(op.getOutput());
  if (failed(requireRank(op, a, 3, "operand A")) ||
      failed(requireRank(op, b, 3, "operand B")) ||
      failed(requireRank(op, y, 3, "the result")))
    return failure();
  if (a.dim(0) != b.dim(0))
    return notSupported(op, "tosa.matmul with a broadcast batch dimension");
  const int64_t batch = a.dim(0), h = a.dim(1), c = a.dim(2), w = b.dim(2);
  if (!y.isFloat() || b.dim(1) != c || y.dim(0) != batch || y.dim(1) != h ||
      y.dim(2) != w)
    return cannotEvaluate(op, a.typeString() + " x " + b.typeString() +
                                  " does not give " + y.typeString());
  for (int64_t n = 0; n < batch; ++n)
    for (int64_t i = 0; i < h; ++i)
      for (int64_t j = 0; j < w; ++j) {
        float acc = 0.0f;
        for (int64_t k = 0; k < c; ++k)
          acc = mulAdd(acc, a.floats()[(n * h + i) * c + k],
                       b.floats()[(n * c + k) * w + j]);
        y.floats()[(n * h + i) * w + j] = acc;
      }
  out.push_back(std::move(y));
  return true;
}

/// Reduces `axis` of in[0] into a result that keeps it with size 1.
FailureOr<bool> reduceAxis(Operation *op, const Tensor &x, int64_t axis,
                           float floatInit, FloatFn2 f, int64_t intInit,
                           IntFn2 i, Results &out) {
  Tensor y = zerosOf(op->getResult(0));
  if (axis < 0 || axis >= x.rank())
    return cannotEvaluate(op, "axis " + Twine(axis) + " of " + x.typeString());
  Shape reduced = x.shape();
  reduced[axis] = 1;
  if (y.shape() != reduced || x.isFloat() != y.isFloat())
    return cannotEvaluate(op, "reducing " + x.typeString() + " along axis " +
                                  Twine(axis) + " does not give " +
                                  y.typeString());
  int64_t outer = 1, inner = 1, size = x.dim(axis);
  for (int64_t d = 0; d < axis; ++d)
    outer *= x.dim(d);
  for (int64_t d = axis + 1; d < x.rank(); ++d)
    inner *= x.dim(d);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t j = 0; j < inner; ++j) {
      float facc = floatInit;
      int64_t iacc = intInit;
      for (int64_t k = 0; k < size; ++k) {
        int64_t at = (o * size + k) * inner + j;
        if (x.isFloat())
          facc = f(facc, x.floats()[at]);
        else
          iacc = wrapInt(i(iacc, x.ints()[at]), y.type());
      }
      if (x.isFloat())
        y.floats()[o * inner + j] = facc;
      else
        y.ints()[o * inner + j] = iacc;
    }
  out.push_back(std::move(y));
  return true;
}

/// f32 -> integer: round half to even, then saturate. NaN gives what the
/// lowered code gives: 0 below 32 bits, the maximum from 32 bits on.
int64_t floatToInt(float v, const ElementType &type) {
  if (type.bitWidth == 1)
    return v != 0.0f ? 1 : 0; // NaN != 0
  double lo = double(type.minValue()), hi = double(type.maxValue());
  if (std::isnan(v))
    return type.bitWidth >= 32 ? type.maxValue() : 0;
  double r = std::nearbyint(double(v)); // exact; the default mode is to-even
  if (r <= lo)
    return type.minValue();
  if (r >= hi)
    return type.maxValue();
  return static_cast<int64_t>(r);
}

FailureOr<bool> evalCast(tosa::CastOp op, Operands in, Results &out) {
  const Tensor &x = *in[0];
  Tensor y = zerosOf(op.getOutput());
  if (failed(requireSameCount(op, x, y)))
    return failure();
  const ElementType &to = y.type();
  for (int64_t k = 0, e = x.numElements(); k < e; ++k) {
    if (x.isFloat() && y.isFloat())
      y.floats()[k] = x.floats()[k];
    else if (x.isFloat())
      y.ints()[k] = floatToInt(x.floats()[k], to);
    else if (y.isFloat()) // i1 is a boolean here: true -> 1.0
      y.floats()[k] = static_cast<float>(x.ints()[k]);
    else if (to.bitWidth == 1)
      y.ints()[k] = x.ints()[k] != 0 ? 1 : 0;
    else // i1 zero-extends; wider sources sign-extend or truncate
      y.ints()[k] = wrapInt(x.ints()[k], to);
  }
  out.push_back(std::move(y));
  return true;
}

FailureOr<bool> evalClamp(tosa::ClampOp op, Operands in, Results &out) {
  Attribute lo = op.getMinVal(), hi = op.getMaxVal();
  if (isa<FloatAttr>(lo) != isa<FloatAttr>(hi) ||
      (!isa<FloatAttr>(lo) && (!isa<IntegerAttr>(lo) || !isa<IntegerAttr>(hi))))
    return cannotEvaluate(op, "min_val and max_val must both be floats or "
                              "both integers");
  if (auto flo = dyn_cast<FloatAttr>(lo)) {
    float l = flo.getValue().convertToFloat(),
          h = cast<FloatAttr>(hi).getValue().convertToFloat();
    bool ignore = ignoresNaN(op.getNanMode());
    return unaryElementwise(op, in, out, [&](float v) {
      if (std::isnan(v) && ignore)
        return l;
      return maximumF(minimumF(v, h), l);
    });
  }
  int64_t l = cast<IntegerAttr>(lo).getValue().getSExtValue(),
          h = cast<IntegerAttr>(hi).getValue().getSExtValue();
  return unaryElementwise(op, in, out, nullptr,
                          [&](int64_t v) { return std::clamp(v, l, h); });
}

FailureOr<bool> evalTranspose(tosa::TransposeOp op, Operands in, Results &out) {
  const Tensor &x = *in[0];
  ArrayRef<int32_t> perms = op.getPerms();
  Tensor y = zerosOf(op.getOutput());
  bool valid =
      static_cast<int64_t>(perms.size()) == x.rank() && y.rank() == x.rank();
  SmallVector<bool> used(x.rank(), false);
  for (size_t d = 0; valid && d < perms.size(); ++d) {
    valid = perms[d] >= 0 && perms[d] < x.rank() && !used[perms[d]] &&
            y.dim(d) == x.dim(perms[d]);
    if (valid)
      used[perms[d]] = true;
  }
  if (!valid)
    return cannotEvaluate(op, "perms do not permute " + x.typeString() +
                                  " into " + y.typeString());
  int64_t k = 0;
  forEachIndex(y.shape(), [&](const Shape &index) {
    Shape source(x.rank());
    for (size_t d = 0; d < perms.size(); ++d)
      source[perms[d]] = index[d];
    copyElement(x, x.offset(source), y, k++);
  });
  out.push_back(std::move(y));
  return true;
}

FailureOr<bool> evalSlice(tosa::SliceOp op, Operands in, Results &out) {
  const Tensor &x = *in[0];
  const std::vector<int64_t> &start = in[1]->ints();
  const std::vector<int64_t> &size = in[2]->ints();
  Tensor y = zerosOf(op.getOutput());
  if (static_cast<int64_t>(start.size()) != x.rank() ||
      static_cast<int64_t>(size.size()) != x.rank() || y.rank() != x.rank())
    return cannotEvaluate(op, "start and size must have one entry per "
                              "dimension of " +
                                  x.typeString());
  for (int64_t d = 0; d < x.rank(); ++d) {
    // The result type gives the size (-1: up to the end); a size operand
    // that disagrees is as wrong as a window that leaves the input.
    if (size[d] != y.dim(d) && size[d] != -1)
      return cannotEvaluate(op, "size " + Twine(size[d]) + " in dimension " +
                                    Twine(d) + " does not match the result " +
                                    y.typeString());
    if (start[d] < 0 || start[d] > x.dim(d) - y.dim(d) ||
        (size[d] == -1 && start[d] + y.dim(d) != x.dim(d)))
      return cannotEvaluate(op, "start " + Twine(start[d]) + " and size " +
                                    Twine(y.dim(d)) + " in dimension " +
                                    Twine(d) + " leave " + x.typeString());
  }
  int64_t k = 0;
  forEachIndex(y.shape(), [&](const Shape &index) {
    Shape source(index);
    for (size_t d = 0; d < source.size(); ++d)
      source[d] += start[d];
    copyElement(x, x.offset(source), y, k++);
  });
  out.push_back(std::move(y));
  return true;
}

FailureOr<bool> evalPad(tosa::PadOp op, Operands in, Results &out) {
  const Tensor &x = *in[0], &padding = *in[1], &value = *in[2];
  Tensor y = zerosOf(op.getOutput());
  if (value.numElements() != 1 || value.type() != y.type() ||
      x.type() != y.type())
    return cannotEvaluate(op, "pad value " + value.typeString() + " for " +
                                  y.typeString());
  if (padding.numElements() != 2 * x.rank() || y.rank() != x.rank())
    return cannotEvaluate(op, "padding " + padding.typeString() + " for " +
                                  x.typeString());
  Shape low(x.rank());
  for (int64_t d = 0; d < x.rank(); ++d) {
    // [lo0, hi0, lo1, hi1, ...]
    int64_t lo = padding.ints()[2 * d], hi = padding.ints()[2 * d + 1];
    if (lo < 0 || hi < 0 || lo > kMaxElements || hi > kMaxElements ||
        x.dim(d) + lo + hi != y.dim(d))
      return cannotEvaluate(op, "padding " + Twine(lo) + ", " + Twine(hi) +
                                    " of dimension " + Twine(d) + " of " +
                                    x.typeString() + " does not give " +
                                    y.typeString());
    low[d] = lo;
  }
  fillWith(y, value);
  insertAt(x, low, y);
  out.push_back(std::move(y));
  return true;
}

FailureOr<bool> evalMul(tosa::MulOp op, Operands in, Results &out) {
  const Tensor &shiftTensor = *in[2];
  if (in[0]->isFloat()) {
    if (failed(requireZero(op, shiftTensor, "tosa.mul with non-zero shift")))
      return failure();
    return binaryElementwise(op, in, out,
                             [](float a, float b) { return a * b; });
  }
  if (shiftTensor.numElements() != 1 || shiftTensor.isFloat())
    return cannotEvaluate(op, "shift " + shiftTensor.typeString());
  int64_t shift = shiftTensor.ints()[0];
  if (shift < 0 || shift > 63)
    return notSupported(op, "tosa.mul with shift " + Twine(shift));
  // TOSA: the 64-bit product, rounded to nearest (half up) when shifting.
  return binaryElementwise(op, in, out, nullptr, [&](int64_t a, int64_t b) {
    int64_t product = mulWrap(a, b);
    if (shift > 0)
      product = addWrap(product, int64_t(1) << (shift - 1)) >> shift;
    return product;
  });
}

FailureOr<bool> evalNegate(tosa::NegateOp op, Operands in, Results &out) {
  if (failed(requireZero(op, *in[1], "tosa.negate with non-zero zero point")) ||
      failed(requireZero(op, *in[2], "tosa.negate with non-zero zero point")))
    return failure();
  return unaryElementwise(
      op, in, out, [](float v) { return -v; },
      [](int64_t v) { return subWrap(0, v); });
}

FailureOr<bool> evalConstShape(tosa::ConstShapeOp op, Results &out) {
  DenseIntElementsAttr values = op.getValues();
  Tensor t(ElementType::i64(), {values.getNumElements()});
  int64_t k = 0;
  for (const APInt &v : values.getValues<APInt>())
    t.ints()[k++] = v.getSExtValue();
  out.push_back(std::move(t));
  return true;
}

FailureOr<bool> evalConst(tosa::ConstOp op, Results &out) {
  std::optional<Tensor> t = constantValue(op.getValuesAttr());
  if (!t)
    return op.emitError("reference interpreter: unsupported constant ")
           << op.getValuesAttr();
  out.push_back(std::move(*t));
  return true;
}
} // namespace

FailureOr<bool> glue::evaluateTosaOp(Operation *op, Operands in, Results &out) {
  using Mode = tosa::NanPropagationMode;
  auto add = [](float a, float b) { return a + b; };
  return llvm::TypeSwitch<Operation *, FailureOr<bool>>(op)
      .Case([&](tosa::ConstOp c) { return evalConst(c, out); })
      .Case([&](tosa::ConstShapeOp c) { return evalConstShape(c, out); })
      .Case([&](tosa::Conv2DOp c) { return evalConv2D(c, in, out); })
      .Case([&](tosa::DepthwiseConv2DOp c) {
        return evalDepthwiseConv2D(c, in, out);
      })
      .Case([&](tosa::AvgPool2dOp p) { return evalAvgPool2D(p, in, out); })
      .Case([&](tosa::MaxPool2dOp p) { return evalMaxPool2D(p, in, out); })
      .Case([&](tosa::MatMulOp m) { return evalMatMul(m, in, out); })
      .Case([&](tosa::AddOp) {
        return binaryElementwise(op, in, out, add, addWrap);
      })
      .Case([&](tosa::SubOp) {
        return binaryElementwise(
            op, in, out, [](float a, float b) { return a - b; }, subWrap);
      })
      .Case([&](tosa::MulOp m) { return evalMul(m, in, out); })
      .Case([&](tosa::MaximumOp m) {
        Mode mode = m.getNanMode();
        return binaryElementwise(
            op, in, out,
            [&](float a, float b) { return maximumIn(mode, a, b); },
            [](int64_t a, int64_t b) { return std::max(a, b); });
      })
      .Case([&](tosa::MinimumOp m) {
        Mode mode = m.getNanMode();
        return binaryElementwise(
            op, in, out,
            [&](float a, float b) { return minimumIn(mode, a, b); },
            [](int64_t a, int64_t b) { return std::min(a, b); });
      })
      .Case([&](tosa::ClampOp c) { return evalClamp(c, in, out); })
      .Case([&](tosa::NegateOp n) { return evalNegate(n, in, out); })
      .Case([&](tosa::SigmoidOp) {
        return unaryElementwise(op, in, out, [](float v) {
          float e = std::exp(-v);
          float denominator = e + 1.0f;
          return 1.0f / denominator;
        });
      })
      .Case([&](tosa::ExpOp) {
        return unaryElementwise(op, in, out,
                                [](float v) { return std::exp(v); });
      })
      .Case([&](tosa::ReciprocalOp) {
        return unaryElementwise(op, in, out, [](float v) { return 1.0f / v; });
      })
      .Case([&](tosa::CastOp c) { return evalCast(c, in, out); })
      .Case([&](tosa::ReduceSumOp r) {
        return reduceAxis(op, *in[0], r.getAxis(), 0.0f, add, 0, addWrap, out);
      })
      .Case([&](tosa::ReduceMaxOp r) {
        Mode mode = r.getNanMode();
        int64_t lowest = in[0]->isFloat() ? 0 : in[0]->type().minValue();
        // Like max_pool2d, floats start from the lowest finite value.
        return reduceAxis(
            op, *in[0], r.getAxis(), kLowestFloat,
            [&](float a, float b) { return maximumIn(mode, a, b); }, lowest,
            [](int64_t a, int64_t b) { return std::max(a, b); }, out);
      })
      .Case([&](tosa::ReshapeOp) -> FailureOr<bool> {
        Tensor y = zerosOf(op->getResult(0));
        if (failed(requireSameCount(op, *in[0], y)))
          return failure();
        out.push_back(in[0]->reshaped(y.shape()));
        return true;
      })
      .Case([&](tosa::TransposeOp t) { return evalTranspose(t, in, out); })
      .Case([&](tosa::SliceOp s) { return evalSlice(s, in, out); })
      .Case([&](tosa::ConcatOp c) {
        return concatenate(op, in, c.getAxis(), out);
      })
      .Case([&](tosa::PadOp p) { return evalPad(p, in, out); })
      .Default([](Operation *) { return false; });
}
