//===- ChainTest.cpp - thresholds of accumulator chains -------------------===//
//
// findThresholds against brute force: for every accumulator value in the
// range, the number of thresholds passed must equal the level the f32 chain
// gives. The chains are batch normalizations with positive, negative and
// zero scales, clipping, and a non-monotone PReLU that must be refused.
//
//===----------------------------------------------------------------------===//

#include "Chain.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace mlir::bnn::onnx_import;

namespace {
/// Brute-force check of thresholds found for `level` over [lo, hi].
void expectExact(const AccChain &chain, int64_t count,
                 const std::function<int64_t(int64_t, double)> &level,
                 int64_t levelMin) {
  std::vector<int32_t> t;
  std::vector<bool> down;
  std::string error;
  ASSERT_TRUE(findThresholds(chain, count, level, levelMin, t, down, error))
      << error;
  for (int64_t c = 0; c < chain.channels; ++c)
    for (int64_t acc = chain.lo; acc <= chain.hi; ++acc) {
      int64_t passed = 0;
      for (int64_t j = 0; j < count; ++j) {
        int64_t th = t[c * count + j];
        passed += down[c] ? acc <= th : acc >= th;
      }
      ASSERT_EQ(passed, level(c, chain.eval(c, acc)) - levelMin)
          << "channel " << c << " accumulator " << acc;
    }
}

AccChain batchNormChain() {
  AccChain chain;
  chain.channels = 3;
  chain.scale = {0.25, 0.25, 0.25};
  chain.bias = {0.0};
  chain.lo = -300;
  chain.hi = 300;
  // (x - mean) / d * gamma + beta with gamma > 0, < 0 and 0.
  chain.steps = {{ChainStep::Sub, {1.5f, -2.0f, 0.0f}, {}},
                 {ChainStep::Div, {std::sqrt(0.7f), 1.3f, 2.0f}, {}},
                 {ChainStep::Mul, {1.7f, -0.6f, 0.0f}, {}},
                 {ChainStep::Add, {0.3f, -0.1f, 0.25f}, {}}};
  return chain;
}
} // namespace

TEST(ChainTest, BinaryThresholdsOfBatchNorm) {
  expectExact(batchNormChain(), 1,
              [](int64_t, double y) { return int64_t(y >= 0.0 ? 1 : 0); }, 0);
}

TEST(ChainTest, DescendingChannelIsMarked) {
  AccChain chain = batchNormChain();
  std::vector<int32_t> t;
  std::vector<bool> down;
  std::string error;
  ASSERT_TRUE(findThresholds(
      chain, 1, [](int64_t, double y) { return int64_t(y >= 0.0 ? 1 : 0); },
      0, t, down, error));
  EXPECT_FALSE(down[0]);
  EXPECT_TRUE(down[1]);
  // gamma = 0: beta = 0.25 >= 0 everywhere, so every accumulator passes.
  EXPECT_EQ(t[2], INT32_MIN);
}

TEST(ChainTest, KBitLevelsWithOffsetAndClip) {
  AccChain chain = batchNormChain();
  chain.offset = {7, -3, 0};
  chain.steps.push_back({ChainStep::Clip, {-1.0f}, {6.0f}});
  // Unsigned 3-bit quantizer with scale 0.75, half to even.
  auto level = [](int64_t, double y) {
    float q = std::nearbyint(float(y) / 0.75f);
    return int64_t(std::min(std::max(q, 0.0f), 7.0f));
  };
  expectExact(chain, 7, level, 0);
}

TEST(ChainTest, NegativePReluIsRefused) {
  AccChain chain;
  chain.channels = 1;
  chain.scale = {1.0};
  chain.bias = {0.0};
  chain.lo = -10;
  chain.hi = 10;
  chain.steps = {{ChainStep::PRelu, {-0.5f}, {}}};
  std::vector<int32_t> t;
  std::vector<bool> down;
  std::string error;
  EXPECT_FALSE(findThresholds(
      chain, 1, [](int64_t, double y) { return int64_t(y >= 1.0 ? 1 : 0); }, 0,
      t, down, error));
  EXPECT_NE(error.find("not monotone"), std::string::npos);
}

TEST(ChainTest, UnroundedBaseForQLinear) {
  // QLinearConv requantizes acc * M in double: 0.5 * 3 = 1.5 rounds to 2,
  // 0.5 * 1 = 0.5 to 0 (half to even), so level 1 starts at acc = 2 (1.0)
  // and level 2 at acc = 3 (1.5 -> 2).
  AccChain chain;
  chain.channels = 1;
  chain.scale = {0.5};
  chain.bias = {0.0};
  chain.roundBase = false;
  chain.lo = -8;
  chain.hi = 8;
  auto level = [](int64_t, double y) {
    return std::min<int64_t>(std::max<int64_t>(int64_t(std::nearbyint(y)), 0), 3);
  };
  std::vector<int32_t> t;
  std::vector<bool> down;
  std::string error;
  ASSERT_TRUE(findThresholds(chain, 3, level, 0, t, down, error)) << error;
  EXPECT_EQ(t[0], 2);
  EXPECT_EQ(t[1], 3);
  expectExact(chain, 3, level, 0);
}
