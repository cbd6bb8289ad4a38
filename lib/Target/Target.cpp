//===- Target.cpp - code generation targets of bnn ------------------------===//

#include "bnn/Target/Target.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/CodeGen.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <mutex>

using namespace mlir;
using namespace mlir::bnn;

// x86-64 microarchitecture levels (the psABI's), each checked bit by bit.
// Leaf 1 ecx: SSE3 0, SSSE3 9, FMA 12, CX16 13, SSE4.1 19, SSE4.2 20,
// MOVBE 22, POPCNT 23, OSXSAVE 27, AVX 28, F16C 29. Leaf 7 ebx: BMI1 3,
// AVX2 5, BMI2 8, AVX512F 16, AVX512DQ 17, AVX512CD 28, AVX512BW 30,
// AVX512VL 31; ecx: VNNI 11, BITALG 12, VPOPCNTDQ 14. Leaf 0x80000001 ecx: LAHF 0,
// LZCNT 5.
#define BNN_X86_V2                                                             \
  {1, 0, 2, 0}, {1, 0, 2, 9}, {1, 0, 2, 13}, {1, 0, 2, 19}, {1, 0, 2, 20},    \
      {1, 0, 2, 23}, {0x80000001, 0, 2, 0}
#define BNN_X86_V3                                                             \
  BNN_X86_V2, {1, 0, 2, 12}, {1, 0, 2, 22}, {1, 0, 2, 27}, {1, 0, 2, 28},     \
      {1, 0, 2, 29}, {7, 0, 1, 3}, {7, 0, 1, 5}, {7, 0, 1, 8},                 \
      {0x80000001, 0, 2, 5}
static const CPUIDBit kX86V2[] = {BNN_X86_V2};
static const CPUIDBit kX86V3[] = {BNN_X86_V3};
static const CPUIDBit kX86V4Popcount[] = {
    BNN_X86_V3,     {7, 0, 1, 16}, {7, 0, 1, 17}, {7, 0, 1, 28},
    {7, 0, 1, 30},  {7, 0, 1, 31}, {7, 0, 2, 11}, {7, 0, 2, 12},
    {7, 0, 2, 14}};
#undef BNN_X86_V3
#undef BNN_X86_V2

// POPCNT (SSE4.2 level), AVX2 and AVX-512 with the vector popcount: the
// three popcount strategies of x86 (scalar, nibble lookup, vpopcntq). The
// AVX-512 variant also takes VNNI (vpdpbusd for int8), which every CPU
// with VPOPCNTDQ and BITALG but Knights Mill has.
// XCR0: SSE and AVX state (0x6), plus opmask and ZMM state (0xe0).
static const CodeVariant kX86Variants[] = {
    {"x86-64-v2", "x86-64-v2", "", kX86V2, 0},
    {"x86-64-v3", "x86-64-v3", "", kX86V3, 0x6},
    // Without -prefer-256-bit, x86-64-v4's tuning splits the 512-bit
    // vectors the vectorizers write into pairs of 256-bit ones (15% slower
    // on the 56x56x64 layer than -mcpu=znver5; the same speed without).
    {"x86-64-v4-vpopcntdq", "x86-64-v4",
     "+avx512vpopcntdq,+avx512bitalg,+avx512vnni,-prefer-256-bit",
     kX86V4Popcount, 0xe6},
};

// NEON everywhere, and the dot product (sdot: int8 convolutions take it
// with signed bytes, 4 multiply-adds per lane and instruction) where the
// kernel reports HWCAP_ASIMDDP (bit 20). Binary layers are the same code
// in both (cnt); generic tuning, so that the variant needs nothing else.
static const CodeVariant kAArch64Variants[] = {
    {"armv8-a", "generic", "", {}, 0, 0},
    {"armv8.2-a-dotprod", "generic", "+dotprod", {}, 0, uint64_t(1) << 20},
};

static const TargetDescription kTargets[] = {
    {/*name=*/"x86_64", /*triple=*/"x86_64-unknown-linux-gnu",
     /*defaultCPU=*/"x86-64", /*defaultFeatures=*/"",
     /*vectorRegisterBits=*/128, /*vectorRegisters=*/16,
     /*popcount=*/PopcountStrategy::Scalar,
     /*libmPath=*/"/lib/x86_64-linux-gnu/libm.so.6",
     /*openmpPath=*/"/usr/lib/x86_64-linux-gnu/libomp.so.5",
     /*requiredFeatures=*/"+64bit,+64bit-mode,+sse2,-soft-float",
     /*variants=*/kX86Variants},
    {/*name=*/"aarch64", /*triple=*/"aarch64-unknown-linux-gnu",
     /*defaultCPU=*/"generic", /*defaultFeatures=*/"+neon",
     /*vectorRegisterBits=*/128, /*vectorRegisters=*/32,
     /*popcount=*/PopcountStrategy::NeonCntWiden,
     /*libmPath=*/"/usr/aarch64-linux-gnu/lib/libm.so.6",
     /*openmpPath=*/"/usr/aarch64-linux-gnu/lib/libomp.so.5",
     /*requiredFeatures=*/"+fp-armv8,+neon",
     /*variants=*/kAArch64Variants},
};

