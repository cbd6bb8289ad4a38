//===- PopcountPeak.cpp - Peak binary MAC throughput of one core ----------===//
//
// Measures how many binary multiply-accumulates (xor + popcount + accumulate,
// one MAC per bit) one core can retire per second when the operands already
// sit in registers. This is the ceiling that the compiled binary kernels are
// compared against (DESIGN.md, "Performance targets"): a kernel cannot beat
// it, so "percent of peak" says how much is left on the table.
//
// One variant per popcount strategy, each compiled with a per-function target
// attribute so that one binary carries all of them; main() registers only the
// variants the running CPU supports (__builtin_cpu_supports).
//
// How the work is kept from being optimised away:
//  * operands are derived from a volatile seed, so they are unknown at
//    compile time;
//  * an empty `asm volatile` with a read-write register constraint "touches"
//    every operand once per step: the compiler must assume the value changed,
//    so it cannot hoist popcount(a ^ w) out of the loop, yet no instruction is
//    emitted and the operands stay in registers (no memory traffic);
//  * every accumulator is reduced into the kernel's return value, which goes
//    through benchmark::DoNotOptimize.
//
// Register blocking mimics a conv micro-kernel: A activation words are each
// combined with W weight words, giving A*W independent accumulators (one per
// output), which hides the popcount latency.
//
//===----------------------------------------------------------------------===//

#include <benchmark/benchmark.h>
#include <immintrin.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

