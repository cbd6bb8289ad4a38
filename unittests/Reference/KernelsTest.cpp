//===- KernelsTest.cpp - reference kernels against hand-computed values ---===//
//
// Every expected value below follows from the operator definitions in
// BNNOps.td; the arithmetic is written next to it.
//
//===----------------------------------------------------------------------===//

#include "bnn/Reference/Kernels.h"

#include "gtest/gtest.h"

#include <array>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>

using namespace mlir::bnn;
using namespace mlir::bnn::ref;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// A binary (i1) tensor written as +1/-1 values: +1 is stored as 0, -1 as 1.
Tensor pm(std::vector<int64_t> shape, std::vector<int64_t> values) {
  std::vector<int64_t> bits;
  bits.reserve(values.size());
  for (int64_t v : values) {
    EXPECT_TRUE(v == 1 || v == -1) << "not a binary value: " << v;
    bits.push_back(v == -1 ? 1 : 0);
  }
  return Tensor::ofInts(ElementType::i1(), std::move(shape), std::move(bits));
}

Tensor ints(ElementType type, std::vector<int64_t> shape,
            std::vector<int64_t> values) {
  return Tensor::ofInts(type, std::move(shape), std::move(values));
}

Tensor i32s(std::vector<int64_t> shape, std::vector<int64_t> values) {
  return ints(ElementType::i32(), std::move(shape), std::move(values));
}

Tensor f32s(std::vector<int64_t> shape, std::vector<float> values) {
  return Tensor::ofFloats(std::move(shape), std::move(values));
}

Conv2DGeometry geometry(std::array<int64_t, 2> strides,
                        std::array<int64_t, 2> dilations,
                        std::array<int64_t, 4> padding, int64_t groups = 1) {
  Conv2DGeometry g;
  g.strideH = strides[0];
  g.strideW = strides[1];
  g.dilationH = dilations[0];
  g.dilationW = dilations[1];
  g.padTop = padding[0];
  g.padBottom = padding[1];
  g.padLeft = padding[2];
  g.padRight = padding[3];
  g.groups = groups;
  return g;
}

/// Runs ref::conv2d on already decoded operands after checking that the
/// hand-computed result shape agrees with the output-size rule of BNNOps.td.
Tensor conv(const Tensor &input, const Tensor &filter, const Conv2DGeometry &g,
            int64_t padValue, std::vector<int64_t> resultShape) {
  EXPECT_EQ(Conv2DGeometry::outputSize(input.dim(1), g.padTop, g.padBottom,
                                       filter.dim(1), g.strideH, g.dilationH),
            resultShape[1]);
  EXPECT_EQ(Conv2DGeometry::outputSize(input.dim(2), g.padLeft, g.padRight,
                                       filter.dim(2), g.strideW, g.dilationW),
            resultShape[2]);
  Tensor out = conv2d(input, filter, g, padValue, resultShape);
  EXPECT_EQ(out.type(), ElementType::i32());
  EXPECT_EQ(out.shape(), resultShape);
  return out;
}

/// Binary convolution: decodes both i1 operands first.
Tensor binaryConv(const Tensor &input, const Tensor &filter,
                  const Conv2DGeometry &g, int64_t padValue,
                  std::vector<int64_t> resultShape) {
  return conv(decodeToI64(input), decodeToI64(filter), g, padValue,
              std::move(resultShape));
}

using Ints = std::vector<int64_t>;

/// Population count by the classic SWAR reduction.
int64_t popcount64(uint64_t x) {
  x = x - ((x >> 1) & 0x5555555555555555ULL);
  x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
  return static_cast<int64_t>((x * 0x0101010101010101ULL) >> 56);
}

/// Packs a vector of 0/1 bits into 64-bit words (bit i of word i / 64).
std::vector<uint64_t> pack(const std::vector<int64_t> &bits) {
  std::vector<uint64_t> words((bits.size() + 63) / 64, 0);
  for (size_t i = 0; i < bits.size(); ++i)
    if (bits[i])
      words[i / 64] |= uint64_t(1) << (i % 64);
  return words;
}

/// K - 2 * popcount(a xor w) over packed words.
int64_t xnorDot(const std::vector<int64_t> &a, const std::vector<int64_t> &w) {
  std::vector<uint64_t> pa = pack(a), pw = pack(w);
  int64_t pop = 0;
  for (size_t i = 0; i < pa.size(); ++i)
    pop += popcount64(pa[i] ^ pw[i]);
  return static_cast<int64_t>(a.size()) - 2 * pop;
}

uint32_t floatBits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof(u));
  return u;
}

//===----------------------------------------------------------------------===//
// Decoding and zero points
//===----------------------------------------------------------------------===//

TEST(ReferenceKernels, DecodeToI64MapsBinaryBitsOnly) {
  // i1: stored 0 is +1, stored 1 is -1.
  Tensor b = decodeToI64(ints(ElementType::i1(), {4}, {0, 1, 1, 0}));
  EXPECT_EQ(b.type(), ElementType::i64());
  EXPECT_EQ(b.shape(), Ints({4}));
  EXPECT_EQ(b.ints(), Ints({1, -1, -1, 1}));

  // Unsigned low-bit values keep their value; ui1 is not binary.
  EXPECT_EQ(decodeToI64(ints(ElementType::ui(3), {3}, {0, 7, 4})).ints(),
            Ints({0, 7, 4}));
  EXPECT_EQ(decodeToI64(ints(ElementType::ui(1), {2}, {1, 0})).ints(),
            Ints({1, 0}));
  EXPECT_EQ(decodeToI64(ints(ElementType::ui(2), {4}, {0, 1, 2, 3})).ints(),
            Ints({0, 1, 2, 3}));
  EXPECT_EQ(decodeToI64(ints(ElementType::i8(), {3}, {-128, 0, 127})).ints(),
            Ints({-128, 0, 127}));
  Tensor d = decodeToI64(ints(ElementType::i1(), {2, 1, 1, 2}, {1, 0, 0, 1}));
  EXPECT_EQ(d.shape(), Ints({2, 1, 1, 2}));
}

TEST(ReferenceKernels, SubtractZeroPointPerTensor) {
  Tensor t = ints(ElementType::i8(), {2, 3}, {-128, 0, 127, 5, -5, 1});
  Tensor r = subtractZeroPoints(t, {-3});
  EXPECT_EQ(r.type(), ElementType::i64());
  EXPECT_EQ(r.shape(), Ints({2, 3}));
  // x - (-3) = x + 3; -128 + 3 = -125, 127 + 3 = 130 (leaves the i8 range).
  EXPECT_EQ(r.ints(), Ints({-125, 3, 130, 8, -2, 4}));
  // x - 127: -128 - 127 = -255.
  EXPECT_EQ(subtractZeroPoints(t, {127}).ints(),
            Ints({-255, -127, 0, -122, -132, -126}));
}

TEST(ReferenceKernels, SubtractZeroPointPerOutputChannel) {
  Tensor t = ints(ElementType::i8(), {2, 3}, {-128, 0, 127, 5, -5, 1});
  // Row 0 minus 1, row 1 minus -2: [-129, -1, 126], [7, -3, 3].
  EXPECT_EQ(subtractZeroPoints(t, {1, -2}).ints(),
            Ints({-129, -1, 126, 7, -3, 3}));

  // OHWI filter, zero point indexed by O: 3 x (1x2x1) elements.
  Tensor f = ints(ElementType::i8(), {3, 1, 2, 1}, {10, 20, 10, 20, 10, 20});
  // o0: [10-10, 20-10], o1: [10-0, 20-0], o2: [10+5, 20+5].
  EXPECT_EQ(subtractZeroPoints(f, {10, 0, -5}).ints(),
            Ints({0, 10, 10, 20, 15, 25}));
}

//===----------------------------------------------------------------------===//
// Binary convolution
//===----------------------------------------------------------------------===//

