//===- Random.h - deterministic random tensor values ------------*- C++ -*-===//
//
// The value generator behind `--random-inputs SEED` of bnn-interp and
// bnn-run. Plain C++ with no LLVM/MLIR dependency, so that runtime tools
// built for other targets produce exactly the same values as the reference
// interpreter.
//
// Values come from std::mt19937_64(seed), whose output the C++ standard
// specifies exactly, one draw `r` per element, in order:
//
//   float:                 float(r >> 40) * 0x1p-23f - 1.0f   (in [-1, 1))
//   integer in [min, max]: min + r % (max - min + 1)          (in uint64_t)
//   the full int64_t range: r itself, reinterpreted as int64_t
//
// std::uniform_*_distribution is avoided on purpose: its output is
// implementation-defined.
//
//===----------------------------------------------------------------------===//

#ifndef BNN_SUPPORT_RANDOM_H
#define BNN_SUPPORT_RANDOM_H

#include <cstdint>
#include <random>

namespace mlir {
namespace bnn {

/// What one random element is: a float uniform in [-1, 1), or an integer
/// uniform over [minValue, maxValue] (binary bits: [0, 1]).
struct RandomElementKind {
  bool isFloat = true;
  int64_t minValue = 0;
  int64_t maxValue = 0;

  static RandomElementKind floats() { return {true, 0, 0}; }
  static RandomElementKind integers(int64_t minValue, int64_t maxValue) {
    return {false, minValue, maxValue};
  }
};

/// Fills `count` values drawn from std::mt19937_64(seed), one draw per
/// element. Float kinds write `floats[0..count)`, integer kinds write
/// `ints[0..count)`; the other pointer is not touched and may be null.
/// Integer kinds require minValue <= maxValue.
void fillRandom(RandomElementKind kind, uint64_t seed, int64_t count,
                float *floats, int64_t *ints);

/// The same values in pieces: next(a) then next(b) draws what one
/// fillRandom of a + b elements does, so that a large tensor is filled
/// without a temporary of its size.
class RandomGenerator {
public:
  RandomGenerator(RandomElementKind kind, uint64_t seed)
      : kind(kind), rng(seed) {}

  /// The next `count` values, written as fillRandom does.
  void next(int64_t count, float *floats, int64_t *ints);

private:
  RandomElementKind kind;
  std::mt19937_64 rng;
};

} // namespace bnn
} // namespace mlir

#endif // BNN_SUPPORT_RANDOM_H
