//===- Chain.cpp - per-channel float glue and its thresholds --------------===//

#include "Chain.h"

#include <algorithm>
#include <cmath>

using namespace mlir::bnn::onnx_import;

namespace {
template <typename T> T pick(const std::vector<T> &v, int64_t channel) {
  return v.size() == 1 ? v[0] : v[channel];
}
} // namespace

float ChainStep::apply(int64_t channel, float x) const {
  float p = a.empty() ? 0.0f : pick(a, channel);
  switch (kind) {
  case Add: return x + p;
  case Sub: return x - p;
  case ReverseSub: return p - x;
  case Mul: return x * p;
  case Div: return x / p;
  case Relu: return std::max(x, 0.0f);
  case Clip: return std::min(std::max(x, p), pick(b, channel));
  case PRelu: return x < 0.0f ? x * p : x;
  }
  return x;
}

std::optional<int> ChainStep::direction(int64_t channel) const {
  float p = a.empty() ? 0.0f : pick(a, channel);
  switch (kind) {
  case Add:
  case Sub:
  case Relu:
    return 1;
  case ReverseSub:
    return -1;
  case Mul:
  case Div:
    if (std::isnan(p) || (kind == Div && p == 0.0f))
      return std::nullopt;
    return p > 0 ? 1 : (p < 0 ? -1 : 0);
  case Clip:
    return p <= pick(b, channel) ? 1 : 0;
  case PRelu:
    if (std::isnan(p) || p < 0)
      return std::nullopt;
    return 1;
  }
  return std::nullopt;
}

double AccChain::eval(int64_t channel, int64_t acc) const {
  double base = double(acc + pick(offset, channel)) * pick(scale, channel) +
                pick(bias, channel);
  if (!roundBase)
    return base;
  float x = float(base);
  for (const ChainStep &s : steps)
    x = s.apply(channel, x);
  return x;
}

std::optional<int> AccChain::direction(int64_t channel) const {
  double s = pick(scale, channel);
  if (std::isnan(s))
    return std::nullopt;
  int dir = s > 0 ? 1 : (s < 0 ? -1 : 0);
  for (const ChainStep &step : steps) {
    std::optional<int> d = step.direction(channel);
    if (!d)
      return std::nullopt;
    dir *= *d;
  }
  return dir;
}

bool mlir::bnn::onnx_import::findThresholds(
    const AccChain &chain, int64_t count,
    const std::function<int64_t(int64_t, double)> &level, int64_t levelMin,
    std::vector<int32_t> &thresholds, std::vector<bool> &descending,
    std::string &error) {
  thresholds.assign(chain.channels * count, 0);
  descending.assign(chain.channels, false);
  for (int64_t c = 0; c < chain.channels; ++c) {
    std::optional<int> dir = chain.direction(c);
    if (!dir) {
      error = "the float operations between the layer and the quantizer are "
              "not monotone in channel " + std::to_string(c) +
              " (a negative PReLU slope, a NaN or a division by zero), so "
              "they cannot become exact integer thresholds";
      return false;
    }
    auto lv = [&](int64_t acc) {
      return level(c, chain.eval(c, acc)) - levelMin;
    };
    bool down = *dir < 0;
    descending[c] = down;
    for (int64_t j = 0; j < count; ++j) {
      int32_t &t = thresholds[c * count + j];
      // Binary search of the boundary where level reaches j + 1.
      int64_t lo = chain.lo, hi = chain.hi;
      auto reached = [&](int64_t acc) { return lv(acc) >= j + 1; };
      if (!down) {
        if (reached(lo)) { t = INT32_MIN; continue; }
        if (!reached(hi)) { t = INT32_MAX; continue; }
        while (hi - lo > 1) {
          int64_t mid = lo + (hi - lo) / 2;
          (reached(mid) ? hi : lo) = mid;
        }
        t = int32_t(hi);
      } else {
        if (reached(hi)) { t = INT32_MAX; continue; }
        if (!reached(lo)) { t = INT32_MIN; continue; }
        while (hi - lo > 1) {
          int64_t mid = lo + (hi - lo) / 2;
          (reached(mid) ? lo : hi) = mid;
        }
        t = int32_t(lo);
      }
    }
    // The level must be what the thresholds say at both ends and around
    // every threshold; a chain that only looked monotone fails here.
    std::vector<int64_t> probes = {chain.lo, chain.hi};
    for (int64_t j = 0; j < count; ++j) {
      int64_t t = thresholds[c * count + j];
      for (int64_t d = -1; d <= 1; ++d)
        if (t + d >= chain.lo && t + d <= chain.hi)
          probes.push_back(t + d);
    }
    for (int64_t acc : probes) {
      int64_t expect = 0;
      for (int64_t j = 0; j < count; ++j) {
        int64_t t = thresholds[c * count + j];
        expect += down ? acc <= t : acc >= t;
      }
      if (lv(acc) != expect) {
        error = "the quantized output is not a monotone function of the "
                "accumulator in channel " + std::to_string(c) +
                ", so it cannot become exact integer thresholds";
        return false;
      }
    }
  }
  return true;
}