TEST(ReferenceKernels, BinaryConvPadValuesAsymmetricTopRight) {
  // a = [[1,-1,1],[-1,-1,1]] (1x2x3x1), w = [[1,1],[1,-1]] (1x2x2x1),
  // padding [top 1, bottom 0, left 0, right 2]: OH = (2+1+0-2)/1+1 = 2,
  // OW = (3+0+2-2)/1+1 = 4. out(y,x) = sum A(y+ky-1, x+kx) w(ky,kx), A = p
  // outside.
  Tensor a = pm({1, 2, 3, 1}, {1, -1, 1, -1, -1, 1});
  Tensor w = pm({1, 2, 2, 1}, {1, 1, 1, -1});
  Conv2DGeometry g = geometry({1, 1}, {1, 1}, {1, 0, 0, 2});
  // Row 0: ky=0 is all pad (2p); ky=1: (0,0):1+1=2, (0,1):-1-1=-2,
  // (0,2): 1-p, (0,3): p-p=0  ->  [2p+2, 2p-2, p+1, 2p].
  // Row 1: (1,0): (1-1)+(-1+1)=0, (1,1): (-1+1)+(-1-1)=-2,
  // (1,2): (1+p)+(1-p)=2, (1,3): (p+p)+(p-p)=2p  ->  [0, -2, 2, 2p].
  EXPECT_EQ(binaryConv(a, w, g, 0, {1, 2, 4, 1}).ints(),
            Ints({2, -2, 1, 0, 0, -2, 2, 0}));
  EXPECT_EQ(binaryConv(a, w, g, 1, {1, 2, 4, 1}).ints(),
            Ints({4, 0, 2, 2, 0, -2, 2, 2}));
  EXPECT_EQ(binaryConv(a, w, g, -1, {1, 2, 4, 1}).ints(),
            Ints({0, -4, 0, -2, 0, -2, 2, -2}));
}

TEST(ReferenceKernels, BinaryConvPadValuesAsymmetricBottomLeft) {
  // a = [[-1,1],[1,1]] (1x2x2x1), w = [[1,1],[1,-1]], padding [top 0,
  // bottom 2, left 1, right 0]: OH = (2+0+2-2)+1 = 3, OW = (2+1+0-2)+1 = 2.
  // out(y,x) = A(y,x-1) + A(y,x) + A(y+1,x-1) - A(y+1,x).
  Tensor a = pm({1, 2, 2, 1}, {-1, 1, 1, 1});
  Tensor w = pm({1, 2, 2, 1}, {1, 1, 1, -1});
  Conv2DGeometry g = geometry({1, 1}, {1, 1}, {0, 2, 1, 0});
  // (0,0): (p-1)+(p-1) = 2p-2; (0,1): (-1+1)+(1-1) = 0;
  // (1,0): (p+1)+(p-p) = p+1;  (1,1): (1+1)+(p-p) = 2;
  // (2,x): rows 2,3 are pad: (p+p)+(p-p) = 2p.
  EXPECT_EQ(binaryConv(a, w, g, 0, {1, 3, 2, 1}).ints(),
            Ints({-2, 0, 1, 2, 0, 0}));
  EXPECT_EQ(binaryConv(a, w, g, 1, {1, 3, 2, 1}).ints(),
            Ints({0, 0, 2, 2, 2, 2}));
  EXPECT_EQ(binaryConv(a, w, g, -1, {1, 3, 2, 1}).ints(),
            Ints({-4, 0, 0, 2, -2, -2}));
}

TEST(ReferenceKernels, BinaryConvPaddingDifferentOnEverySide) {
  // All-(+1) 1x2x2x1 input and 1x2x2x1 filter, padding [1, 2, 0, 3]:
  // OH = (2+1+2-2)+1 = 4, OW = (2+0+3-2)+1 = 4. Window rows y-1..y hold
  // [1,2,1,0] image rows, columns x..x+1 hold [2,1,0,0] image columns;
  // out = in + p * (4 - in) with in = rows * cols.
  Tensor a = pm({1, 2, 2, 1}, {1, 1, 1, 1});
  Tensor w = pm({1, 2, 2, 1}, {1, 1, 1, 1});
  Conv2DGeometry g = geometry({1, 1}, {1, 1}, {1, 2, 0, 3});
  // in = [[2,1,0,0],[4,2,0,0],[2,1,0,0],[0,0,0,0]].
  EXPECT_EQ(binaryConv(a, w, g, 0, {1, 4, 4, 1}).ints(),
            Ints({2, 1, 0, 0, 4, 2, 0, 0, 2, 1, 0, 0, 0, 0, 0, 0}));
  // in + (4 - in) = 4 everywhere.
  EXPECT_EQ(binaryConv(a, w, g, 1, {1, 4, 4, 1}).ints(), Ints(16, 4));
  // in - (4 - in) = 2 in - 4.
  EXPECT_EQ(binaryConv(a, w, g, -1, {1, 4, 4, 1}).ints(),
            Ints({0, -2, -4, -4, 4, 0, -4, -4, 0, -2, -4, -4, -4, -4, -4, -4}));
}

TEST(ReferenceKernels, BinaryConvStride2OddSizes) {
  // 1x5x7x1 input, +1 except -1 at (0,4), (1,6), (4,0), (3,3); all-(+1)
  // 3x3 filter, stride 2: OH = (5-3)/2+1 = 2, OW = (7-3)/2+1 = 3.
  // out = 9 - 2 * (#-1 in rows 2y..2y+2, cols 2x..2x+2).
  std::vector<int64_t> v(35, 1);
  v[0 * 7 + 4] = v[1 * 7 + 6] = v[4 * 7 + 0] = v[3 * 7 + 3] = -1;
  Tensor a = pm({1, 5, 7, 1}, v);
  Tensor w = pm({1, 3, 3, 1}, Ints(9, 1));
  Conv2DGeometry g = geometry({2, 2}, {1, 1}, {0, 0, 0, 0});
  // (0,0): none 9; (0,1): (0,4) 7; (0,2): (0,4),(1,6) 5;
  // (1,0): (4,0) 7; (1,1): (3,3) 7; (1,2): none 9.
  EXPECT_EQ(binaryConv(a, w, g, 0, {1, 2, 3, 1}).ints(),
            Ints({9, 7, 5, 7, 7, 9}));
}

TEST(ReferenceKernels, BinaryConvStride2OddSizesWithPadding) {
  // All-(+1) 1x5x5x1 input and 3x3 filter, stride 2, padding 1, pad -1:
  // OH = OW = (5+2-3)/2+1 = 3. Window rows 2y-1..2y+1 contain [2,3,2] image
  // rows; out = in - (9 - in) = 2 in - 9.
  Tensor a = pm({1, 5, 5, 1}, Ints(25, 1));
  Tensor w = pm({1, 3, 3, 1}, Ints(9, 1));
  Conv2DGeometry g = geometry({2, 2}, {1, 1}, {1, 1, 1, 1});
  // in = [[4,6,4],[6,9,6],[4,6,4]].
  EXPECT_EQ(binaryConv(a, w, g, -1, {1, 3, 3, 1}).ints(),
            Ints({-1, 3, -1, 3, 9, 3, -1, 3, -1}));
  // pad +1: every window sums to 9.
  EXPECT_EQ(binaryConv(a, w, g, 1, {1, 3, 3, 1}).ints(), Ints(9, 9));
  // pad 0: out = in.
  EXPECT_EQ(binaryConv(a, w, g, 0, {1, 3, 3, 1}).ints(),
            Ints({4, 6, 4, 6, 9, 6, 4, 6, 4}));
}

TEST(ReferenceKernels, BinaryConvStrideDiffersPerDimension) {
  // 1x3x6x1 input, +1 except -1 at (0,3), (1,0), (2,3), (2,4); all-(+1)
  // 1x2 filter, strides (2, 3): OH = (3-1)/2+1 = 2, OW = (6-2)/3+1 = 2.
  // out(y,x) = a(2y, 3x) + a(2y, 3x+1).
  std::vector<int64_t> v(18, 1);
  v[0 * 6 + 3] = v[1 * 6 + 0] = v[2 * 6 + 3] = v[2 * 6 + 4] = -1;
  Tensor a = pm({1, 3, 6, 1}, v);
  Tensor w = pm({1, 1, 2, 1}, {1, 1});
  Conv2DGeometry g = geometry({2, 3}, {1, 1}, {0, 0, 0, 0});
  // (0,0): a(0,0)+a(0,1) = 2; (0,1): a(0,3)+a(0,4) = -1+1 = 0;
  // (1,0): a(2,0)+a(2,1) = 2; (1,1): a(2,3)+a(2,4) = -2.
  EXPECT_EQ(binaryConv(a, w, g, 0, {1, 2, 2, 1}).ints(), Ints({2, 0, 2, -2}));
}

TEST(ReferenceKernels, BinaryConvDilation2) {
  // 1x5x5x1 input, +1 except -1 at (0,0), (2,3), (4,4); w = [[1,-1],[1,1]],
  // dilation 2: effective 3x3, OH = OW = 3.
  // out(y,x) = a(y,x) - a(y,x+2) + a(y+2,x) + a(y+2,x+2).
  std::vector<int64_t> v(25, 1);
  v[0] = v[2 * 5 + 3] = v[4 * 5 + 4] = -1;
  Tensor a = pm({1, 5, 5, 1}, v);
  Tensor w = pm({1, 2, 2, 1}, {1, -1, 1, 1});
  Conv2DGeometry g = geometry({1, 1}, {2, 2}, {0, 0, 0, 0});
  // (0,0): -1-1+1+1 = 0; (0,1): 1-1+1-1 = 0; (0,2): 1-1+1+1 = 2;
  // (1,*): 1-1+1+1 = 2; (2,0): 2; (2,1): 1-(-1)+1+1 = 4;
  // (2,2): 1-1+1-1 = 0.
  EXPECT_EQ(binaryConv(a, w, g, 0, {1, 3, 3, 1}).ints(),
            Ints({0, 0, 2, 2, 2, 2, 2, 4, 0}));
}

