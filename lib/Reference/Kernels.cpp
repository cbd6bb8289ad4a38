//===- Kernels.cpp - value-level reference kernels ------------------------===//

#include "bnn/Reference/Kernels.h"

#include <algorithm>
#include <cassert>
#include <cmath>

using namespace mlir;
using namespace mlir::bnn;
using namespace mlir::bnn::ref;

namespace {
/// Index of the per-channel parameter for flat element `i` of a tensor whose
/// last dimension has `channels` entries; a one-element parameter is shared.
int64_t channelOf(int64_t i, int64_t channels, int64_t paramSize) {
  return paramSize == 1 ? 0 : i % channels;
}

int64_t wrapToI32(int64_t v) {
  return static_cast<int64_t>(static_cast<int32_t>(static_cast<uint32_t>(v)));
}
} // namespace

Tensor ref::decodeToI64(const Tensor &t) {
  Tensor out(ElementType::i64(), t.shape());
  for (int64_t i = 0, e = t.numElements(); i < e; ++i)
    out.ints()[i] =
        t.type().isBinary() ? binaryValue(t.ints()[i]) : t.ints()[i];
  return out;
}

Tensor ref::subtractZeroPoints(const Tensor &t,
                               const std::vector<int64_t> &zeroPoints) {
  Tensor out(ElementType::i64(), t.shape());
  int64_t perChannel = t.numElements() / t.dim(0);
  for (int64_t i = 0, e = t.numElements(); i < e; ++i) {
    int64_t zp =
        zeroPoints.size() == 1 ? zeroPoints[0] : zeroPoints[i / perChannel];
    out.ints()[i] = t.ints()[i] - zp;
  }
  return out;
}

Tensor ref::conv2d(const Tensor &input, const Tensor &filter,
                   const Conv2DGeometry &g, int64_t padValue,
                   const std::vector<int64_t> &resultShape) {
  const int64_t n = input.dim(0), h = input.dim(1), w = input.dim(2),
                c = input.dim(3);
  const int64_t o = filter.dim(0), kh = filter.dim(1), kw = filter.dim(2),
                cg = filter.dim(3);
  const int64_t oh = resultShape[1], ow = resultShape[2];
  const int64_t outPerGroup = o / g.groups;
  assert(cg * g.groups == c && "channel/group mismatch");
  Tensor out(ElementType::i32(), resultShape);
  for (int64_t b = 0; b < n; ++b)
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t x = 0; x < ow; ++x)
        for (int64_t oc = 0; oc < o; ++oc) {
          int64_t group = oc / outPerGroup;
          int64_t sum = 0;
          for (int64_t ky = 0; ky < kh; ++ky)
            for (int64_t kx = 0; kx < kw; ++kx)
              for (int64_t ic = 0; ic < cg; ++ic) {
                int64_t iy = y * g.strideH + ky * g.dilationH - g.padTop;
                int64_t ix = x * g.strideW + kx * g.dilationW - g.padLeft;
                bool inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
                int64_t a = inside ? input.ints()[((b * h + iy) * w + ix) * c +
                                                  group * cg + ic]
                                   : padValue;
                int64_t wt =
                    filter.ints()[((oc * kh + ky) * kw + kx) * cg + ic];
                sum += a * wt;
              }
          out.ints()[((b * oh + y) * ow + x) * o + oc] = wrapToI32(sum);
        }
  return out;
}

Tensor ref::dense(const Tensor &input, const Tensor &weight) {
  const int64_t n = input.dim(0), k = input.dim(1), o = weight.dim(0);
  Tensor out(ElementType::i32(), {n, o});
  for (int64_t b = 0; b < n; ++b)
    for (int64_t oc = 0; oc < o; ++oc) {
      int64_t sum = 0;
      for (int64_t i = 0; i < k; ++i)
        sum += input.ints()[b * k + i] * weight.ints()[oc * k + i];
      out.ints()[b * o + oc] = wrapToI32(sum);
    }
  return out;
}

Tensor ref::pack(const Tensor &bits, unsigned wordBits) {
  std::vector<int64_t> shape = bits.shape();
  int64_t channels = shape.back();
  int64_t words = (channels + wordBits - 1) / wordBits;
  shape.back() = words;
  Tensor out(wordBits == 32 ? ElementType::i32() : ElementType::i64(), shape);
  int64_t rows = channels ? bits.numElements() / channels : 0;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t w = 0; w < words; ++w) {
      uint64_t word = 0;
      for (int64_t j = 0; j < wordBits && w * wordBits + j < channels; ++j)
        if (bits.ints()[r * channels + w * wordBits + j])
          word |= uint64_t(1) << j;
      // Integers are held sign-extended from their width.
      out.ints()[r * words + w] =
          wordBits == 32 ? int64_t(int32_t(uint32_t(word))) : int64_t(word);
    }
  return out;
}

Tensor ref::bitplane(const Tensor &input, int64_t bit) {
  Tensor out(ElementType::i1(), input.shape());
  for (int64_t i = 0, e = input.numElements(); i < e; ++i)
    out.ints()[i] = (uint64_t(input.ints()[i]) >> bit) & 1;
  return out;
}

Tensor ref::binarize(const Tensor &input) {
  Tensor out(ElementType::i1(), input.shape());
  for (int64_t i = 0, e = input.numElements(); i < e; ++i)
    out.ints()[i] = input.floats()[i] < 0.0f ? 1 : 0; // NaN, -0.0 -> +1
  return out;
}

Tensor ref::unbinarize(const Tensor &input) {
  Tensor out(ElementType::f32(), input.shape());
  for (int64_t i = 0, e = input.numElements(); i < e; ++i)
    out.floats()[i] = input.ints()[i] ? -1.0f : 1.0f;
  return out;
}

