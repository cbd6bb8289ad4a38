//===- TargetTest.cpp - target descriptions and target machines -----------===//

#include "bnn/Target/Target.h"

#include "llvm/Target/TargetMachine.h"

#include "gtest/gtest.h"

using namespace mlir::bnn;

namespace {

TEST(Target, DescribesBothArchitectures) {
  ASSERT_EQ(getTargetDescriptions().size(), 2u);
  const TargetDescription *x86 = lookupTargetDescription("x86_64");
  ASSERT_NE(x86, nullptr);
  EXPECT_EQ(x86->triple, "x86_64-unknown-linux-gnu");
  EXPECT_EQ(x86->defaultCPU, "x86-64");
  const TargetDescription *arm = lookupTargetDescription("aarch64");
  ASSERT_NE(arm, nullptr);
  EXPECT_EQ(arm->triple, "aarch64-unknown-linux-gnu");
  EXPECT_EQ(arm->defaultCPU, "generic");
  EXPECT_EQ(arm->popcount, PopcountStrategy::NeonCntWiden);
  EXPECT_EQ(lookupTargetDescription("riscv64"), nullptr);
  EXPECT_EQ(lookupTargetDescription("X86_64"), nullptr);
  EXPECT_EQ(listTargetNames(), "x86_64, aarch64");
}

TEST(Target, CreatesMachinesForDefaultsAndUserChoices) {
  for (const TargetDescription &target : getTargetDescriptions()) {
    auto machine = createTargetMachine(target, "", "", 2);
    ASSERT_TRUE(bool(machine)) << llvm::toString(machine.takeError());
    EXPECT_EQ((*machine)->getTargetTriple().str(), target.triple);
    EXPECT_EQ((*machine)->getTargetCPU(), target.defaultCPU);
  }
  auto skx = createTargetMachine(*lookupTargetDescription("x86_64"),
                                 "skylake-avx512", "+avx512vpopcntdq,-fma", 3);
  ASSERT_TRUE(bool(skx)) << llvm::toString(skx.takeError());
  EXPECT_EQ((*skx)->getTargetCPU(), "skylake-avx512");
  EXPECT_EQ((*skx)->getTargetFeatureString(), "+avx512vpopcntdq,-fma");
  auto a64 = createTargetMachine(*lookupTargetDescription("aarch64"),
                                 "neoverse-n1", "+dotprod", 0);
  ASSERT_TRUE(bool(a64)) << llvm::toString(a64.takeError());
  EXPECT_EQ((*a64)->getTargetFeatureString(), "+neon,+dotprod");
}

TEST(Target, RejectsUnknownNamesWithClearMessages) {
  const TargetDescription &x86 = *lookupTargetDescription("x86_64");
  const TargetDescription &arm = *lookupTargetDescription("aarch64");
  auto message = [](llvm::Error error) {
    return error ? llvm::toString(std::move(error)) : std::string();
  };
  EXPECT_EQ(message(validateCPUAndFeatures(x86, "", "")), "");
  EXPECT_EQ(message(validateCPUAndFeatures(arm, "cortex-a53", "+neon,-sve")),
            "");
  EXPECT_EQ(message(validateCPUAndFeatures(arm, "foo", "")),
            "unknown CPU 'foo' for target aarch64 (-mcpu=help lists them)");
  EXPECT_EQ(message(validateCPUAndFeatures(x86, "cortex-a53", "")),
            "unknown CPU 'cortex-a53' for target x86_64 (-mcpu=help lists "
            "them)");
  EXPECT_EQ(message(validateCPUAndFeatures(x86, "", "+avx2,+avx9")),
            "unknown feature '+avx9' for target x86_64 (-mattr=help lists "
            "them)");
  EXPECT_EQ(message(validateCPUAndFeatures(x86, "", "avx2")),
            "malformed feature 'avx2' for target x86_64 (expected +name or "
            "-name)");

  auto badLevel = createTargetMachine(x86, "", "", 4);
  ASSERT_FALSE(bool(badLevel));
  EXPECT_EQ(llvm::toString(badLevel.takeError()),
            "invalid optimization level 4 (expected 0, 1, 2 or 3)");
  auto badCPU = createTargetMachine(arm, "foo", "", 2);
  ASSERT_FALSE(bool(badCPU));
  EXPECT_NE(llvm::toString(badCPU.takeError()).find("unknown CPU 'foo'"),
            std::string::npos);
}

TEST(Target, SummarizesTheSubtarget) {
  const TargetDescription &x86 = *lookupTargetDescription("x86_64");
  auto summarize = [&](const TargetDescription &target, llvm::StringRef cpu,
                       llvm::StringRef features) {
    auto machine = createTargetMachine(target, cpu, features, 2);
    EXPECT_TRUE(bool(machine));
    return summarizeSubtarget(target, **machine);
  };
  SubtargetSummary generic = summarize(x86, "", "");
  EXPECT_EQ(generic.vectorRegisterBits, 128u);
  EXPECT_EQ(generic.popcount, PopcountStrategy::Scalar);
  SubtargetSummary haswell = summarize(x86, "haswell", "");
  EXPECT_EQ(haswell.vectorRegisterBits, 256u);
  EXPECT_EQ(haswell.popcount, PopcountStrategy::VectorNibbleLookup);
  SubtargetSummary spr = summarize(x86, "sapphirerapids", "");
  EXPECT_EQ(spr.vectorRegisterBits, 512u);
  EXPECT_EQ(spr.popcount, PopcountStrategy::VectorPopcount);
  SubtargetSummary arm =
      summarize(*lookupTargetDescription("aarch64"), "neoverse-n1", "");
  EXPECT_EQ(arm.vectorRegisterBits, 128u);
  EXPECT_EQ(arm.popcount, PopcountStrategy::NeonCntWiden);
  EXPECT_EQ(stringifyPopcountStrategy(PopcountStrategy::VectorPopcount),
            "vector-popcount");
}

TEST(Target, ListsCPUsAndFeatures) {
  std::vector<std::string> cpus = listCPUs(*lookupTargetDescription("aarch64"));
  EXPECT_NE(std::find(cpus.begin(), cpus.end(), "neoverse-n1"), cpus.end());
  std::vector<std::string> features =
      listFeatures(*lookupTargetDescription("x86_64"));
  EXPECT_NE(std::find(features.begin(), features.end(), "avx512vpopcntdq"),
            features.end());
  EXPECT_TRUE(std::is_sorted(features.begin(), features.end()));
}

} // namespace