TEST(ReferenceKernels, BinaryConvDilationDiffersPerDimension) {
  // 1x3x5x1 input, +1 except -1 at (0,2), (1,1), (2,4); w = [[1,-1],[1,1]],
  // dilations (1, 2): OH = (3-2)+1 = 2, OW = (5-3)+1 = 3.
  // out(y,x) = a(y,x) - a(y,x+2) + a(y+1,x) + a(y+1,x+2).
  std::vector<int64_t> v(15, 1);
  v[0 * 5 + 2] = v[1 * 5 + 1] = v[2 * 5 + 4] = -1;
  Tensor a = pm({1, 3, 5, 1}, v);
  Tensor w = pm({1, 2, 2, 1}, {1, -1, 1, 1});
  Conv2DGeometry g = geometry({1, 1}, {1, 2}, {0, 0, 0, 0});
  // (0,0): 1+1+1+1 = 4; (0,1): 1-1-1+1 = 0; (0,2): -1-1+1+1 = 0;
  // (1,0): 1-1+1+1 = 2; (1,1): -1-1+1+1 = 0; (1,2): 1-1+1-1 = 0.
  EXPECT_EQ(binaryConv(a, w, g, 0, {1, 2, 3, 1}).ints(),
            Ints({4, 0, 0, 2, 0, 0}));
}

TEST(ReferenceKernels, BinaryConvDilation2WithPadding) {
  // All-(+1) 1x3x3x1 input and 2x2 filter, dilation 2, padding 2, pad -1:
  // OH = OW = (3+4-3)+1 = 5. Window rows {y-2, y} contain [1,1,2,1,1] image
  // rows; out = in - (4 - in) = 2 in - 4.
  Tensor a = pm({1, 3, 3, 1}, Ints(9, 1));
  Tensor w = pm({1, 2, 2, 1}, Ints(4, 1));
  Conv2DGeometry g = geometry({1, 1}, {2, 2}, {2, 2, 2, 2});
  // in row y = r(y) * [1,1,2,1,1], r = [1,1,2,1,1].
  EXPECT_EQ(binaryConv(a, w, g, -1, {1, 5, 5, 1}).ints(),
            Ints({-2, -2, 0, -2, -2, //
                  -2, -2, 0, -2, -2, //
                  0,  0,  4, 0,  0,  //
                  -2, -2, 0, -2, -2, //
                  -2, -2, 0, -2, -2}));
}

TEST(ReferenceKernels, BinaryConvGroups2) {
  // C = 4, groups = 2, O = 4: outputs 0,1 read channels 0,1; outputs 2,3
  // read channels 2,3. 1x1 image, 1x1 filter, two batch elements.
  Tensor a = pm({2, 1, 1, 4}, {1, -1, -1, -1, /**/ -1, -1, 1, 1});
  Tensor w = pm({4, 1, 1, 2}, {1, 1, /**/ 1, -1, /**/ 1, 1, /**/ -1, 1});
  Conv2DGeometry g = geometry({1, 1}, {1, 1}, {0, 0, 0, 0}, 2);
  // n0: o0 = 1-1 = 0, o1 = 1+1 = 2, o2 = -1-1 = -2, o3 = 1-1 = 0.
  // n1: o0 = -1-1 = -2, o1 = -1+1 = 0, o2 = 1+1 = 2, o3 = -1+1 = 0.
  EXPECT_EQ(binaryConv(a, w, g, 0, {2, 1, 1, 4}).ints(),
            Ints({0, 2, -2, 0, -2, 0, 2, 0}));
}

TEST(ReferenceKernels, BinaryConvDepthwiseMultiplier2) {
  // 1x2x2x3 input: ch0 all +1, ch1 -1 iff x == 1, ch2 all -1. groups = 3,
  // O = 6: output o reads channel o / 2. Even o: all-(+1) 2x2 filter; odd o:
  // [[-1,1],[1,1]]. Padding [0,1,0,1], pad +1: OH = OW = 2.
  std::vector<int64_t> v;
  for (int64_t y = 0; y < 2; ++y)
    for (int64_t x = 0; x < 2; ++x) {
      v.push_back(1);
      v.push_back(x == 1 ? -1 : 1);
      v.push_back(-1);
    }
  Tensor a = pm({1, 2, 2, 3}, v);
  std::vector<int64_t> f;
  for (int64_t o = 0; o < 6; ++o) {
    std::vector<int64_t> k = o % 2 ? Ints({-1, 1, 1, 1}) : Ints({1, 1, 1, 1});
    f.insert(f.end(), k.begin(), k.end());
  }
  Tensor w = pm({6, 2, 2, 1}, f);
  Conv2DGeometry g = geometry({1, 1}, {1, 1}, {0, 1, 0, 1}, 3);
  // Window of (y,x): A(y,x), A(y,x+1), A(y+1,x), A(y+1,x+1), pad = +1.
  // even: sum of four; odd: -A(y,x) + the other three.
  // ch0: 4 / 2 everywhere.
  // ch1 (0,0): [1,-1,1,-1] -> 0 / -2;  (0,1): [-1,p,-1,p] -> 0 / 2;
  //     (1,0): [1,-1,p,p] -> 2 / 0;    (1,1): [-1,p,p,p] -> 2 / 4.
  // ch2 (0,0): [-1,-1,-1,-1] -> -4 / -2; (0,1): [-1,p,-1,p] -> 0 / 2;
  //     (1,0): [-1,-1,p,p] -> 0 / 2;     (1,1): [-1,p,p,p] -> 2 / 4.
  EXPECT_EQ(binaryConv(a, w, g, 1, {1, 2, 2, 6}).ints(),
            Ints({4, 2, 0, -2, -4, -2, //
                  4, 2, 0, 2,  0,  2,  //
                  4, 2, 2, 0,  0,  2,  //
                  4, 2, 2, 4,  2,  4}));
}

TEST(ReferenceKernels, BinaryConvChannelsNotMultipleOfWordSize) {
  // 1x1x1xC input a_c = +1 for even c, -1 for odd c; 3x3xC filters, padding
  // 1 on a 1x1 image: the centre is the only in-bounds tap, 8 taps are pad.
  // o0: all +1; o1: w = a; o2: w_c = -1 for c < 10, +1 otherwise.
  // Let D = sum_c a_c (1 for odd C, 0 for even C).
  // o0 = D + 8pC; o1 = C + 8pD; o2 = D + 8p(C - 20) (first 10 a_c sum to 0).
  struct Case {
    int64_t c, pad;
    Ints expected;
  };
  const Case cases[] = {
      {33, 0, {1, 33, 1}},         // D = 1
      {33, 1, {265, 41, 105}},     // 1+264, 33+8, 1+8*13
      {33, -1, {-263, 25, -103}},  // 1-264, 33-8, 1-104
      {65, 0, {1, 65, 1}},         // D = 1
      {65, 1, {521, 73, 361}},     // 1+520, 65+8, 1+8*45
      {65, -1, {-519, 57, -359}},  // 1-520, 65-8, 1-360
      {100, 0, {0, 100, 0}},       // D = 0
      {100, 1, {800, 100, 640}},   // 8*100, 100+0, 8*80
      {100, -1, {-800, 100, -640}} // -800, 100, -640
  };
  for (const Case &cs : cases) {
    SCOPED_TRACE("C = " + std::to_string(cs.c) +
                 ", pad = " + std::to_string(cs.pad));
    std::vector<int64_t> av, wv;
    for (int64_t c = 0; c < cs.c; ++c)
      av.push_back(c % 2 ? -1 : 1);
    for (int64_t o = 0; o < 3; ++o)
      for (int64_t t = 0; t < 9; ++t)
        for (int64_t c = 0; c < cs.c; ++c)
          wv.push_back(o == 0 ? 1 : o == 1 ? av[c] : (c < 10 ? -1 : 1));
    Tensor a = pm({1, 1, 1, cs.c}, av);
    Tensor w = pm({3, 3, 3, cs.c}, wv);
    Conv2DGeometry g = geometry({1, 1}, {1, 1}, {1, 1, 1, 1});
    EXPECT_EQ(binaryConv(a, w, g, cs.pad, {1, 1, 1, 3}).ints(), cs.expected);
  }
}

