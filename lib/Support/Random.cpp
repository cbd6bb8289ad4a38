//===- Random.cpp - deterministic random tensor values --------------------===//

#include "bnn/Support/Random.h"

using namespace mlir::bnn;

void RandomGenerator::next(int64_t count, float *floats, int64_t *ints) {
  if (kind.isFloat) {
    for (int64_t i = 0; i < count; ++i) {
      // 24 random bits scaled by 2^-23 are exact in f32: [-1, 1) precisely.
      floats[i] = static_cast<float>(rng() >> 40) * 0x1p-23f - 1.0f;
    }
    return;
  }
  // Unsigned arithmetic throughout: the span of a 64-bit range and the sum
  // below would overflow int64_t.
  uint64_t min = static_cast<uint64_t>(kind.minValue);
  uint64_t span = static_cast<uint64_t>(kind.maxValue) - min;
  for (int64_t i = 0; i < count; ++i) {
    uint64_t r = rng();
    ints[i] =
        static_cast<int64_t>(span == UINT64_MAX ? r : min + r % (span + 1));
  }
}

void mlir::bnn::fillRandom(RandomElementKind kind, uint64_t seed, int64_t count,
                           float *floats, int64_t *ints) {
  RandomGenerator(kind, seed).next(count, floats, ints);
}