Tensor ref::accToFloat(const Tensor &acc, const Tensor &multiplier,
                       const Tensor &bias) {
  Tensor out(ElementType::f32(), acc.shape());
  int64_t channels = acc.shape().back();
  for (int64_t i = 0, e = acc.numElements(); i < e; ++i) {
    float m =
        multiplier.floats()[channelOf(i, channels, multiplier.numElements())];
    float b = bias.floats()[channelOf(i, channels, bias.numElements())];
    // volatile keeps the product rounded to f32 before the addition.
    volatile float product = static_cast<float>(acc.ints()[i]) * m;
    out.floats()[i] = product + b;
  }
  return out;
}

Tensor ref::threshold(const Tensor &acc, const Tensor &thresholds,
                      const Tensor &directions) {
  Tensor out(ElementType::i1(), acc.shape());
  int64_t channels = acc.shape().back();
  for (int64_t i = 0, e = acc.numElements(); i < e; ++i) {
    int64_t t =
        thresholds.ints()[channelOf(i, channels, thresholds.numElements())];
    bool le =
        directions.ints()[channelOf(i, channels, directions.numElements())];
    bool plusOne = le ? acc.ints()[i] <= t : acc.ints()[i] >= t;
    out.ints()[i] = plusOne ? 0 : 1;
  }
  return out;
}

Tensor ref::multiThreshold(const Tensor &acc, const Tensor &thresholds,
                           const Tensor &directions, ElementType type) {
  Tensor out(type, acc.shape());
  int64_t channels = acc.shape().back();
  int64_t rows = thresholds.dim(0), columns = thresholds.dim(1);
  assert((rows == 1 || rows == channels) && columns <= type.maxValue() &&
         "thresholds do not fit the accumulator and result");
  for (int64_t i = 0, e = acc.numElements(); i < e; ++i) {
    int64_t row = channelOf(i, channels, rows);
    bool le =
        directions.ints()[channelOf(i, channels, directions.numElements())];
    int64_t a = acc.ints()[i], count = 0;
    for (int64_t j = 0; j < columns; ++j) {
      int64_t t = thresholds.ints()[row * columns + j];
      count += le ? a <= t : a >= t;
    }
    out.ints()[i] = count;
  }
  return out;
}

Tensor ref::requantize(const Tensor &acc, const Tensor &scale,
                       int64_t zeroPoint, int64_t clampMin, int64_t clampMax) {
  Tensor out(ElementType::i8(), acc.shape());
  int64_t channels = acc.shape().back();
  for (int64_t i = 0, e = acc.numElements(); i < e; ++i) {
    float s = scale.floats()[channelOf(i, channels, scale.numElements())];
    volatile float product = static_cast<float>(acc.ints()[i]) * s;
    double rounded =
        std::nearbyint(static_cast<double>(product)); // ties to even
    double shifted = rounded + static_cast<double>(zeroPoint);
    double clamped =
        std::fmin(std::fmax(shifted, double(clampMin)), double(clampMax));
    out.ints()[i] = std::isnan(product)
                        ? std::min(std::max(zeroPoint, clampMin), clampMax)
                        : static_cast<int64_t>(clamped);
  }
  return out;
}

Tensor ref::quantize(const Tensor &input, const Tensor &scale, ElementType type,
                     int64_t zeroPoint, int64_t clampMin, int64_t clampMax) {
  Tensor out(type, input.shape());
  int64_t channels = input.shape().back();
  // Beyond +-2^40 every rounded product clamps the same way (zero points
  // and clamps are at most 255 in magnitude); the bound keeps the
  // conversion to int64_t defined, infinities included.
  const double limit = std::ldexp(1.0, 40);
  for (int64_t i = 0, e = input.numElements(); i < e; ++i) {
    float s = scale.floats()[channelOf(i, channels, scale.numElements())];
    volatile float product = input.floats()[i] * s;
    if (std::isnan(product)) {
      out.ints()[i] = std::min(std::max(zeroPoint, clampMin), clampMax);
      continue;
    }
    double rounded = std::nearbyint(static_cast<double>(product)); // ties even
    int64_t whole =
        static_cast<int64_t>(std::fmin(std::fmax(rounded, -limit), limit));
    out.ints()[i] = std::min(std::max(whole + zeroPoint, clampMin), clampMax);
  }
  return out;
}

Tensor ref::binaryMaxPool2d(const Tensor &input, int64_t kernelH,
                            int64_t kernelW, const Conv2DGeometry &g,
                            const std::vector<int64_t> &resultShape) {
  const int64_t n = input.dim(0), h = input.dim(1), w = input.dim(2),
                c = input.dim(3);
  const int64_t oh = resultShape[1], ow = resultShape[2];
  Tensor out(ElementType::i1(), resultShape);
  for (int64_t b = 0; b < n; ++b)
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t x = 0; x < ow; ++x)
        for (int64_t ch = 0; ch < c; ++ch) {
          int64_t best = -1; // max over +1/-1 values
          for (int64_t ky = 0; ky < kernelH; ++ky)
            for (int64_t kx = 0; kx < kernelW; ++kx) {
              int64_t iy = y * g.strideH + ky - g.padTop;
              int64_t ix = x * g.strideW + kx - g.padLeft;
              if (iy < 0 || iy >= h || ix < 0 || ix >= w)
                continue;
              int64_t v =
                  binaryValue(input.ints()[((b * h + iy) * w + ix) * c + ch]);
              best = std::max(best, v);
            }
          out.ints()[((b * oh + y) * ow + x) * c + ch] = best == 1 ? 0 : 1;
        }
  return out;
}