llvm::StringRef bnn::stringifyPopcountStrategy(PopcountStrategy strategy) {
  switch (strategy) {
  case PopcountStrategy::Scalar:
    return "scalar";
  case PopcountStrategy::VectorNibbleLookup:
    return "vector-nibble-lookup";
  case PopcountStrategy::VectorPopcount:
    return "vector-popcount";
  case PopcountStrategy::NeonCntWiden:
    return "neon-cnt-widen";
  }
  return "";
}

llvm::ArrayRef<TargetDescription> bnn::getTargetDescriptions() {
  return kTargets;
}

const TargetDescription *bnn::lookupTargetDescription(llvm::StringRef name) {
  for (const TargetDescription &target : kTargets)
    if (target.name == name)
      return &target;
  return nullptr;
}

std::string bnn::listTargetNames() {
  std::string names;
  for (const TargetDescription &target : kTargets) {
    if (!names.empty())
      names += ", ";
    names += target.name.str();
  }
  return names;
}

void bnn::initializeLLVMTargets() {
  static std::once_flag once;
  std::call_once(once, [] {
    LLVMInitializeX86TargetInfo();
    LLVMInitializeX86Target();
    LLVMInitializeX86TargetMC();
    LLVMInitializeX86AsmPrinter();
    // The CPU detection of multi-variant artifacts is inline assembly.
    LLVMInitializeX86AsmParser();
    LLVMInitializeAArch64TargetInfo();
    LLVMInitializeAArch64Target();
    LLVMInitializeAArch64TargetMC();
    LLVMInitializeAArch64AsmPrinter();
    LLVMInitializeAArch64AsmParser();
  });
}

static llvm::Expected<const llvm::Target *>
lookupLLVMTarget(const TargetDescription &target) {
  initializeLLVMTargets();
  std::string error;
  const llvm::Target *llvmTarget =
      llvm::TargetRegistry::lookupTarget(llvm::Triple(target.triple), error);
  if (!llvmTarget)
    return llvm::createStringError("no LLVM back end for target " +
                                   target.name + ": " + error);
  return llvmTarget;
}

/// A subtarget of the default CPU without extra features: its tables list
/// every CPU and feature of the target. Creating it with user input would
/// print LLVM's own warnings for unknown names.
static llvm::Expected<std::unique_ptr<llvm::MCSubtargetInfo>>
createDefaultSubtargetInfo(const TargetDescription &target) {
  llvm::Expected<const llvm::Target *> llvmTarget = lookupLLVMTarget(target);
  if (!llvmTarget)
    return llvmTarget.takeError();
  std::unique_ptr<llvm::MCSubtargetInfo> sti(
      (*llvmTarget)
          ->createMCSubtargetInfo(llvm::Triple(target.triple),
                                  target.defaultCPU, ""));
  if (!sti)
    return llvm::createStringError("cannot create the subtarget of target " +
                                   target.name);
  return std::move(sti);
}

