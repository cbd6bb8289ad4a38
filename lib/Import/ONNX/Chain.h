//===- Chain.h - per-channel float glue between a layer and a quantizer ---===//
//
// What an accumulator goes through before an activation quantizer (bias,
// batch normalization, scaling, ReLU, clipping) is recorded as a chain of
// per-channel f32 steps instead of being emitted. A quantizer at the end of
// the chain turns it into integer thresholds, exactly: every step is
// monotone and f32 rounding is monotone, so the quantized output is a
// monotone step function of the integer accumulator, and binary search over
// the accumulator's range finds each step with the very f32 arithmetic the
// float graph specifies.
//
//===----------------------------------------------------------------------===//

#ifndef BNN_LIB_IMPORT_ONNX_CHAIN_H
#define BNN_LIB_IMPORT_ONNX_CHAIN_H

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mlir::bnn::onnx_import {

struct ChainStep {
  enum Kind { Add, Sub, ReverseSub, Mul, Div, Relu, Clip, PRelu } kind;
  /// One value per channel or a single value for every channel; Clip uses
  /// `a` as the minimum and `b` as the maximum.
  std::vector<float> a, b;

  float apply(int64_t channel, float x) const;
  /// +1 when non-decreasing in x, -1 when non-increasing, 0 when constant;
  /// nullopt when not monotone (PReLU with a negative slope).
  std::optional<int> direction(int64_t channel) const;
};

/// The float value of an accumulator and what follows it, per channel c:
/// `base(acc) = f32((acc + offset[c]) * scale[c] + bias[c])` computed in
/// double (`offset` is the exact integer correction of signed or
/// zero-pointed operands that does not depend on the position; the
/// float graph's convolution, accumulated in double and rounded once), then
/// each step in f32.
struct AccChain {
  std::vector<double> scale, bias; // per channel or single
  std::vector<int64_t> offset{0};  // per channel or single
  std::vector<ChainStep> steps;
  int64_t channels = 1;
  int64_t lo = 0, hi = 0; // the accumulator's reachable range
  /// False for QLinearConv / QLinearMatMul, whose requantization multiplies
  /// the accumulator in double without rounding to f32 first (then `steps`
  /// is empty).
  bool roundBase = true;

  double eval(int64_t channel, int64_t acc) const;
  std::optional<int> direction(int64_t channel) const;
};

/// For each channel, a monotone integer function `level(c, acc)`
/// (non-decreasing when the chain's direction is +1, non-increasing when
/// -1) gives `count` thresholds: for direction +1, `t[j]` is the smallest acc
/// with level >= j + 1 (INT32_MAX when none in range, INT32_MIN when all), so
/// that level - min = #{j : acc >= t[j]}; for -1 the largest acc with level
/// >= j + 1, and #{j : acc <= t[j]}. `thresholds` is row-major
/// [channels][count]; `descending[c]` is the direction flag. False with
/// `error` set when the chain is not monotone or the function disagrees
/// with the thresholds it was reduced to.
bool findThresholds(const AccChain &chain, int64_t count,
                    const std::function<int64_t(int64_t, double)> &level,
                    int64_t levelMin, std::vector<int32_t> &thresholds,
                    std::vector<bool> &descending, std::string &error);

} // namespace mlir::bnn::onnx_import

#endif // BNN_LIB_IMPORT_ONNX_CHAIN_H