namespace {

// Narrow (u8) accumulators may take kInner adds of at most 8 before they
// overflow: 31 * 8 = 248 <= 255. Each kernel call runs kBlocks such blocks.
constexpr int kInner = 31;
constexpr int kBlocks = 64;
constexpr int kSteps = kInner * kBlocks;

// Operand source: unknown to the compiler, so nothing can be constant-folded.
volatile uint64_t gSeed = 0x9e3779b97f4a7c15ull;
alignas(64) uint64_t gData[128];

void fillData() {
  uint64_t x = gSeed;
  for (uint64_t &d : gData) { // xorshift64: roughly half the bits set
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    d = x;
  }
}

// Makes the compiler forget what it knows about a register value (see top).
#define TOUCH_R(x) asm volatile("" : "+r"(x))
#define TOUCH_V(x) asm volatile("" : "+v"(x))
#define TOUCH_X(x) asm volatile("" : "+x"(x)) // ymm0-15 only (AVX2)

//===----------------------------------------------------------------------===//
// (a) Scalar 64-bit popcnt. A=2 x W=3 = 6 accumulators: with 8 the 16
// general registers overflow and one accumulator lives on the stack.
//===----------------------------------------------------------------------===//

constexpr uint64_t kScalarBitsPerCall = uint64_t(kSteps) * 6 * 64;

__attribute__((target("popcnt"), noinline)) uint64_t
kernelScalar(const uint64_t *src) {
  uint64_t a0 = src[0], a1 = src[1];
  uint64_t w0 = src[2], w1 = src[3], w2 = src[4];
  uint64_t c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0;
  for (int s = 0; s < kSteps; ++s) {
    TOUCH_R(a0); TOUCH_R(a1);
    TOUCH_R(w0); TOUCH_R(w1); TOUCH_R(w2);
    c0 += __builtin_popcountll(a0 ^ w0);
    c1 += __builtin_popcountll(a0 ^ w1);
    c2 += __builtin_popcountll(a0 ^ w2);
    c3 += __builtin_popcountll(a1 ^ w0);
    c4 += __builtin_popcountll(a1 ^ w1);
    c5 += __builtin_popcountll(a1 ^ w2);
  }
  return c0 + c1 + c2 + c3 + c4 + c5;
}

//===----------------------------------------------------------------------===//
// (b) AVX2 nibble-LUT popcount (vpshufb), u8 counts accumulated lazily and
// widened with vpsadbw once per kInner steps. A=2 x W=2 = 4 accumulators:
// only 16 ymm registers, and each accumulator needs a narrow and a wide
// register plus the LUT and the nibble mask.
//===----------------------------------------------------------------------===//

constexpr uint64_t kAvx2LutBitsPerCall = uint64_t(kSteps) * 4 * 256;

__attribute__((target("avx2"), always_inline)) inline __m256i
avx2PopcntBytes(__m256i x, __m256i lut, __m256i low) {
  __m256i lo = _mm256_and_si256(x, low);
  __m256i hi = _mm256_and_si256(_mm256_srli_epi16(x, 4), low);
  return _mm256_add_epi8(_mm256_shuffle_epi8(lut, lo),
                         _mm256_shuffle_epi8(lut, hi));
}

__attribute__((target("avx2"), noinline)) uint64_t
kernelAvx2Lut(const uint64_t *src) {
  const __m256i *p = reinterpret_cast<const __m256i *>(src);
  __m256i a0 = _mm256_load_si256(p + 0), a1 = _mm256_load_si256(p + 1);
  __m256i w0 = _mm256_load_si256(p + 2), w1 = _mm256_load_si256(p + 3);
  const __m256i lut = _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2,
                                       3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2,
                                       2, 3, 2, 3, 3, 4);
  const __m256i low = _mm256_set1_epi8(0x0f);
  const __m256i zero = _mm256_setzero_si256();
  __m256i wide0 = zero, wide1 = zero, wide2 = zero, wide3 = zero;
  for (int b = 0; b < kBlocks; ++b) {
    __m256i n0 = zero, n1 = zero, n2 = zero, n3 = zero;
    for (int i = 0; i < kInner; ++i) {
      TOUCH_X(a0); TOUCH_X(a1); TOUCH_X(w0); TOUCH_X(w1);
      n0 = _mm256_add_epi8(n0, avx2PopcntBytes(_mm256_xor_si256(a0, w0), lut, low));
      n1 = _mm256_add_epi8(n1, avx2PopcntBytes(_mm256_xor_si256(a0, w1), lut, low));
      n2 = _mm256_add_epi8(n2, avx2PopcntBytes(_mm256_xor_si256(a1, w0), lut, low));
      n3 = _mm256_add_epi8(n3, avx2PopcntBytes(_mm256_xor_si256(a1, w1), lut, low));
    }
    // Lazy widening: sum each 8-byte group into a 64-bit lane.
    wide0 = _mm256_add_epi64(wide0, _mm256_sad_epu8(n0, zero));
    wide1 = _mm256_add_epi64(wide1, _mm256_sad_epu8(n1, zero));
    wide2 = _mm256_add_epi64(wide2, _mm256_sad_epu8(n2, zero));
    wide3 = _mm256_add_epi64(wide3, _mm256_sad_epu8(n3, zero));
  }
  __m256i sum = _mm256_add_epi64(_mm256_add_epi64(wide0, wide1),
                                 _mm256_add_epi64(wide2, wide3));
  alignas(32) uint64_t lanes[4];
  _mm256_store_si256(reinterpret_cast<__m256i *>(lanes), sum);
  return lanes[0] + lanes[1] + lanes[2] + lanes[3];
}

//===----------------------------------------------------------------------===//
// (c) AVX-512 VPOPCNTDQ: vpopcntq on zmm, accumulated straight into 64-bit
// lanes (no widening needed). A=2 x W=4 = 8 accumulators.
//===----------------------------------------------------------------------===//

constexpr uint64_t kVpopcntqBitsPerCall = uint64_t(kSteps) * 8 * 512;