TEST(ReferenceKernels, BinaryConvSpatialWithOddChannelCount) {
  // 1x2x2x33 input, all channels +1 at (0,0) and (1,1), alternating from
  // +1 at (0,1) and (1,0); all-(+1) 2x2x33 filter, no padding: one output =
  // 33 + 1 + 1 + 33 = 68.
  std::vector<int64_t> v;
  for (int64_t p = 0; p < 4; ++p)
    for (int64_t c = 0; c < 33; ++c)
      v.push_back((p == 1 || p == 2) && c % 2 ? -1 : 1);
  Tensor a = pm({1, 2, 2, 33}, v);
  Tensor w = pm({1, 2, 2, 33}, Ints(4 * 33, 1));
  EXPECT_EQ(
      binaryConv(a, w, geometry({1, 1}, {1, 1}, {0, 0, 0, 0}), 0, {1, 1, 1, 1})
          .ints(),
      Ints({68}));
}

TEST(ReferenceKernels, BinaryProductIsKMinusTwicePopcountOfXor) {
  std::mt19937_64 rng(20240611);
  for (int64_t k : {1, 7, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129, 1000}) {
    SCOPED_TRACE("K = " + std::to_string(k));
    const int64_t n = 3, o = 4;
    std::vector<std::vector<int64_t>> a(n), w(o);
    std::vector<int64_t> aFlat, wFlat;
    for (auto &row : a)
      for (int64_t i = 0; i < k; ++i) {
        row.push_back(static_cast<int64_t>(rng() >> 63));
        aFlat.push_back(row.back());
      }
    for (auto &row : w)
      for (int64_t i = 0; i < k; ++i) {
        row.push_back(static_cast<int64_t>(rng() >> 63));
        wFlat.push_back(row.back());
      }
    std::vector<int64_t> expected;
    for (int64_t b = 0; b < n; ++b)
      for (int64_t oc = 0; oc < o; ++oc)
        expected.push_back(xnorDot(a[b], w[oc]));

    Tensor at = ints(ElementType::i1(), {n, k}, aFlat);
    Tensor wt = ints(ElementType::i1(), {o, k}, wFlat);
    Tensor d = dense(decodeToI64(at), decodeToI64(wt));
    EXPECT_EQ(d.shape(), Ints({n, o}));
    EXPECT_EQ(d.ints(), expected);

    // The same vectors as 1x1 images with K channels.
    Tensor c =
        binaryConv(at.reshaped({n, 1, 1, k}), wt.reshaped({o, 1, 1, k}),
                   geometry({1, 1}, {1, 1}, {0, 0, 0, 0}), 0, {n, 1, 1, o});
    EXPECT_EQ(c.ints(), expected);
  }
}

TEST(ReferenceKernels, BinaryConvPaddedMatchesXorPopcountOfPaddedImage) {
  // 3x3 convolution with padding 1 on a 3x4 image of K random channels. For
  // pad +1/-1 the window is a bit vector of 9K bits with pad bits 0/1, and
  // the result is 9K - 2 popcount(window xor filter); for pad 0 only the
  // in-bounds taps enter, each contributing K - 2 popcount.
  std::mt19937_64 rng(7);
  const int64_t h = 3, w = 4, o = 2;
  for (int64_t k : {5, 33, 65, 100}) {
    std::vector<int64_t> img, filt;
    for (int64_t i = 0; i < h * w * k; ++i)
      img.push_back(static_cast<int64_t>(rng() >> 63));
    for (int64_t i = 0; i < o * 9 * k; ++i)
      filt.push_back(static_cast<int64_t>(rng() >> 63));
    Tensor a = ints(ElementType::i1(), {1, h, w, k}, img);
    Tensor f = ints(ElementType::i1(), {o, 3, 3, k}, filt);
    for (int64_t pad : {0, 1, -1}) {
      SCOPED_TRACE("K = " + std::to_string(k) +
                   ", pad = " + std::to_string(pad));
      std::vector<int64_t> expected;
      for (int64_t y = 0; y < h; ++y)
        for (int64_t x = 0; x < w; ++x)
          for (int64_t oc = 0; oc < o; ++oc) {
            std::vector<int64_t> win, fil;
            for (int64_t ky = 0; ky < 3; ++ky)
              for (int64_t kx = 0; kx < 3; ++kx) {
                int64_t iy = y + ky - 1, ix = x + kx - 1;
                bool inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
                if (!inside && pad == 0)
                  continue;
                for (int64_t c = 0; c < k; ++c) {
                  win.push_back(inside ? img[(iy * w + ix) * k + c]
                                       : (pad == -1 ? 1 : 0));
                  fil.push_back(filt[((oc * 3 + ky) * 3 + kx) * k + c]);
                }
              }
            expected.push_back(xnorDot(win, fil));
          }
      EXPECT_EQ(binaryConv(a, f, geometry({1, 1}, {1, 1}, {1, 1, 1, 1}), pad,
                           {1, h, w, o})
                    .ints(),
                expected);
    }
  }
}

//===----------------------------------------------------------------------===//
// Bit-serial convolution
//===----------------------------------------------------------------------===//

TEST(ReferenceKernels, BitserialConvUi3TimesBinaryWeights) {
  // A = [[7,1],[2,6]] (ui3), w = [[1,-1],[-1,1]] (i1), padding 1, pad 0:
  // OH = OW = (2+2-2)+1 = 3.
  // out(y,x) = A(y-1,x-1) - A(y-1,x) - A(y,x-1) + A(y,x).
  Tensor a = ints(ElementType::ui(3), {1, 2, 2, 1}, {7, 1, 2, 6});
  Tensor w = pm({1, 2, 2, 1}, {1, -1, -1, 1});
  Conv2DGeometry g = geometry({1, 1}, {1, 1}, {1, 1, 1, 1});
  // (0,0) 7; (0,1) -7+1 = -6; (0,2) -1; (1,0) -7+2 = -5;
  // (1,1) 7-1-2+6 = 10; (1,2) 1-6 = -5; (2,0) -2; (2,1) 2-6 = -4; (2,2) 6.
  EXPECT_EQ(conv(decodeToI64(a), decodeToI64(w), g, 0, {1, 3, 3, 1}).ints(),
            Ints({7, -6, -1, -5, 10, -5, -2, -4, 6}));
}

TEST(ReferenceKernels, BitserialConvUi3TimesUi2Weights) {
  // A = [[7,1],[2,6]] (ui3), w = [[3,0],[1,2]] (ui2), padding 1, pad 0.
  // out(y,x) = 3 A(y-1,x-1) + 0 A(y-1,x) + A(y,x-1) + 2 A(y,x).
  Tensor a = ints(ElementType::ui(3), {1, 2, 2, 1}, {7, 1, 2, 6});
  Tensor w = ints(ElementType::ui(2), {1, 2, 2, 1}, {3, 0, 1, 2});
  Conv2DGeometry g = geometry({1, 1}, {1, 1}, {1, 1, 1, 1});
  // (0,0) 2*7 = 14; (0,1) 7+2*1 = 9; (0,2) 1; (1,0) 2*2 = 4;
  // (1,1) 3*7+2+2*6 = 35; (1,2) 3*1+6 = 9; (2,0) 0; (2,1) 3*2 = 6;
  // (2,2) 3*6 = 18. (Total 96 = sum A 16 * sum w 6.)
  EXPECT_EQ(conv(decodeToI64(a), decodeToI64(w), g, 0, {1, 3, 3, 1}).ints(),
            Ints({14, 9, 1, 4, 35, 9, 0, 6, 18}));
}

TEST(ReferenceKernels, BitserialConvMaxValuesOddChannels) {
  // 1x1x1x65 ui3 input all 7, ui2 filter all 3 and i1 filter alternating
  // +1/-1 from +1: 7*3*65 = 1365 and 7 * (33 - 32) = 7.
  Tensor a = ints(ElementType::ui(3), {1, 1, 1, 65}, Ints(65, 7));
  Tensor w2 = ints(ElementType::ui(2), {1, 1, 1, 65}, Ints(65, 3));
  std::vector<int64_t> alt;
  for (int64_t c = 0; c < 65; ++c)
    alt.push_back(c % 2 ? -1 : 1);
  Tensor w1 = pm({1, 1, 1, 65}, alt);
  Conv2DGeometry g = geometry({1, 1}, {1, 1}, {0, 0, 0, 0});
  EXPECT_EQ(conv(decodeToI64(a), decodeToI64(w2), g, 0, {1, 1, 1, 1}).ints(),
            Ints({1365}));
  EXPECT_EQ(conv(decodeToI64(a), decodeToI64(w1), g, 0, {1, 1, 1, 1}).ints(),
            Ints({7}));
}

