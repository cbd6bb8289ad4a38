//===- RegisterBlockTest.cpp - chooseRegisterBlock and vectorLanes --------===//
//
// The register block of a packed convolution is what its speed depends on.
// Hand-derived blocks for the targets' register files, and the contract of
// bnn/Codegen/Passes.h checked by brute force over a grid of shapes: sizes
// divide the ranges, the accumulators fit half the registers, and no block
// that fits has more accumulators.
//
//===----------------------------------------------------------------------===//

#include "bnn/Codegen/Passes.h"
#include "bnn/Dialect/BNN/Utils/LoweringUtils.h"

#include "gtest/gtest.h"

using namespace mlir::bnn;

namespace {

PackedConvTileOptions registers(unsigned bits, unsigned count) {
  PackedConvTileOptions options;
  options.vectorBits = bits;
  options.vectorRegisters = count;
  return options;
}

TEST(VectorLanes, HalvedUntilTheyDivideTheChannels) {
  EXPECT_EQ(vectorLanes(64, 128), 2);
  EXPECT_EQ(vectorLanes(64, 256), 4);
  EXPECT_EQ(vectorLanes(96, 512), 8);
  EXPECT_EQ(vectorLanes(4, 512), 4);
  EXPECT_EQ(vectorLanes(6, 512), 2);
  EXPECT_EQ(vectorLanes(3, 512), 1);
  EXPECT_EQ(vectorLanes(1, 64), 1);
  // A vector narrower than a word still gets one lane.
  EXPECT_EQ(vectorLanes(8, 32), 1);
}

TEST(ChooseRegisterBlock, HandDerivedBlocks) {
  // AVX-512: 32 registers of 8 words, 16 for accumulators. 56 columns and
  // 8 vectors of channels allow 14x1, 8x2, 4x4 and 2x8 blocks of 16 or
  // fewer; of the three with 16 accumulators the squarest is 4x4.
  RegisterBlock avx512 = chooseRegisterBlock(56, 64, registers(512, 32));
  EXPECT_EQ(avx512.pixels, 4);
  EXPECT_EQ(avx512.channels, 32);
  // AArch64 NEON: 32 registers of 2 words; 28 columns, 32 vectors: 4x4.
  RegisterBlock neon = chooseRegisterBlock(28, 64, registers(128, 32));
  EXPECT_EQ(neon.pixels, 4);
  EXPECT_EQ(neon.channels, 8);
  // AVX2: 16 registers of 4 words, 8 accumulators; 7 columns (prime) and 2
  // vectors: 7 pixels do not fit beside 2 vectors, so 1x2 or 7x1: 7x1.
  RegisterBlock avx2 = chooseRegisterBlock(7, 8, registers(256, 16));
  EXPECT_EQ(avx2.pixels, 7);
  EXPECT_EQ(avx2.channels, 4);
}

TEST(ChooseRegisterBlock, ExplicitSizesRoundDownToDivisors) {
  PackedConvTileOptions options = registers(512, 32);
  options.pixels = 5;    // 28 columns: 4
  options.channels = 48; // 8 vectors of 8 lanes: 6 vectors -> 4
  RegisterBlock block = chooseRegisterBlock(28, 64, options);
  EXPECT_EQ(block.pixels, 4);
  EXPECT_EQ(block.channels, 32);
  // Fewer channels than one vector: one vector of the lanes that divide.
  options.channels = 3;
  block = chooseRegisterBlock(28, 64, options);
  EXPECT_EQ(block.channels, 8);
}

TEST(ChooseRegisterBlock, MostAccumulatorsThatFit) {
  for (unsigned bits : {128u, 256u, 512u})
    for (unsigned count : {8u, 16u, 32u})
      for (int64_t columns = 1; columns <= 60; ++columns)
        for (int64_t channels : {1, 2, 3, 8, 24, 32, 64, 96, 128, 200, 256}) {
          PackedConvTileOptions options = registers(bits, count);
          RegisterBlock block = chooseRegisterBlock(columns, channels, options);
          int64_t lanes = vectorLanes(channels, bits);
          std::string where = "columns " + std::to_string(columns) +
                              ", channels " + std::to_string(channels) +
                              ", " + std::to_string(count) + "x" +
                              std::to_string(bits) + " bits";
          ASSERT_GT(block.pixels, 0) << where;
          ASSERT_GT(block.channels, 0) << where;
          EXPECT_EQ(columns % block.pixels, 0) << where;
          EXPECT_EQ(channels % block.channels, 0) << where;
          EXPECT_EQ(block.channels % lanes, 0) << where;
          int64_t budget = std::max<int64_t>(4, count / 2);
          int64_t accumulators = block.pixels * (block.channels / lanes);
          EXPECT_LE(accumulators, budget) << where;
          // No block of divisors that fits has more accumulators.
          for (int64_t px = 1; px <= columns; ++px)
            for (int64_t v = 1; v <= channels / lanes; ++v)
              if (columns % px == 0 && (channels / lanes) % v == 0 &&
                  px * v <= budget)
                EXPECT_LE(px * v, accumulators)
                    << where << ": " << px << "x" << v << " fits";
        }
}

} // namespace