__attribute__((target("avx512f,avx512vpopcntdq"), noinline)) uint64_t
kernelVpopcntq(const uint64_t *src) {
  __m512i a0 = _mm512_load_si512(src + 0), a1 = _mm512_load_si512(src + 8);
  __m512i w0 = _mm512_load_si512(src + 16), w1 = _mm512_load_si512(src + 24);
  __m512i w2 = _mm512_load_si512(src + 32), w3 = _mm512_load_si512(src + 40);
  __m512i c[8];
  for (__m512i &v : c)
    v = _mm512_setzero_si512();
  for (int s = 0; s < kSteps; ++s) {
    TOUCH_V(a0); TOUCH_V(a1);
    TOUCH_V(w0); TOUCH_V(w1); TOUCH_V(w2); TOUCH_V(w3);
    c[0] = _mm512_add_epi64(c[0], _mm512_popcnt_epi64(_mm512_xor_si512(a0, w0)));
    c[1] = _mm512_add_epi64(c[1], _mm512_popcnt_epi64(_mm512_xor_si512(a0, w1)));
    c[2] = _mm512_add_epi64(c[2], _mm512_popcnt_epi64(_mm512_xor_si512(a0, w2)));
    c[3] = _mm512_add_epi64(c[3], _mm512_popcnt_epi64(_mm512_xor_si512(a0, w3)));
    c[4] = _mm512_add_epi64(c[4], _mm512_popcnt_epi64(_mm512_xor_si512(a1, w0)));
    c[5] = _mm512_add_epi64(c[5], _mm512_popcnt_epi64(_mm512_xor_si512(a1, w1)));
    c[6] = _mm512_add_epi64(c[6], _mm512_popcnt_epi64(_mm512_xor_si512(a1, w2)));
    c[7] = _mm512_add_epi64(c[7], _mm512_popcnt_epi64(_mm512_xor_si512(a1, w3)));
  }
  __m512i sum = c[0];
  for (int k = 1; k < 8; ++k)
    sum = _mm512_add_epi64(sum, c[k]);
  return _mm512_reduce_add_epi64(sum);
}

//===----------------------------------------------------------------------===//
// (d) AVX-512 BITALG: vpopcntb (u8 counts) accumulated in u8 lanes for kInner
// steps, then widened into 16-bit lanes with vpmaddubsw(x, 1) (adds byte
// pairs), the same scheme as RipTide's vcnt + vpadal on ARM. 16-bit lanes
// hold kBlocks * 2 * 248 = 31744 < 65536. A=2 x W=4 = 8 accumulators.
//===----------------------------------------------------------------------===//

constexpr uint64_t kVpopcntbBitsPerCall = uint64_t(kSteps) * 8 * 512;

__attribute__((target("avx512f,avx512bw,avx512bitalg"), noinline)) uint64_t
kernelVpopcntb(const uint64_t *src) {
  __m512i a0 = _mm512_load_si512(src + 0), a1 = _mm512_load_si512(src + 8);
  __m512i w0 = _mm512_load_si512(src + 16), w1 = _mm512_load_si512(src + 24);
  __m512i w2 = _mm512_load_si512(src + 32), w3 = _mm512_load_si512(src + 40);
  const __m512i ones8 = _mm512_set1_epi8(1);
  __m512i wide[8];
  for (__m512i &v : wide)
    v = _mm512_setzero_si512();
  for (int b = 0; b < kBlocks; ++b) {
    __m512i n[8];
    for (__m512i &v : n)
      v = _mm512_setzero_si512();
    for (int i = 0; i < kInner; ++i) {
      TOUCH_V(a0); TOUCH_V(a1);
      TOUCH_V(w0); TOUCH_V(w1); TOUCH_V(w2); TOUCH_V(w3);
      n[0] = _mm512_add_epi8(n[0], _mm512_popcnt_epi8(_mm512_xor_si512(a0, w0)));
      n[1] = _mm512_add_epi8(n[1], _mm512_popcnt_epi8(_mm512_xor_si512(a0, w1)));
      n[2] = _mm512_add_epi8(n[2], _mm512_popcnt_epi8(_mm512_xor_si512(a0, w2)));
      n[3] = _mm512_add_epi8(n[3], _mm512_popcnt_epi8(_mm512_xor_si512(a0, w3)));
      n[4] = _mm512_add_epi8(n[4], _mm512_popcnt_epi8(_mm512_xor_si512(a1, w0)));
      n[5] = _mm512_add_epi8(n[5], _mm512_popcnt_epi8(_mm512_xor_si512(a1, w1)));
      n[6] = _mm512_add_epi8(n[6], _mm512_popcnt_epi8(_mm512_xor_si512(a1, w2)));
      n[7] = _mm512_add_epi8(n[7], _mm512_popcnt_epi8(_mm512_xor_si512(a1, w3)));
    }
    for (int k = 0; k < 8; ++k) // u8 (<= 248) pairs -> u16
      wide[k] = _mm512_add_epi16(wide[k], _mm512_maddubs_epi16(n[k], ones8));
  }
  const __m512i ones16 = _mm512_set1_epi16(1);
  __m512i sum = _mm512_setzero_si512();
  for (int k = 0; k < 8; ++k) // u16 pairs -> u32
    sum = _mm512_add_epi32(sum, _mm512_madd_epi16(wide[k], ones16));
  return uint64_t(uint32_t(_mm512_reduce_add_epi32(sum)));
}