//===----------------------------------------------------------------------===//
// int8 convolution
//===----------------------------------------------------------------------===//

TEST(ReferenceKernels, Int8ConvZeroPointsAndPadding) {
  // Input [[10,12],[7,5]] with input zero point 5 -> A' = [[5,7],[2,0]].
  // Filters o0 = [[1,2],[3,4]], o1 = [[-2,0],[1,-1]] with per-channel
  // weight zero points {1, -1} -> W0 = [[0,1],[2,3]], W1 = [[-1,1],[2,0]].
  // Padding [1,0,0,1], pad 0 (real zero): OH = (2+1-2)+1 = 2, OW = 2.
  // out(y,x,o) = sum A'(y+ky-1, x+kx) W_o(ky,kx).
  Tensor in = ints(ElementType::i8(), {1, 2, 2, 1}, {10, 12, 7, 5});
  Tensor f = ints(ElementType::i8(), {2, 2, 2, 1}, {1, 2, 3, 4, -2, 0, 1, -1});
  Tensor a = subtractZeroPoints(in, {5});
  Tensor w = subtractZeroPoints(f, {1, -1});
  EXPECT_EQ(a.ints(), Ints({5, 7, 2, 0}));
  EXPECT_EQ(w.ints(), Ints({0, 1, 2, 3, -1, 1, 2, 0}));
  Conv2DGeometry g = geometry({1, 1}, {1, 1}, {1, 0, 0, 1});
  // (0,0): row 0 only at ky=1: o0 5*2+7*3 = 31, o1 5*2+7*0 = 10.
  // (0,1): 7 and pad: o0 7*2 = 14, o1 7*2 = 14.
  // (1,0): [5,7;2,0]: o0 0+7+4+0 = 11, o1 -5+7+4+0 = 6.
  // (1,1): [7,pad;0,pad]: o0 7*0 = 0, o1 7*(-1) = -7.
  EXPECT_EQ(conv(a, w, g, 0, {1, 2, 2, 2}).ints(),
            Ints({31, 10, 14, 14, 11, 6, 0, -7}));
}

TEST(ReferenceKernels, Int8ConvPerTensorWeightZeroPointExtremes) {
  // Input -128 with zero point 127 -> -255; weight 127 with zero point -128
  // -> 255. 1x1 image, 3x3 filter, padding 1: only the centre counts:
  // -255 * 255 = -65025.
  Tensor a =
      subtractZeroPoints(ints(ElementType::i8(), {1, 1, 1, 1}, {-128}), {127});
  Tensor w = subtractZeroPoints(
      ints(ElementType::i8(), {1, 3, 3, 1}, Ints(9, 127)), {-128});
  EXPECT_EQ(conv(a, w, geometry({1, 1}, {1, 1}, {1, 1, 1, 1}), 0, {1, 1, 1, 1})
                .ints(),
            Ints({-65025}));
}

//===----------------------------------------------------------------------===//
// Dense
//===----------------------------------------------------------------------===//

TEST(ReferenceKernels, BinaryDense) {
  // a0 = all +1, a1 = [-1,1,-1,1,-1]; w0 = all +1, w1 = all -1,
  // w2 = [1,-1,-1,1,1].
  Tensor a = pm({2, 5}, {1, 1, 1, 1, 1, -1, 1, -1, 1, -1});
  Tensor w = pm({3, 5}, {1, 1, 1, 1, 1, -1, -1, -1, -1, -1, 1, -1, -1, 1, 1});
  Tensor d = dense(decodeToI64(a), decodeToI64(w));
  EXPECT_EQ(d.type(), ElementType::i32());
  EXPECT_EQ(d.shape(), Ints({2, 3}));
  // a0: 5, -5, 1-1-1+1+1 = 1; a1: -1, 1, -1-1+1+1-1 = -1.
  EXPECT_EQ(d.ints(), Ints({5, -5, 1, -1, 1, -1}));
}

TEST(ReferenceKernels, BitserialDenseUi3) {
  Tensor a = ints(ElementType::ui(3), {2, 4}, {7, 0, 5, 3, 1, 2, 4, 6});
  // Binary weights [1,-1,-1,1] and [-1,-1,-1,-1].
  Tensor w1 = pm({2, 4}, {1, -1, -1, 1, -1, -1, -1, -1});
  // row 0: 7-0-5+3 = 5, -(7+0+5+3) = -15; row 1: 1-2-4+6 = 1, -13.
  EXPECT_EQ(dense(decodeToI64(a), decodeToI64(w1)).ints(),
            Ints({5, -15, 1, -13}));
  // ui2 weights [3,2,1,0] and [1,1,1,1].
  Tensor w2 = ints(ElementType::ui(2), {2, 4}, {3, 2, 1, 0, 1, 1, 1, 1});
  // row 0: 21+0+5+0 = 26, 15; row 1: 3+4+4+0 = 11, 13.
  EXPECT_EQ(dense(decodeToI64(a), decodeToI64(w2)).ints(),
            Ints({26, 15, 11, 13}));
}

TEST(ReferenceKernels, Int8DenseWithZeroPoints) {
  // a = [10,-20,3] - 2 = [8,-22,1]; w = [[1,2,3],[-1,0,1]] minus {0, 1} =
  // [[1,2,3],[-2,-1,0]]. o0: 8-44+3 = -33; o1: -16+22+0 = 6.
  Tensor a =
      subtractZeroPoints(ints(ElementType::i8(), {1, 3}, {10, -20, 3}), {2});
  Tensor w = subtractZeroPoints(
      ints(ElementType::i8(), {2, 3}, {1, 2, 3, -1, 0, 1}), {0, 1});
  EXPECT_EQ(dense(a, w).ints(), Ints({-33, 6}));
  // Per-tensor weight zero point -1: [[2,3,4],[0,1,2]]; o0 16-66+4 = -46,
  // o1 0-22+2 = -20.
  Tensor w2 = subtractZeroPoints(
      ints(ElementType::i8(), {2, 3}, {1, 2, 3, -1, 0, 1}), {-1});
  EXPECT_EQ(dense(a, w2).ints(), Ints({-46, -20}));
}

TEST(ReferenceKernels, Int8DenseAccumulatorWrapsAtI32) {
  // 127 * 127 * 140000 = 2258060000 > INT32_MAX; wraps to
  // 2258060000 - 2^32 = -2036907296.
  const int64_t k = 140000;
  Tensor a = decodeToI64(ints(ElementType::i8(), {1, k}, Ints(k, 127)));
  Tensor w = decodeToI64(ints(ElementType::i8(), {1, k}, Ints(k, 127)));
  EXPECT_EQ(dense(a, w).ints(), Ints({-2036907296}));

  // (-128)^2 * 2^17 = 2^31 wraps to -2^31; one more product 1*1 gives
  // 2^31 + 1 -> -2147483647.
  const int64_t k2 = int64_t(1) << 17;
  Tensor b = decodeToI64(ints(ElementType::i8(), {1, k2}, Ints(k2, -128)));
  EXPECT_EQ(dense(b, b).ints(), Ints({INT32_MIN}));
  Ints c(k2 + 1, -128);
  c.back() = 1;
  Tensor ct = decodeToI64(ints(ElementType::i8(), {1, k2 + 1}, c));
  EXPECT_EQ(dense(ct, ct).ints(), Ints({-2147483647}));
}

TEST(ReferenceKernels, Int8ConvAccumulatorWrapsAtI32) {
  // 1x1 image with 2^17 channels of -128 against a filter of -128:
  // 2^14 * 2^17 = 2^31 wraps to -2^31. With 2 output channels, the second
  // filter of +127: -128*127*2^17 = -2130706432 stays in range.
  const int64_t k = int64_t(1) << 17;
  Tensor a = ints(ElementType::i64(), {1, 1, 1, k}, Ints(k, -128));
  Ints wv(k, -128);
  wv.insert(wv.end(), k, 127);
  Tensor w = ints(ElementType::i64(), {2, 1, 1, k}, wv);
  EXPECT_EQ(conv(a, w, geometry({1, 1}, {1, 1}, {0, 0, 0, 0}), 0, {1, 1, 1, 2})
                .ints(),
            Ints({INT32_MIN, -2130706432}));
}

//===----------------------------------------------------------------------===//
// Binarize / unbinarize
//===----------------------------------------------------------------------===//

