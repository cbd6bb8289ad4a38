//===- Kernels.h - value-level reference kernels ----------------*- C++ -*-===//
//
// The reference semantics of the bnn operators as plain loops over decoded
// values: no bitpacking, no blocking, nothing shared with the optimised
// lowering. Each kernel is short enough to check by reading.
//
//===----------------------------------------------------------------------===//

#ifndef BNN_REFERENCE_KERNELS_H
#define BNN_REFERENCE_KERNELS_H

#include "bnn/Dialect/BNN/IR/Conv2DGeometry.h"
#include "bnn/Reference/Tensor.h"

namespace mlir {
namespace bnn {
namespace ref {

/// Value of a stored binary bit: 1 means -1, 0 means +1.
inline int64_t binaryValue(int64_t bit) { return bit ? -1 : 1; }

/// Decodes a binary (i1) tensor into an i64 tensor of +1/-1; any other
/// integer tensor is copied into i64 unchanged.
Tensor decodeToI64(const Tensor &t);

/// Elementwise `x - zeroPoint[c]` where c is the index along dimension 0
/// (a single zero point applies to every element); result i64.
Tensor subtractZeroPoints(const Tensor &t,
                          const std::vector<int64_t> &zeroPoints);

/// Integer NHWC x OHWI convolution of decoded i64 operands; out-of-bounds
/// input positions take `padValue`. The i32 result wraps like the
/// accumulator it models.
Tensor conv2d(const Tensor &input, const Tensor &filter,
              const Conv2DGeometry &geometry, int64_t padValue,
              const std::vector<int64_t> &resultShape);

/// Integer [N, K] x [O, K] -> [N, O] product of decoded i64 operands.
Tensor dense(const Tensor &input, const Tensor &weight);

/// i1 [..., C] -> words [..., ceil(C / B)] of `wordBits` B (32 or 64): bit j
/// of word w is the stored bit of channel B w + j, bits past C zero.
Tensor pack(const Tensor &bits, unsigned wordBits);
/// uik -> i1: bit `bit` of each value.
Tensor bitplane(const Tensor &input, int64_t bit);

/// f32 -> i1 by sign: bit 1 (-1) iff x < 0.
Tensor binarize(const Tensor &input);
/// i1 -> f32: bit 1 -> -1.0, bit 0 -> +1.0.
Tensor unbinarize(const Tensor &input);

/// f32(acc) * multiplier[c] + bias[c], each step rounded to f32.
Tensor accToFloat(const Tensor &acc, const Tensor &multiplier,
                  const Tensor &bias);
/// +1 (bit 0) iff acc >= t[c] (direction 0) or acc <= t[c] (direction 1).
Tensor threshold(const Tensor &acc, const Tensor &thresholds,
                 const Tensor &directions);
/// The number of columns j of row c of the [C or 1, T] `thresholds` with
/// acc >= t[c, j] (direction 0) or acc <= t[c, j] (direction 1), as `type`
/// (ui1..ui8, which holds every count: T <= 2^k - 1).
Tensor multiThreshold(const Tensor &acc, const Tensor &thresholds,
                      const Tensor &directions, ElementType type);
/// clamp(zp + roundeven(f32(acc) * scale[c]), lo, hi) as i8.
Tensor requantize(const Tensor &acc, const Tensor &scale, int64_t zeroPoint,
                  int64_t clampMin, int64_t clampMax);

/// clamp(zp + roundeven(x * scale[c]), lo, hi) with exact integer addition
/// and clamp, as `type` (i8 or ui1..ui8); a NaN product gives
/// clamp(zp, lo, hi).
Tensor quantize(const Tensor &input, const Tensor &scale, ElementType type,
                int64_t zeroPoint, int64_t clampMin, int64_t clampMax);

/// Max of +1/-1 values over each window (padding ignored), on stored bits.
Tensor binaryMaxPool2d(const Tensor &input, int64_t kernelH, int64_t kernelW,
                       const Conv2DGeometry &geometry,
                       const std::vector<int64_t> &resultShape);

} // namespace ref
} // namespace bnn
} // namespace mlir

#endif // BNN_REFERENCE_KERNELS_H