//===----------------------------------------------------------------------===//
// (e) Harley-Seal carry-save compression on AVX-512 (Muła, Kurz, Lemire,
// "Faster population counts using AVX2 instructions"): 16 words are summed
// bitwise by a tree of carry-save adders (each 2 vpternlogq: xor3 and
// majority), and only the "sixteens" word is popcounted. The popcount is
// therefore off the critical port, which matters on cores whose vector
// popcount is slow or missing; it uses only AVX-512BW (vpshufb LUT) so it
// runs on AVX-512 cores without VPOPCNTDQ too. Two outputs, each fed 16
// words a_i ^ w_j (i < 8, j < 2) per block.
//===----------------------------------------------------------------------===//

constexpr int kHsBlocks = kSteps / 16;
constexpr uint64_t kHarleySealBitsPerCall = uint64_t(kHsBlocks) * 2 * 16 * 512;

struct HsState {
  __m512i ones, twos, fours, eights, total; // total: 64-bit lanes of sixteens
};

// Carry-save adder: (h, l) = a + b + c bitwise; h is the carry.
#define HS_CSA(h, l, a, b, c)                                                  \
  do {                                                                         \
    __m512i a_ = (a), b_ = (b), c_ = (c);                                      \
    h = _mm512_ternarylogic_epi64(a_, b_, c_, 0xE8); /* majority */            \
    l = _mm512_ternarylogic_epi64(a_, b_, c_, 0x96); /* xor3 */                \
  } while (0)

__attribute__((target("avx512f,avx512bw"), always_inline)) inline __m512i
avx512PopcntQwords(__m512i x) {
  const __m512i lut = _mm512_set_epi8(
      4, 3, 3, 2, 3, 2, 2, 1, 3, 2, 2, 1, 2, 1, 1, 0, 4, 3, 3, 2, 3, 2, 2, 1, 3,
      2, 2, 1, 2, 1, 1, 0, 4, 3, 3, 2, 3, 2, 2, 1, 3, 2, 2, 1, 2, 1, 1, 0, 4, 3,
      3, 2, 3, 2, 2, 1, 3, 2, 2, 1, 2, 1, 1, 0);
  const __m512i low = _mm512_set1_epi8(0x0f);
  __m512i lo = _mm512_and_si512(x, low);
  __m512i hi = _mm512_and_si512(_mm512_srli_epi16(x, 4), low);
  __m512i bytes = _mm512_add_epi8(_mm512_shuffle_epi8(lut, lo),
                                  _mm512_shuffle_epi8(lut, hi));
  return _mm512_sad_epu8(bytes, _mm512_setzero_si512());
}

// One Harley-Seal block: consumes x[0..15] into state s.
__attribute__((target("avx512f,avx512bw"), always_inline)) inline void
hsBlock(HsState &s, const __m512i *x) {
  __m512i twosA, twosB, foursA, foursB, eightsA, eightsB, sixteens;
  HS_CSA(twosA, s.ones, s.ones, x[0], x[1]);
  HS_CSA(twosB, s.ones, s.ones, x[2], x[3]);
  HS_CSA(foursA, s.twos, s.twos, twosA, twosB);
  HS_CSA(twosA, s.ones, s.ones, x[4], x[5]);
  HS_CSA(twosB, s.ones, s.ones, x[6], x[7]);
  HS_CSA(foursB, s.twos, s.twos, twosA, twosB);
  HS_CSA(eightsA, s.fours, s.fours, foursA, foursB);
  HS_CSA(twosA, s.ones, s.ones, x[8], x[9]);
  HS_CSA(twosB, s.ones, s.ones, x[10], x[11]);
  HS_CSA(foursA, s.twos, s.twos, twosA, twosB);
  HS_CSA(twosA, s.ones, s.ones, x[12], x[13]);
  HS_CSA(twosB, s.ones, s.ones, x[14], x[15]);
  HS_CSA(foursB, s.twos, s.twos, twosA, twosB);
  HS_CSA(eightsB, s.fours, s.fours, foursA, foursB);
  HS_CSA(sixteens, s.eights, s.eights, eightsA, eightsB);
  s.total = _mm512_add_epi64(s.total, avx512PopcntQwords(sixteens));
}