TEST(ReferenceKernels, BinarizeBySign) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float tiny = std::numeric_limits<float>::denorm_min();
  const float inf = std::numeric_limits<float>::infinity();
  Tensor x = f32s({2, 6}, {1.0f, -1.0f, 0.0f, -0.0f, nan,
                           std::copysign(nan, -1.0f), -tiny, tiny, inf, -inf,
                           -std::numeric_limits<float>::min(), 1e-30f});
  Tensor b = binarize(x);
  EXPECT_EQ(b.type(), ElementType::i1());
  EXPECT_EQ(b.shape(), Ints({2, 6}));
  // -1 (bit 1) iff x < 0: -0.0 and both NaNs are not < 0.
  EXPECT_EQ(b.ints(), Ints({0, 1, 0, 0, 0, 0, 1, 0, 0, 1, 1, 0}));
}

TEST(ReferenceKernels, UnbinarizeExact) {
  Tensor f = unbinarize(ints(ElementType::i1(), {1, 3}, {0, 1, 0}));
  EXPECT_EQ(f.type(), ElementType::f32());
  EXPECT_EQ(f.shape(), Ints({1, 3}));
  ASSERT_EQ(f.floats().size(), 3u);
  EXPECT_EQ(floatBits(f.floats()[0]), floatBits(1.0f));
  EXPECT_EQ(floatBits(f.floats()[1]), floatBits(-1.0f));
  EXPECT_EQ(floatBits(f.floats()[2]), floatBits(1.0f));
  // binarize(unbinarize(b)) == b.
  Tensor b = ints(ElementType::i1(), {4}, {1, 0, 0, 1});
  EXPECT_EQ(binarize(unbinarize(b)), b);
}

//===----------------------------------------------------------------------===//
// acc_to_float
//===----------------------------------------------------------------------===//

TEST(ReferenceKernels, AccToFloatPerChannel) {
  Tensor acc = i32s({2, 3}, {1, 2, 3, -4, 5, -6});
  Tensor m = f32s({3}, {0.5f, 2.0f, -1.0f});
  Tensor b = f32s({3}, {1.0f, 0.0f, 0.25f});
  Tensor r = accToFloat(acc, m, b);
  EXPECT_EQ(r.type(), ElementType::f32());
  EXPECT_EQ(r.shape(), Ints({2, 3}));
  // [1*0.5+1, 2*2+0, 3*-1+0.25; -4*0.5+1, 5*2+0, -6*-1+0.25]
  EXPECT_EQ(r.floats(),
            std::vector<float>({1.5f, 4.0f, -2.75f, -1.0f, 10.0f, 6.25f}));
}

TEST(ReferenceKernels, AccToFloatSingleElementParameters) {
  Tensor acc = i32s({1, 2, 1, 3}, {0, 1, -2, 3, 4, -5});
  // m = 3, b = -1 for every channel: 3a - 1.
  EXPECT_EQ(accToFloat(acc, f32s({1}, {3.0f}), f32s({1}, {-1.0f})).floats(),
            std::vector<float>({-1.0f, 2.0f, -7.0f, 8.0f, 11.0f, -16.0f}));
  // Single multiplier 2, per-channel bias [0, 10, 100]: 2a + b[c].
  EXPECT_EQ(accToFloat(acc, f32s({1}, {2.0f}), f32s({3}, {0.0f, 10.0f, 100.0f}))
                .floats(),
            std::vector<float>({0.0f, 12.0f, 96.0f, 6.0f, 18.0f, 90.0f}));
  // Per-channel multiplier [1, -1, 0.5], single bias 0.5.
  EXPECT_EQ(accToFloat(acc, f32s({3}, {1.0f, -1.0f, 0.5f}), f32s({1}, {0.5f}))
                .floats(),
            std::vector<float>({0.5f, -0.5f, -0.5f, 3.5f, -3.5f, -2.0f}));
}

TEST(ReferenceKernels, AccToFloatRoundsProductBeforeAddition) {
  // 4097 * 4097 = 16785409 = 2^24 + 2^13 + 1: halfway between the f32
  // neighbours 16785408 and 16785410, ties-to-even gives 16785408; adding
  // -16785408 gives 0. A fused multiply-add would give exactly 1.
  const float m = 4097.0f, b = -16785408.0f;
  volatile float x = 4097.0f;
  EXPECT_EQ(std::fma(x, m, b), 1.0f);
  Tensor r = accToFloat(i32s({1}, {4097}), f32s({1}, {m}), f32s({1}, {b}));
  EXPECT_EQ(r.floats(), std::vector<float>({0.0f}));
}

TEST(ReferenceKernels, AccToFloatConversionRoundsToNearestEven) {
  // 2^24 + 1 lies halfway between 2^24 and 2^24 + 2: even -> 16777216.
  // 2^24 + 3 lies halfway between 2^24 + 2 and 2^24 + 4: even -> 16777220.
  // INT32_MAX = 2^31 - 1 rounds to 2^31; INT32_MIN is exact.
  Tensor r = accToFloat(i32s({4}, {16777217, 16777219, INT32_MAX, INT32_MIN}),
                        f32s({1}, {1.0f}), f32s({1}, {0.0f}));
  EXPECT_EQ(r.floats(), std::vector<float>({16777216.0f, 16777220.0f,
                                            2147483648.0f, -2147483648.0f}));
  // The rounded conversion enters the product: f32(2^24 + 1) * 3 =
  // 2^24 * 3 = 50331648, whereas the exact 50331651 would round to 50331652.
  EXPECT_EQ(
      accToFloat(i32s({1}, {16777217}), f32s({1}, {3.0f}), f32s({1}, {0.0f}))
          .floats(),
      std::vector<float>({50331648.0f}));
}

//===----------------------------------------------------------------------===//
// Threshold
//===----------------------------------------------------------------------===//

TEST(ReferenceKernels, ThresholdBothDirectionsAndEquality) {
  // Channels: t = [5, 5, -3, -3], directions [>=, <=, >=, <=].
  Tensor acc = i32s({3, 4}, {5, 5, -3, -3,   // equality: all +1
                             6, 6, -2, -2,   // above
                             4, 4, -4, -4}); // below
  Tensor t = i32s({4}, {5, 5, -3, -3});
  Tensor d = ints(ElementType::i1(), {4}, {0, 1, 0, 1});
  Tensor r = threshold(acc, t, d);
  EXPECT_EQ(r.type(), ElementType::i1());
  EXPECT_EQ(r.shape(), Ints({3, 4}));
  // >=: 5>=5 +1, 6>=5 +1, 4>=5 -1. <=: 5<=5 +1, 6<=5 -1, 4<=5 +1.
  EXPECT_EQ(r.ints(), Ints({0, 0, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0}));
}

TEST(ReferenceKernels, ThresholdSingleElementParameters) {
  Tensor acc = i32s({2, 1, 3}, {-1, 0, 1, 2, 3, 4});
  // acc >= 2 for every channel.
  EXPECT_EQ(
      threshold(acc, i32s({1}, {2}), ints(ElementType::i1(), {1}, {0})).ints(),
      Ints({1, 1, 1, 0, 0, 0}));
  // acc <= 0.
  EXPECT_EQ(
      threshold(acc, i32s({1}, {0}), ints(ElementType::i1(), {1}, {1})).ints(),
      Ints({0, 0, 1, 1, 1, 1}));
  // Per-channel thresholds [0, 1, 2], single direction <=.
  EXPECT_EQ(
      threshold(acc, i32s({3}, {0, 1, 2}), ints(ElementType::i1(), {1}, {1}))
          .ints(),
      Ints({0, 0, 0, 1, 1, 1}));
}

TEST(ReferenceKernels, ThresholdInt32Extremes) {
  Tensor acc = i32s({5, 1}, {INT32_MIN, -1, 0, INT32_MAX - 1, INT32_MAX});
  auto run = [&](int64_t t, int64_t dir) {
    return threshold(acc, i32s({1}, {t}), ints(ElementType::i1(), {1}, {dir}))
        .ints();
  };
  // acc >= INT32_MIN always holds: all +1.
  EXPECT_EQ(run(INT32_MIN, 0), Ints({0, 0, 0, 0, 0}));
  // acc >= INT32_MAX only for INT32_MAX itself.
  EXPECT_EQ(run(INT32_MAX, 0), Ints({1, 1, 1, 1, 0}));
  // acc <= INT32_MAX always holds.
  EXPECT_EQ(run(INT32_MAX, 1), Ints({0, 0, 0, 0, 0}));
  // acc <= INT32_MIN only for INT32_MIN itself.
  EXPECT_EQ(run(INT32_MIN, 1), Ints({0, 1, 1, 1, 1}));
}

//===----------------------------------------------------------------------===//
// MultiThreshold
//===----------------------------------------------------------------------===//