llvm::Error bnn::validateCPUAndFeatures(const TargetDescription &target,
                                        llvm::StringRef cpu,
                                        llvm::StringRef features) {
  if (isHostCPUName(cpu)) {
    std::string hostCPU = cpu.str(), hostFeatures = features.str();
    if (llvm::Error error = resolveHostCPU(target, hostCPU, hostFeatures))
      return error;
    return validateCPUAndFeatures(target, hostCPU, hostFeatures);
  }
  auto sti = createDefaultSubtargetInfo(target);
  if (!sti)
    return sti.takeError();
  if (!cpu.empty() && !(*sti)->isCPUStringValid(cpu))
    return llvm::createStringError("unknown CPU '" + cpu + "' for target " +
                                   target.name + " (-mcpu=help lists them)");
  llvm::ArrayRef<llvm::SubtargetFeatureKV> known =
      (*sti)->getAllProcessorFeatures();
  llvm::SmallVector<llvm::StringRef> entries;
  features.split(entries, ',', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (llvm::StringRef entry : entries) {
    llvm::StringRef feature = entry.trim();
    if (feature.empty())
      continue;
    if (feature[0] != '+' && feature[0] != '-')
      return llvm::createStringError("malformed feature '" + feature +
                                     "' for target " + target.name +
                                     " (expected +name or -name)");
    llvm::StringRef name = feature.drop_front();
    if (!llvm::any_of(known, [&](const llvm::SubtargetFeatureKV &kv) {
          return name == kv.Key;
        }))
      return llvm::createStringError("unknown feature '" + feature +
                                     "' for target " + target.name +
                                     " (-mattr=help lists them)");
  }
  // The names are valid: the subtarget they make can be asked what it has.
  llvm::Expected<const llvm::Target *> llvmTarget = lookupLLVMTarget(target);
  if (!llvmTarget)
    return llvmTarget.takeError();
  std::unique_ptr<llvm::MCSubtargetInfo> chosen(
      (*llvmTarget)
          ->createMCSubtargetInfo(llvm::Triple(target.triple),
                                  cpu.empty() ? target.defaultCPU : cpu,
                                  combineFeatures(target, features)));
  if (!chosen)
    return llvm::createStringError("cannot create the subtarget of target " +
                                   target.name);
  llvm::SmallVector<llvm::StringRef> required;
  target.requiredFeatures.split(required, ',', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef feature : required) {
    if (chosen->checkFeatures(feature))
      continue;
    bool wanted = feature.front() == '+';
    return llvm::createStringError(
        "CPU '" + (cpu.empty() ? target.defaultCPU : cpu) + "'" +
        (features.empty() ? "" : " with features '" + features + "'") +
        (wanted ? " lacks '" : " has '") + feature.drop_front() + "', which " +
        target.name + " code " + (wanted ? "needs" : "cannot use") +
        " (bnn generates 64-bit code with hardware floating point)");
  }
  return llvm::Error::success();
}

std::string bnn::combineFeatures(const TargetDescription &target,
                                 llvm::StringRef features) {
  llvm::SmallVector<llvm::StringRef> entries;
  target.defaultFeatures.split(entries, ',', -1, /*KeepEmpty=*/false);
  features.split(entries, ',', -1, /*KeepEmpty=*/false);
  llvm::SmallVector<llvm::StringRef> trimmed;
  for (llvm::StringRef entry : entries)
    if (!entry.trim().empty())
      trimmed.push_back(entry.trim());
  return llvm::join(trimmed, ",");
}

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
bnn::createTargetMachine(const TargetDescription &target, llvm::StringRef cpu,
                         llvm::StringRef features, unsigned optLevel) {
  std::optional<llvm::CodeGenOptLevel> level =
      optLevel <= 3 ? llvm::CodeGenOpt::getLevel(optLevel) : std::nullopt;
  if (!level)
    return llvm::createStringError("invalid optimization level " +
                                   llvm::Twine(optLevel) +
                                   " (expected 0, 1, 2 or 3)");
  if (llvm::Error error = validateCPUAndFeatures(target, cpu, features))
    return std::move(error);
  llvm::Expected<const llvm::Target *> llvmTarget = lookupLLVMTarget(target);
  if (!llvmTarget)
    return llvmTarget.takeError();

  llvm::StringRef effectiveCPU = cpu.empty() ? target.defaultCPU : cpu;
  std::string allFeatures = combineFeatures(target, features);
  llvm::TargetOptions targetOptions;
  std::unique_ptr<llvm::TargetMachine> machine(
      (*llvmTarget)
          ->createTargetMachine(llvm::Triple(target.triple), effectiveCPU,
                                allFeatures, targetOptions, llvm::Reloc::PIC_,
                                std::nullopt, *level));
  if (!machine)
    return llvm::createStringError("cannot create a target machine for " +
                                   target.name);
  return std::move(machine);
}

SubtargetSummary bnn::summarizeSubtarget(const TargetDescription &target,
                                         const llvm::TargetMachine &machine) {
  SubtargetSummary summary{target.vectorRegisterBits, target.vectorRegisters,
                           target.popcount, ByteDotInstruction::Generic,
                           /*nativeRoundEven=*/target.name == "aarch64"};
  const llvm::MCSubtargetInfo *sti = machine.getMCSubtargetInfo();
  if (!sti)
    return summary;
  if (target.name == "x86_64") {
    if (sti->checkFeatures("+avx512f")) {
      summary.vectorRegisterBits = 512;
      summary.vectorRegisters = 32;
    } else if (sti->checkFeatures("+avx"))
      summary.vectorRegisterBits = 256;
    summary.nativeRoundEven = sti->checkFeatures("+sse4.1");
    if (sti->checkFeatures("+avx512vpopcntdq"))
      summary.popcount = PopcountStrategy::VectorPopcount;
    else if (sti->checkFeatures("+ssse3"))
      summary.popcount = PopcountStrategy::VectorNibbleLookup;
    else
      summary.popcount = PopcountStrategy::Scalar;
    // vpdpbusd on the vectors the code uses: 512 bits need AVX512-VNNI,
    // 256 (and 128) bits AVX512-VNNI with VL or AVX-VNNI.
    if (sti->checkFeatures("+avx512vnni,+avx512vl") ||
        (summary.vectorRegisterBits < 512 && sti->checkFeatures("+avxvnni")))
      summary.byteDot = ByteDotInstruction::X86Vnni;
    else if ((summary.vectorRegisterBits == 512 &&
              sti->checkFeatures("+avx512bw")) ||
             (summary.vectorRegisterBits == 256 &&
              sti->checkFeatures("+avx2")) ||
             summary.vectorRegisterBits == 128)
      summary.byteDot = ByteDotInstruction::X86PmaddWd;
  } else if (target.name == "aarch64") {
    if (sti->checkFeatures("+i8mm"))
      summary.byteDot = ByteDotInstruction::ArmUsdot;
    else if (sti->checkFeatures("+dotprod"))
      summary.byteDot = ByteDotInstruction::ArmSdot;
  }
  return summary;
}

SubtargetSummary bnn::summarizeSubtarget(const TargetDescription &target,
                                         llvm::StringRef cpu,
                                         llvm::StringRef features) {
  initializeLLVMTargets();
  llvm::Expected<std::unique_ptr<llvm::TargetMachine>> machine =
      createTargetMachine(target, cpu, features, /*optLevel=*/0);
  if (!machine) {
    llvm::consumeError(machine.takeError());
    return {target.vectorRegisterBits, target.vectorRegisters,
            target.popcount, ByteDotInstruction::Generic,
            /*nativeRoundEven=*/false};
  }
  return summarizeSubtarget(target, **machine);
}

std::vector<std::string> bnn::listCPUs(const TargetDescription &target) {
  std::vector<std::string> names;
  auto sti = createDefaultSubtargetInfo(target);
  if (!sti) {
    llvm::consumeError(sti.takeError());
    return names;
  }
  for (const llvm::SubtargetSubTypeKV &kv :
       (*sti)->getAllProcessorDescriptions())
    names.push_back(kv.Key);
  llvm::sort(names);
  return names;
}

std::vector<std::string> bnn::listFeatures(const TargetDescription &target) {
  std::vector<std::string> names;
  auto sti = createDefaultSubtargetInfo(target);
  if (!sti) {
    llvm::consumeError(sti.takeError());
    return names;
  }
  for (const llvm::SubtargetFeatureKV &kv : (*sti)->getAllProcessorFeatures())
    names.push_back(kv.Key);
  llvm::sort(names);
  return names;
}

HostTarget bnn::describeHost() {
  HostTarget host;
  llvm::Triple triple(llvm::sys::getProcessTriple());
  if (triple.getArch() == llvm::Triple::x86_64)
    host.target = lookupTargetDescription("x86_64");
  else if (triple.getArch() == llvm::Triple::aarch64)
    host.target = lookupTargetDescription("aarch64");
  if (!host.target)
    return host;
  auto sti = createDefaultSubtargetInfo(*host.target);
  if (!sti) {
    llvm::consumeError(sti.takeError());
    return host;
  }
  llvm::StringRef cpu = llvm::sys::getHostCPUName();
  if (cpu != "generic" && (*sti)->isCPUStringValid(cpu))
    host.cpu = cpu.str();
  llvm::ArrayRef<llvm::SubtargetFeatureKV> known =
      (*sti)->getAllProcessorFeatures();
  // Sorted for a deterministic string: the map's order is unspecified.
  std::vector<std::string> entries;
  for (const auto &entry : llvm::sys::getHostCPUFeatures()) {
    llvm::StringRef name = entry.getKey();
    if (llvm::any_of(known, [&](const llvm::SubtargetFeatureKV &kv) {
          return name == kv.Key;
        }))
      entries.push_back((entry.getValue() ? "+" : "-") + name.str());
  }
  llvm::sort(entries);
  host.features = llvm::join(entries, ",");
  return host;
}

bool bnn::isHostCPUName(llvm::StringRef cpu) {
  return cpu == "native" || cpu == "host";
}

llvm::Error bnn::resolveHostCPU(const TargetDescription &target,
                                std::string &cpu, std::string &features) {
  if (!isHostCPUName(cpu))
    return llvm::Error::success();
  HostTarget host = describeHost();
  if (!host.target)
    return llvm::createStringError(
        "-mcpu=" + cpu + " names the CPU of this machine (" +
        llvm::sys::getProcessTriple() +
        "), for which bnn does not generate code; name a CPU of target " +
        target.name + " (-mcpu=help lists them)");
  if (host.target != &target)
    return llvm::createStringError(
        "-mcpu=" + cpu + " names the CPU of this machine, an " +
        host.target->name + " one, but the target is " + target.name +
        "; name an " + target.name + " CPU (-mcpu=help lists them)");
  cpu = host.cpu.empty() ? target.defaultCPU.str() : host.cpu;
  features = host.features.empty() ? features
             : features.empty()    ? host.features
                                   : host.features + "," + features;
  return llvm::Error::success();
}