__attribute__((target("avx512f,avx512bw"), always_inline)) inline uint64_t
hsFinish(const HsState &s) {
  __m512i t = _mm512_slli_epi64(s.total, 4);
  t = _mm512_add_epi64(t, _mm512_slli_epi64(avx512PopcntQwords(s.eights), 3));
  t = _mm512_add_epi64(t, _mm512_slli_epi64(avx512PopcntQwords(s.fours), 2));
  t = _mm512_add_epi64(t, _mm512_slli_epi64(avx512PopcntQwords(s.twos), 1));
  t = _mm512_add_epi64(t, avx512PopcntQwords(s.ones));
  return _mm512_reduce_add_epi64(t);
}

__attribute__((target("avx512f,avx512bw"), noinline)) uint64_t
kernelHarleySeal(const uint64_t *src) {
  __m512i a0 = _mm512_load_si512(src + 0), a1 = _mm512_load_si512(src + 8);
  __m512i a2 = _mm512_load_si512(src + 16), a3 = _mm512_load_si512(src + 24);
  __m512i a4 = _mm512_load_si512(src + 32), a5 = _mm512_load_si512(src + 40);
  __m512i a6 = _mm512_load_si512(src + 48), a7 = _mm512_load_si512(src + 56);
  __m512i w0 = _mm512_load_si512(src + 64), w1 = _mm512_load_si512(src + 72);
  __m512i w2 = _mm512_load_si512(src + 80), w3 = _mm512_load_si512(src + 88);
  const __m512i zero = _mm512_setzero_si512();
  HsState s0{zero, zero, zero, zero, zero}, s1 = s0;
  for (int blk = 0; blk < kHsBlocks; ++blk) {
    TOUCH_V(a0); TOUCH_V(a1); TOUCH_V(a2); TOUCH_V(a3);
    TOUCH_V(a4); TOUCH_V(a5); TOUCH_V(a6); TOUCH_V(a7);
    TOUCH_V(w0); TOUCH_V(w1); TOUCH_V(w2); TOUCH_V(w3);
    // Output 0 uses weights (w0, w1), output 1 uses (w2, w3).
    __m512i x0[16] = {
        _mm512_xor_si512(a0, w0), _mm512_xor_si512(a0, w1),
        _mm512_xor_si512(a1, w0), _mm512_xor_si512(a1, w1),
        _mm512_xor_si512(a2, w0), _mm512_xor_si512(a2, w1),
        _mm512_xor_si512(a3, w0), _mm512_xor_si512(a3, w1),
        _mm512_xor_si512(a4, w0), _mm512_xor_si512(a4, w1),
        _mm512_xor_si512(a5, w0), _mm512_xor_si512(a5, w1),
        _mm512_xor_si512(a6, w0), _mm512_xor_si512(a6, w1),
        _mm512_xor_si512(a7, w0), _mm512_xor_si512(a7, w1)};
    hsBlock(s0, x0);
    __m512i x1[16] = {
        _mm512_xor_si512(a0, w2), _mm512_xor_si512(a0, w3),
        _mm512_xor_si512(a1, w2), _mm512_xor_si512(a1, w3),
        _mm512_xor_si512(a2, w2), _mm512_xor_si512(a2, w3),
        _mm512_xor_si512(a3, w2), _mm512_xor_si512(a3, w3),
        _mm512_xor_si512(a4, w2), _mm512_xor_si512(a4, w3),
        _mm512_xor_si512(a5, w2), _mm512_xor_si512(a5, w3),
        _mm512_xor_si512(a6, w2), _mm512_xor_si512(a6, w3),
        _mm512_xor_si512(a7, w2), _mm512_xor_si512(a7, w3)};
    hsBlock(s1, x1);
  }
  return hsFinish(s0) + hsFinish(s1);
}