TEST(ReferenceKernels, MultiThresholdCountsPerChannelAndDirection) {
  // Channel 0: t = [-1, 0, 3], >=; channel 1: t = [2, -5, 2] (unsorted,
  // repeated), <=.
  Tensor acc = i32s({4, 2}, {-2, -6, 0, -5, 3, 2, 7, 3});
  Tensor t = i32s({2, 3}, {-1, 0, 3, 2, -5, 2});
  Tensor d = ints(ElementType::i1(), {2}, {0, 1});
  Tensor r = multiThreshold(acc, t, d, ElementType::ui(2));
  EXPECT_EQ(r.type(), ElementType::ui(2));
  EXPECT_EQ(r.shape(), Ints({4, 2}));
  // >=: -2 -> 0, 0 -> 2 (-1, 0), 3 -> 3, 7 -> 3.
  // <=: -6 -> 3, -5 -> 3 (equality), 2 -> 2 (2, 2), 3 -> 0.
  EXPECT_EQ(r.ints(), Ints({0, 3, 2, 3, 3, 2, 3, 0}));
}

TEST(ReferenceKernels, MultiThresholdSingleRowAndDirection) {
  Tensor acc = i32s({1, 3}, {-1, 1, 5});
  // One row [0, 4] and one direction (>=) for every channel.
  EXPECT_EQ(multiThreshold(acc, i32s({1, 2}, {0, 4}),
                           ints(ElementType::i1(), {1}, {0}),
                           ElementType::ui(3))
                .ints(),
            Ints({0, 1, 2}));
  // One row, per-channel directions [<=, >=, <=].
  EXPECT_EQ(multiThreshold(acc, i32s({1, 2}, {0, 4}),
                           ints(ElementType::i1(), {3}, {1, 0, 1}),
                           ElementType::ui(3))
                .ints(),
            Ints({2, 1, 0}));
  // Per-channel rows [[1], [1], [5]], single direction <=, ui1.
  EXPECT_EQ(multiThreshold(acc, i32s({3, 1}, {1, 1, 5}),
                           ints(ElementType::i1(), {1}, {1}),
                           ElementType::ui(1))
                .ints(),
            Ints({1, 1, 1}));
}

TEST(ReferenceKernels, MultiThresholdInt32Extremes) {
  Tensor acc = i32s({3, 1}, {INT32_MIN, 0, INT32_MAX});
  Tensor t = i32s({1, 3}, {INT32_MIN, 0, INT32_MAX});
  // >=: INT32_MIN reaches 1 level, 0 two, INT32_MAX all three.
  EXPECT_EQ(multiThreshold(acc, t, ints(ElementType::i1(), {1}, {0}),
                           ElementType::ui(2))
                .ints(),
            Ints({1, 2, 3}));
  // <=: the mirror image.
  EXPECT_EQ(multiThreshold(acc, t, ints(ElementType::i1(), {1}, {1}),
                           ElementType::ui(2))
                .ints(),
            Ints({3, 2, 1}));
}

TEST(ReferenceKernels, MultiThresholdAllLevelsOfUi8) {
  // 255 thresholds 0, 1, ..., 254 (>=): the count is clamp(acc + 1, 0, 255).
  std::vector<int64_t> levels(255);
  for (int64_t j = 0; j < 255; ++j)
    levels[j] = j;
  Tensor acc = i32s({5}, {-1, 0, 100, 254, 1000});
  EXPECT_EQ(multiThreshold(acc, i32s({1, 255}, levels),
                           ints(ElementType::i1(), {1}, {0}),
                           ElementType::ui(8))
                .ints(),
            Ints({0, 1, 101, 255, 255}));
}

//===----------------------------------------------------------------------===//
// Requantize
//===----------------------------------------------------------------------===//

TEST(ReferenceKernels, RequantizeRoundsHalfToEven) {
  Tensor acc = i32s({8}, {5, 7, -5, 1, 3, -1, -7, 9});
  Tensor s = f32s({1}, {0.5f});
  // *0.5: 2.5 3.5 -2.5 0.5 1.5 -0.5 -3.5 4.5 -> 2 4 -2 0 2 0 -4 4.
  Tensor r = requantize(acc, s, 0, -128, 127);
  EXPECT_EQ(r.type(), ElementType::i8());
  EXPECT_EQ(r.shape(), Ints({8}));
  EXPECT_EQ(r.ints(), Ints({2, 4, -2, 0, 2, 0, -4, 4}));
  // Zero point -4 is added after rounding: -2 0 -6 -4 -2 -4 -8 0.
  EXPECT_EQ(requantize(acc, s, -4, -128, 127).ints(),
            Ints({-2, 0, -6, -4, -2, -4, -8, 0}));
  // Non-ties: 0.75 * [1, -1, 3] = 0.75 -0.75 2.25 -> 1 -1 2.
  EXPECT_EQ(requantize(i32s({3}, {1, -1, 3}), f32s({1}, {0.75f}), 0, -128, 127)
                .ints(),
            Ints({1, -1, 2}));
}

TEST(ReferenceKernels, RequantizeRoundsTheF32Product) {
  // s = 13981014 / 2^24 (the f32 just above 5/6). 3 s = 41943042 / 2^24 =
  // 2.5 + 2^-23 exactly, which lies halfway between the f32 neighbours 2.5
  // and 2.5 + 2^-22; the f32 product is 2.5 (even), and roundeven(2.5) = 2.
  // Rounding the exact product would give 3.
  const float s = 13981014.0f / 16777216.0f;
  EXPECT_EQ(requantize(i32s({2}, {3, -3}), f32s({1}, {s}), 0, -128, 127).ints(),
            Ints({2, -2}));

  // The conversion is rounded too: f32(2^24 + 1) = 2^24, times 5 * 2^-25
  // gives 2.5 -> 2; the exact 2.5 + 5 * 2^-25 would round up to 3.
  EXPECT_EQ(requantize(i32s({2}, {16777217, -16777217}),
                       f32s({1}, {5.0f / 33554432.0f}), 0, -128, 127)
                .ints(),
            Ints({2, -2}));
}

TEST(ReferenceKernels, RequantizeClamps) {
  // Default clamp: 1000 -> 127, -1000 -> -128; 127 and -128 stay.
  EXPECT_EQ(requantize(i32s({4}, {1000, -1000, 127, -128}), f32s({1}, {1.0f}),
                       0, -128, 127)
                .ints(),
            Ints({127, -128, 127, -128}));
  // Clamp [-10, 20], zero point 3, scale 0.25: 100 -> 25+3 = 28 -> 20;
  // -100 -> -25+3 = -22 -> -10; 5 -> 1.25 -> 1, +3 = 4; 68 -> 17+3 = 20;
  // -52 -> -13+3 = -10.
  EXPECT_EQ(requantize(i32s({5}, {100, -100, 5, 68, -52}), f32s({1}, {0.25f}),
                       3, -10, 20)
                .ints(),
            Ints({20, -10, 4, 20, -10}));
  // The zero point is added before clamping: 120 + 10 = 130 -> 127.
  EXPECT_EQ(requantize(i32s({2}, {120, -120}), f32s({1}, {1.0f}), 10, -128, 127)
                .ints(),
            Ints({127, -110}));
  // Fused ReLU: clamp_min = zero point -5: -7 -> -12 -> -5; 7 -> 2.
  EXPECT_EQ(
      requantize(i32s({2}, {-7, 7}), f32s({1}, {1.0f}), -5, -5, 127).ints(),
      Ints({-5, 2}));
  // Far beyond i32 range after scaling still clamps: INT32_MAX * 1000.
  EXPECT_EQ(requantize(i32s({2}, {INT32_MAX, INT32_MIN}), f32s({1}, {1000.0f}),
                       0, -128, 127)
                .ints(),
            Ints({127, -128}));
}

TEST(ReferenceKernels, RequantizePerChannelScale) {
  // Channels scale [0.5, 0.25, 3]: row 10 -> 5, 2.5->2, 30; row -10 -> -5,
  // -2.5 -> -2, -30.
  Tensor acc = i32s({2, 3}, {10, 10, 10, -10, -10, -10});
  EXPECT_EQ(
      requantize(acc, f32s({3}, {0.5f, 0.25f, 3.0f}), 0, -128, 127).ints(),
      Ints({5, 2, 30, -5, -2, -30}));
  // 4-D acc, channel is the last dimension: 1x1x2x2 with scales [1, -1].
  Tensor acc4 = i32s({1, 1, 2, 2}, {7, 7, -3, -3});
  EXPECT_EQ(requantize(acc4, f32s({2}, {1.0f, -1.0f}), 1, -128, 127).ints(),
            Ints({8, -6, -2, 4}));
}

