//===- RandomTest.cpp - deterministic random tensor values ----------------===//
//
// The values are part of the contract of --random-inputs: bnn-interp and
// bnn-run (on every target) must produce exactly these numbers. Expected
// values come from test/Runtime/Inputs/random_values.py, an independent
// Python implementation of MT19937-64 and of the element mapping.
//
//===----------------------------------------------------------------------===//

#include "bnn/Support/Random.h"

#include "gtest/gtest.h"

#include <cstdint>
#include <vector>

using namespace mlir::bnn;

namespace {

std::vector<int64_t> ints(int64_t min, int64_t max, uint64_t seed,
                          int64_t count) {
  std::vector<int64_t> values(count);
  fillRandom(RandomElementKind::integers(min, max), seed, count, nullptr,
             values.data());
  return values;
}

TEST(SupportRandom, FloatsArePinned) {
  std::vector<float> values(6);
  fillRandom(RandomElementKind::floats(), 0, 6, values.data(), nullptr);
  EXPECT_EQ(values, (std::vector<float>{-0x1.5c5f24p-1f, 0x1.f7f4e8p-1f,
                                        -0x1.d77b38p-1f, 0x1.8f569p-3f,
                                        0x1.5a66p-4f, -0x1.c577e8p-1f}));
}

TEST(SupportRandom, IntegersArePinned) {
  EXPECT_EQ(ints(0, 15, 2, 5), (std::vector<int64_t>{12, 9, 5, 3, 12}));
  EXPECT_EQ(ints(-128, 127, 3, 3), (std::vector<int64_t>{43, 103, 83}));
  EXPECT_EQ(ints(INT32_MIN, INT32_MAX, 4, 2),
            (std::vector<int64_t>{744043207, 705313740}));
}

TEST(SupportRandom, FullRangeIsTheRawGenerator) {
  // The C++ standard requires the 10000th output of a default-constructed
  // std::mt19937_64 (seed 5489) to be 9981545732273789042.
  std::vector<int64_t> values = ints(INT64_MIN, INT64_MAX, 5489, 10000);
  EXPECT_EQ(static_cast<uint64_t>(values.back()), 9981545732273789042ull);
  EXPECT_EQ(ints(INT64_MIN, INT64_MAX, 7, 3),
            (std::vector<int64_t>{-4530791435034240601, -935227735084318366,
                                  2165911192842364878}));
}

TEST(SupportRandom, OneDrawPerElement) {
  // A prefix of a longer fill is the shorter fill, for floats and integers.
  std::vector<float> longer(100), shorter(10);
  fillRandom(RandomElementKind::floats(), 9, 100, longer.data(), nullptr);
  fillRandom(RandomElementKind::floats(), 9, 10, shorter.data(), nullptr);
  EXPECT_EQ(std::vector<float>(longer.begin(), longer.begin() + 10), shorter);
  std::vector<int64_t> a = ints(0, 1, 9, 100), b = ints(0, 1, 9, 10);
  EXPECT_EQ(std::vector<int64_t>(a.begin(), a.begin() + 10), b);
}

TEST(SupportRandom, RangesAndEdgeCases) {
  for (int64_t v : ints(5, 5, 1, 50))
    EXPECT_EQ(v, 5);
  for (int64_t v : ints(-3, 2, 1, 1000)) {
    EXPECT_GE(v, -3);
    EXPECT_LE(v, 2);
  }
  // Nothing is written for an empty tensor, and the unused pointer may be
  // null.
  fillRandom(RandomElementKind::floats(), 1, 0, nullptr, nullptr);
  fillRandom(RandomElementKind::integers(0, 1), 1, 0, nullptr, nullptr);
  std::vector<float> floats(4096);
  fillRandom(RandomElementKind::floats(), 1130421, 4096, floats.data(),
             nullptr);
  for (float f : floats) {
    EXPECT_GE(f, -1.0f);
    EXPECT_LT(f, 1.0f);
  }
}

TEST(SupportRandom, GeneratorInPiecesDrawsTheSameValues) {
  // Pieces of 1, 7 and 92 values are one fill of 100, for both kinds.
  std::vector<float> whole(100), pieces(100);
  fillRandom(RandomElementKind::floats(), 42, 100, whole.data(), nullptr);
  RandomGenerator floats(RandomElementKind::floats(), 42);
  floats.next(1, pieces.data(), nullptr);
  floats.next(7, pieces.data() + 1, nullptr);
  floats.next(92, pieces.data() + 8, nullptr);
  EXPECT_EQ(whole, pieces);

  std::vector<int64_t> wholeInts = ints(-128, 127, 42, 100), pieceInts(100);
  RandomGenerator integers(RandomElementKind::integers(-128, 127), 42);
  integers.next(50, nullptr, pieceInts.data());
  integers.next(0, nullptr, nullptr);
  integers.next(50, nullptr, pieceInts.data() + 50);
  EXPECT_EQ(wholeInts, pieceInts);
}

} // namespace