//===----------------------------------------------------------------------===//
// Driver.
//===----------------------------------------------------------------------===//

using Kernel = uint64_t (*)(const uint64_t *);

// Runs `kernel` repeatedly; each call processes `bitsPerCall` binary MACs.
void runPeak(benchmark::State &state, Kernel kernel, uint64_t bitsPerCall) {
  uint64_t sink = 0;
  for (auto _ : state) {
    uint64_t r = kernel(gData);
    benchmark::DoNotOptimize(r);
    sink += r;
  }
  benchmark::DoNotOptimize(sink);
  double macs = double(bitsPerCall) * double(state.iterations());
  // One binary MAC per bit; 2 ops (xor + popcount-add) per MAC.
  state.counters["MACs/s"] = benchmark::Counter(macs, benchmark::Counter::kIsRate);
  state.counters["GOPS"] =
      benchmark::Counter(2.0 * macs / 1e9, benchmark::Counter::kIsRate);
}

// Registers one strategy. Besides the usual aggregates it reports "max":
// applied to the MACs/s counter that is the best repetition, the estimate
// of what the core can do when nothing else competes for its ports (the
// machine is shared, and a busy sibling hyperthread takes vector
// throughput away). make_table.py takes the peak from it, which keeps
// "percent of peak" conservative.
void registerPeak(const char *name, Kernel kernel, uint64_t bitsPerCall) {
  benchmark::RegisterBenchmark(name, runPeak, kernel, bitsPerCall)
      ->ComputeStatistics("max", [](const std::vector<double> &v) {
        return *std::max_element(v.begin(), v.end());
      });
}

// Cross-checks one kernel against the scalar one: a wrong kernel would
// report a meaningless throughput.
bool checkKernel(const char *name, uint64_t got, uint64_t want) {
  if (got == want)
    return true;
  std::fprintf(stderr, "PopcountPeak: %s self-check failed (%llu vs %llu)\n",
               name, (unsigned long long)got, (unsigned long long)want);
  return false;
}

// Sum over (activation i, weight j) pairs of popcount(a_i ^ w_j), where a_i
// and w_j are `words` consecutive words of gData at aBase / wBase, times reps.
uint64_t referenceSum(int aBase, int words, int wBase, const int (*pairs)[2],
                      int numPairs, uint64_t reps) {
  uint64_t s = 0;
  for (int p = 0; p < numPairs; ++p)
    for (int k = 0; k < words; ++k)
      s += __builtin_popcountll(gData[aBase + pairs[p][0] * words + k] ^
                                gData[wBase + pairs[p][1] * words + k]);
  return s * reps;
}

//===----------------------------------------------------------------------===//
// Streaming bound of a batch-1 dense layer: every weight bit is used once, so
// the layer reads its weights from the cache level they fit in (2 MiB for
// 4096 x 4096: L2 or L3) rather than computing from registers. This kernel
// is that layer with nothing else: one 512-bit input vector kept in a
// register, xor + vpopcntq + add over a buffer of the layer's weight bytes,
// four accumulators. Reported as MACs/s (one per weight bit) and bytes/s;
// the dense rows of the table are judged against it when it binds.
//===----------------------------------------------------------------------===//

constexpr size_t kStreamBytes = size_t(4096) * 4096 / 8;

__attribute__((target("avx512f,avx512vpopcntdq"), noinline)) uint64_t
kernelStreamVpopcntq(const uint64_t *weights, size_t bytes) {
  __m512i a = _mm512_set1_epi64(static_cast<long long>(gSeed));
  __m512i c[4];
  for (__m512i &v : c)
    v = _mm512_setzero_si512();
  for (size_t i = 0; i < bytes / 8; i += 32)
    for (int k = 0; k < 4; ++k)
      c[k] = _mm512_add_epi64(
          c[k], _mm512_popcnt_epi64(_mm512_xor_si512(
                    a, _mm512_load_si512(weights + i + 8 * k))));
  return _mm512_reduce_add_epi64(_mm512_add_epi64(
      _mm512_add_epi64(c[0], c[1]), _mm512_add_epi64(c[2], c[3])));
}

