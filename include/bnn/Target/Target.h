//===- Target.h - code generation targets of bnn ----------------*- C++ -*-===//
//
// The targets bnn compiles for, as data: one TargetDescription per supported
// architecture (LLVM triple, default CPU and features, vector width, popcount
// strategy), lookup by name, and the creation of a validated
// llvm::TargetMachine from a description plus user -mcpu / -mattr / -O.
//
//===----------------------------------------------------------------------===//

#ifndef BNN_TARGET_TARGET_H
#define BNN_TARGET_TARGET_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace llvm {
class TargetMachine;
} // namespace llvm

namespace mlir {
namespace bnn {

/// How popcounts over packed words are best computed on a (sub)target. The
/// optimising lowering picks its inner loops from this.
enum class PopcountStrategy {
  /// Scalar popcount of 64-bit words (x86 POPCNT, or bit arithmetic where the
  /// instruction is missing).
  Scalar,
  /// Vector popcount through a 16-entry nibble table and byte shuffles
  /// (SSSE3 pshufb / AVX2 vpshufb), accumulated with psadbw.
  VectorNibbleLookup,
  /// Native vector popcount instructions (AVX-512 VPOPCNTDQ / BITALG).
  VectorPopcount,
  /// NEON `cnt` on bytes, widened lazily into wider accumulators with
  /// `uadalp`.
  NeonCntWiden,
};

/// The instruction int8 dot products (four u8 x s8 products summed into
/// each i32 lane) are computed with.
enum class ByteDotInstruction {
  /// Widening multiplies and adds that LLVM selects for any target
  /// (pmaddwd on x86, smull/smlal on NEON).
  Generic,
  /// x86 VNNI vpdpbusd (AVX512-VNNI, or AVX-VNNI for 256 and 128 bits).
  X86Vnni,
  /// x86 pmaddwd on the even and the odd bytes widened to 16 bits in place
  /// (SSE2; AVX2 for 256 bits, AVX512-BW for 512): exact, unlike
  /// pmaddubsw, whose 16-bit pair sums saturate.
  X86PmaddWd,
  /// AArch64 usdot (the I8MM extension).
  ArmUsdot,
  /// AArch64 sdot (the dot-product extension) on the input bytes made
  /// signed (xor 0x80), less the sdot of -128 and the weights.
  ArmSdot,
};

/// "scalar", "vector-nibble-lookup", "vector-popcount", "neon-cnt-widen".
llvm::StringRef stringifyPopcountStrategy(PopcountStrategy strategy);

/// A CPUID bit (x86): cpuid(leaf, subleaf) register `reg` (0 eax, 1 ebx,
/// 2 ecx, 3 edx), bit `bit`. A leaf above the CPU's highest basic or
/// extended leaf reads as zero bits.
struct CPUIDBit {
  uint32_t leaf, subleaf;
  uint8_t reg, bit;
};

/// One code variant of a multi-variant artifact: the code compiled for
/// `cpu` plus `features`, run where the CPU has every `cpuid` bit and the
/// OS saves the register state `xcr0` (XGETBV bits; 0: none needed) on
/// x86-64, and where the kernel reports every `hwcap` bit (getauxval
/// AT_HWCAP) on AArch64.
struct CodeVariant {
  llvm::StringRef name;
  llvm::StringRef cpu;
  llvm::StringRef features;
  llvm::ArrayRef<CPUIDBit> cpuid;
  uint64_t xcr0;
  uint64_t hwcap = 0;
};

/// One architecture bnn generates code for.
struct TargetDescription {
  /// The name users give with -target: "x86_64" or "aarch64".
  llvm::StringRef name;
  /// The LLVM target triple, e.g. "x86_64-unknown-linux-gnu".
  llvm::StringRef triple;
  /// CPU used when -mcpu is not given.
  llvm::StringRef defaultCPU;
  /// Features always enabled before the user's -mattr ("+a,-b" form).
  llvm::StringRef defaultFeatures;
  /// Vector register width of the default CPU, in bits.
  unsigned vectorRegisterBits;
  /// Number of vector registers of the default CPU.
  unsigned vectorRegisters;
  /// Popcount strategy of the default CPU.
  PopcountStrategy popcount;
  /// The target's libm on a Debian host (native or cross package). Shared
  /// libraries record it as needed when it exists, so that float glue that
  /// calls into libm (expf, ...) loads into programs that do not link libm.
  llvm::StringRef libmPath;
  /// The target's OpenMP runtime (LLVM libomp) on a Debian host; parallel
  /// code calls it. scripts/install-deps.sh installs both.
  llvm::StringRef openmpPath;
  /// Features the generated code cannot do without ("+a,-b"): a CPU or an
  /// -mattr that turns them off is rejected before code generation, where
  /// LLVM would abort the process (32-bit CPUs, -64bit) or produce code that
  /// does not load or computes floats differently (no SSE2 or FP registers,
  /// soft float).
  llvm::StringRef requiredFeatures;
  /// What an artifact holds when neither -mcpu nor -mattr is given: code
  /// for each of these, lowest first, one picked at load time. Empty or
  /// one: code for defaultCPU only.
  llvm::ArrayRef<CodeVariant> variants;
};

/// Every supported target, in a fixed order (x86_64, aarch64).
llvm::ArrayRef<TargetDescription> getTargetDescriptions();
/// The description named `name`, or nullptr.
const TargetDescription *lookupTargetDescription(llvm::StringRef name);
/// "x86_64, aarch64", for help texts and error messages.
std::string listTargetNames();

/// Registers the LLVM back ends of every supported target (idempotent,
/// thread-safe). Called by the functions below; embedders need not call it.
void initializeLLVMTargets();

/// Checks a CPU name and a feature string ("+a,-b", empty allowed) against
/// the target's tables, and that together they keep the target's
/// requiredFeatures. Errors read "unknown CPU 'foo' for target aarch64",
/// "unknown feature '+avx9' for target x86_64".
llvm::Error validateCPUAndFeatures(const TargetDescription &target,
                                   llvm::StringRef cpu,
                                   llvm::StringRef features);

/// The default features followed by the user's (later entries win), as one
/// comma-separated string.
std::string combineFeatures(const TargetDescription &target,
                            llvm::StringRef features);

/// Creates a position-independent TargetMachine for `target`. An empty `cpu`
/// means the target's default CPU; `features` are added to the defaults.
/// `optLevel` is 0..3. Fails with a readable message on a bad CPU, feature
/// or optimisation level.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(const TargetDescription &target, llvm::StringRef cpu,
                    llvm::StringRef features, unsigned optLevel);

/// What the optimising lowering needs to know about the CPU a TargetMachine
/// was created for (the description's defaults refined by -mcpu / -mattr).
struct SubtargetSummary {
  unsigned vectorRegisterBits;
  unsigned vectorRegisters;
  PopcountStrategy popcount;
  ByteDotInstruction byteDot;
  /// Whether float round-half-to-even is an instruction (x86 SSE4.1
  /// roundps/roundss, AArch64 frintn), not a libm call.
  bool nativeRoundEven;
};
SubtargetSummary summarizeSubtarget(const TargetDescription &target,
                                    const llvm::TargetMachine &machine);
/// The same for a CPU and features given by name (the target's defaults
/// when they do not make a valid target machine).
SubtargetSummary summarizeSubtarget(const TargetDescription &target,
                                    llvm::StringRef cpu,
                                    llvm::StringRef features);

/// The machine this process runs on, as bnn-compile options.
struct HostTarget {
  /// The description of the host architecture; nullptr when bnn does not
  /// generate code for it.
  const TargetDescription *target = nullptr;
  /// The host CPU name as LLVM knows it ("znver4", "sapphirerapids",
  /// "neoverse-n1"); empty when LLVM cannot tell.
  std::string cpu;
  /// The host's features in "+a,-b" form, restricted to those the target
  /// knows. Given together with `cpu` because a virtual machine may hide
  /// features its CPU model implies.
  std::string features;
};
HostTarget describeHost();

/// Whether `cpu` names the machine the compiler runs on ("native", "host").
bool isHostCPUName(llvm::StringRef cpu);

/// Resolves -mcpu=native / -mcpu=host: `cpu` becomes the host CPU's name
/// (the target's generic CPU when LLVM cannot name it) and the host's
/// features go before `features`, whose entries still win. Fails when the
/// host is not of `target`'s architecture. Other CPU names are left alone.
llvm::Error resolveHostCPU(const TargetDescription &target, std::string &cpu,
                           std::string &features);

/// The CPU names and feature names (without +/-) the target accepts, sorted.
std::vector<std::string> listCPUs(const TargetDescription &target);
std::vector<std::string> listFeatures(const TargetDescription &target);

} // namespace bnn
} // namespace mlir

#endif // BNN_TARGET_TARGET_H