//===----------------------------------------------------------------------===//
// Quantize
//===----------------------------------------------------------------------===//

TEST(ReferenceKernels, QuantizeRoundsHalfToEvenThenAddsZeroPoint) {
  Tensor x = f32s({8}, {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, -2.5f, 3.7f, -3.2f});
  Tensor s = f32s({1}, {1.0f});
  // 0 2 2 -0 -2 -2 4 -3.
  Tensor r = quantize(x, s, ElementType::i8(), 0, -128, 127);
  EXPECT_EQ(r.type(), ElementType::i8());
  EXPECT_EQ(r.shape(), Ints({8}));
  EXPECT_EQ(r.ints(), Ints({0, 2, 2, 0, -2, -2, 4, -3}));
  // Zero point 5, added after rounding: 5 7 7 5 3 3 9 2.
  EXPECT_EQ(quantize(x, s, ElementType::i8(), 5, -128, 127).ints(),
            Ints({5, 7, 7, 5, 3, 3, 9, 2}));
}

TEST(ReferenceKernels, QuantizePerChannelScaleOnTheLastDimension) {
  // 1x2x2 with scales [0.5, 4]: (3, 0.3) -> 1.5 -> 2, 1.2 -> 1;
  // (-3, -0.375) -> -1.5 -> -2, -1.5 -> -2.
  Tensor x = f32s({1, 2, 2}, {3.0f, 0.3f, -3.0f, -0.375f});
  EXPECT_EQ(
      quantize(x, f32s({2}, {0.5f, 4.0f}), ElementType::i8(), 0, -128, 127)
          .ints(),
      Ints({2, 1, -2, -2}));
}

TEST(ReferenceKernels, QuantizeUnsignedRanges) {
  Tensor x = f32s({5}, {-1.0f, 0.6f, 2.5f, 3.5f, 300.0f});
  Tensor one = f32s({1}, {1.0f});
  // ui2 [0, 3]: -1 -> 0, 1, 2, 4 -> 3, 300 -> 3.
  Tensor r = quantize(x, one, ElementType::ui(2), 0, 0, 3);
  EXPECT_EQ(r.type(), ElementType::ui(2));
  EXPECT_EQ(r.ints(), Ints({0, 1, 2, 3, 3}));
  // ui8 [0, 255], zero point 128: 127 129 130 132 428 -> 255.
  EXPECT_EQ(quantize(x, one, ElementType::ui(8), 128, 0, 255).ints(),
            Ints({127, 129, 130, 132, 255}));
  // ui1 with clamp [0, 0]: always 0.
  EXPECT_EQ(quantize(x, one, ElementType::ui(1), 1, 0, 0).ints(),
            Ints({0, 0, 0, 0, 0}));
}

TEST(ReferenceKernels, QuantizeSaturatesAndMapsNaNToTheZeroPoint) {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  // Zero point 3, clamp [-10, 50]: NaN -> 3; +-inf -> 50 / -10; 3e9,
  // -3e9 (beyond int32) and 1e38 -> 50, -10, 50; -0.0 -> 3.
  Tensor x = f32s({7}, {nan, inf, -inf, 3.0e9f, -3.0e9f, 1.0e38f, -0.0f});
  EXPECT_EQ(
      quantize(x, f32s({1}, {1.0f}), ElementType::i8(), 3, -10, 50).ints(),
      Ints({3, 50, -10, 50, -10, 50, 3}));
  // A NaN product gives clamp(zero point): with clamp [5, 50], 5; inf * 0
  // is NaN too.
  EXPECT_EQ(quantize(f32s({2}, {nan, inf}), f32s({1}, {0.0f}),
                     ElementType::i8(), 3, 5, 50)
                .ints(),
            Ints({5, 5}));
  // The product overflows to +-inf: 3e38 * 4 -> 127, -3e38 * 4 -> -128.
  EXPECT_EQ(quantize(f32s({2}, {3.0e38f, -3.0e38f}), f32s({1}, {4.0f}),
                     ElementType::i8(), 0, -128, 127)
                .ints(),
            Ints({127, -128}));
}

TEST(ReferenceKernels, QuantizeRoundsTheF32Product) {
  // s = 13981014 / 2^24; 3 s = 2.5 + 2^-23 exactly, a tie between the f32
  // neighbours 2.5 and 2.5 + 2^-22: the f32 product is 2.5 and roundeven
  // gives 2 (the exact product would give 3).
  const float s = 13981014.0f / 16777216.0f;
  EXPECT_EQ(quantize(f32s({2}, {3.0f, -3.0f}), f32s({1}, {s}),
                     ElementType::i8(), 0, -128, 127)
                .ints(),
            Ints({2, -2}));
}

//===----------------------------------------------------------------------===//
// Binary max pool
//===----------------------------------------------------------------------===//

TEST(ReferenceKernels, BinaryMaxPoolPaddingIgnoredWithStride) {
  // 1x3x3x2, kernel 2x2, stride 2, padding [1,0,1,0]: OH = OW =
  // (3+1+0-2)/2+1 = 2. Windows: rows {0} / {1,2}, cols {0} / {1,2}.
  // ch0 = [[-1,1,-1],[-1,-1,-1],[-1,-1,1]];
  // ch1 = all -1 except (2,0) = +1.
  std::vector<int64_t> ch0 = {-1, 1, -1, -1, -1, -1, -1, -1, 1};
  std::vector<int64_t> v;
  for (int64_t i = 0; i < 9; ++i) {
    v.push_back(ch0[i]);
    v.push_back(i == 6 ? 1 : -1);
  }
  Tensor in = pm({1, 3, 3, 2}, v);
  Conv2DGeometry g = geometry({2, 2}, {1, 1}, {1, 0, 1, 0});
  Tensor r = binaryMaxPool2d(in, 2, 2, g, {1, 2, 2, 2});
  EXPECT_EQ(r.type(), ElementType::i1());
  EXPECT_EQ(r.shape(), Ints({1, 2, 2, 2}));
  // ch0: (0,0) {(0,0)}=-1; (0,1) {(0,1),(0,2)} has +1; (1,0) {(1,0),(2,0)}
  // = -1; (1,1) {(1,1),(1,2),(2,1),(2,2)} has +1.
  // ch1: only window (1,0) contains (2,0).
  // bits (ch0, ch1): (0,0) 1,1; (0,1) 0,1; (1,0) 1,0; (1,1) 0,1.
  EXPECT_EQ(r.ints(), Ints({1, 1, 0, 1, 1, 0, 0, 1}));
}

TEST(ReferenceKernels, BinaryMaxPoolAllMinusOneWindowGivesMinusOne) {
  // All -1 input 1x2x2x1, kernel 3x3, padding 1: OH = OW = (2+2-3)+1 = 2.
  // Padding does not count as +1, so every window is -1.
  Tensor in = pm({1, 2, 2, 1}, {-1, -1, -1, -1});
  Tensor r = binaryMaxPool2d(in, 3, 3, geometry({1, 1}, {1, 1}, {1, 1, 1, 1}),
                             {1, 2, 2, 1});
  EXPECT_EQ(r.ints(), Ints({1, 1, 1, 1}));
  // A single +1 at (1,1) reaches every window.
  Tensor in2 = pm({1, 2, 2, 1}, {-1, -1, -1, 1});
  EXPECT_EQ(binaryMaxPool2d(in2, 3, 3, geometry({1, 1}, {1, 1}, {1, 1, 1, 1}),
                            {1, 2, 2, 1})
                .ints(),
            Ints({0, 0, 0, 0}));
}

TEST(ReferenceKernels, BinaryMaxPoolStrideAndKernelPerDimension) {
  // 2x2x5x1 (batch 2), kernel 1x3, strides (1, 2), no padding:
  // OH = 2, OW = (5-3)/2+1 = 2. Windows cols {0,1,2} and {2,3,4}.
  // n0 row0 = [1,-1,-1,-1,-1] -> +1, -1; row1 = [-1,-1,1,-1,-1] -> +1, +1.
  // n1 row0 = all -1 -> -1, -1; row1 = [-1,-1,-1,-1,1] -> -1, +1.
  Tensor in = pm({2, 2, 5, 1}, {1,  -1, -1, -1, -1, -1, -1, 1,  -1, -1,
                                -1, -1, -1, -1, -1, -1, -1, -1, -1, 1});
  EXPECT_EQ(binaryMaxPool2d(in, 1, 3, geometry({1, 2}, {1, 1}, {0, 0, 0, 0}),
                            {2, 2, 2, 1})
                .ints(),
            Ints({0, 1, 0, 0, 1, 1, 1, 0}));
}

} // namespace