void runStream(benchmark::State &state) {
  // 64-byte aligned, for aligned vector loads.
  std::unique_ptr<uint64_t, decltype(&std::free)> buffer(
      static_cast<uint64_t *>(std::aligned_alloc(64, kStreamBytes)),
      &std::free);
  uint64_t *weights = buffer.get();
  if (!weights) {
    state.SkipWithError("out of memory");
    return;
  }
  uint64_t want = 0, seed = gSeed;
  for (size_t i = 0; i < kStreamBytes / 8; ++i) {
    weights[i] = gData[i % 128] ^ i;
    want += __builtin_popcountll(weights[i] ^ seed);
  }
  if (kernelStreamVpopcntq(weights, kStreamBytes) != want) {
    state.SkipWithError("stream kernel self-check failed");
    return;
  }
  for (auto _ : state)
    benchmark::DoNotOptimize(
        kernelStreamVpopcntq(weights, kStreamBytes));
  double bytes = double(kStreamBytes) * double(state.iterations());
  state.counters["bytes/s"] =
      benchmark::Counter(bytes, benchmark::Counter::kIsRate);
  state.counters["stream MACs/s"] =
      benchmark::Counter(8 * bytes, benchmark::Counter::kIsRate);
}

} // namespace

int main(int argc, char **argv) {
  fillData();
  __builtin_cpu_init();
  bool ok = true;

  // All A x W pairs of A activation and W weight registers.
  auto allPairs = [](int a, int w, int (*out)[2]) {
    int n = 0;
    for (int i = 0; i < a; ++i)
      for (int j = 0; j < w; ++j) {
        out[n][0] = i;
        out[n][1] = j;
        ++n;
      }
    return n;
  };
  int pairs[32][2]; // at most 8 x 4 (Harley-Seal)

  if (__builtin_cpu_supports("popcnt")) {
    int n = allPairs(2, 3, pairs);
    ok &= checkKernel("scalar", kernelScalar(gData),
                      referenceSum(0, 1, 2, pairs, n, kSteps));
    registerPeak("PopcountPeak/scalar_popcnt64", kernelScalar,
                 kScalarBitsPerCall);
  }
  if (__builtin_cpu_supports("avx2")) {
    int n = allPairs(2, 2, pairs);
    ok &= checkKernel("avx2", kernelAvx2Lut(gData),
                      referenceSum(0, 4, 8, pairs, n, kSteps));
    registerPeak("PopcountPeak/avx2_pshufb_lut", kernelAvx2Lut,
                 kAvx2LutBitsPerCall);
  }
  if (__builtin_cpu_supports("avx512f") &&
      __builtin_cpu_supports("avx512vpopcntdq")) {
    int n = allPairs(2, 4, pairs);
    ok &= checkKernel("vpopcntq", kernelVpopcntq(gData),
                      referenceSum(0, 8, 16, pairs, n, kSteps));
    registerPeak("PopcountPeak/avx512_vpopcntq", kernelVpopcntq,
                 kVpopcntqBitsPerCall);
  }
  if (__builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512bitalg")) {
    int n = allPairs(2, 4, pairs);
    ok &= checkKernel("vpopcntb", kernelVpopcntb(gData),
                      referenceSum(0, 8, 16, pairs, n, kSteps));
    registerPeak("PopcountPeak/avx512_bitalg_vpopcntb", kernelVpopcntb,
                 kVpopcntbBitsPerCall);
  }
  if (__builtin_cpu_supports("avx512bw")) {
    int n = allPairs(8, 4, pairs);
    ok &= checkKernel("harley-seal", kernelHarleySeal(gData),
                      referenceSum(0, 8, 64, pairs, n, kHsBlocks));
    registerPeak("PopcountPeak/avx512_harley_seal", kernelHarleySeal,
                 kHarleySealBitsPerCall);
  }
  if (__builtin_cpu_supports("avx512f") &&
      __builtin_cpu_supports("avx512vpopcntdq"))
    benchmark::RegisterBenchmark("StreamBound/dense_1x4096x4096_vpopcntq",
                                 runStream)
        ->UseRealTime()
        ->ComputeStatistics("max", [](const std::vector<double> &v) {
          return *std::max_element(v.begin(), v.end());
        });
  if (!ok)
    return 1;

  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv))
    return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
