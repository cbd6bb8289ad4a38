//===- Pipelines.h - named bnn pass pipelines -------------------*- C++ -*-===//
//
// One option struct and one builder per pipeline. bnn-opt (through the
// registration), bnn-compile and the C/C++ compiler API all call the same
// builder, so a pipeline is always reproducible with bnn-opt alone:
//
//   bnn-opt model.mlir --bnn-lower-to-llvm="target=aarch64 stop-after=loops"
//
//===----------------------------------------------------------------------===//

#ifndef BNN_PIPELINES_PIPELINES_H
#define BNN_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

#include <optional>
#include <string>

namespace mlir {
class OpPassManager;
namespace bnn {

/// The stages of the lowering, in order. Each names the IR after it.
enum class Phase {
  /// Verified input, canonicalized.
  Input,
  /// Binary and bit-serial operators rewritten to bnn.pack + popcount
  /// reductions over packed words; constant weights packed.
  Packed,
  /// No bnn operators left: linalg, tensor and arith on tensors.
  Linalg,
  /// Buffers instead of tensors; results turned into out-parameters.
  Bufferized,
  /// Loops (scf) over memrefs.
  Loops,
  /// LLVM dialect, with the runtime ABI entry points and metadata.
  LLVM,
};

/// The phases and their names, in order: the one table that every flag,
/// option and API reads ("input", "packed", "linalg", "bufferized",
/// "loops", "llvm").
llvm::ArrayRef<std::pair<Phase, llvm::StringLiteral>> phaseNames();
/// Parses a name of phaseNames().
std::optional<Phase> parsePhase(llvm::StringRef name);
llvm::StringRef stringifyPhase(Phase phase);
/// The names of all phases, for help texts: "input, packed, ..., llvm".
std::string listPhases();

struct LowerToLLVMOptions : public PassPipelineOptions<LowerToLLVMOptions> {
  /// Gives stop-after the names of phaseNames().
  LowerToLLVMOptions();

  PassOptions::Option<std::string> target{
      *this, "target", llvm::cl::desc("Target architecture: x86_64 or aarch64"),
      llvm::cl::init("x86_64")};
  PassOptions::Option<std::string> cpu{
      *this, "cpu",
      llvm::cl::desc("CPU to compile for (LLVM spelling; default: the "
                     "target's generic CPU)"),
      llvm::cl::init("")};
  PassOptions::Option<std::string> features{
      *this, "features",
      llvm::cl::desc("Features added to the target's defaults, e.g. "
                     "+avx2,-avx512f")};
  PassOptions::Option<Phase> stopAfter{
      *this, "stop-after", llvm::cl::desc("Last phase to run"),
      llvm::cl::init(Phase::LLVM)};

  // Optimisations, each switchable off to measure what it contributes.
  PassOptions::Option<bool> fuseGlue{
      *this, "fuse-glue",
      llvm::cl::desc("Fold float glue + binarize into integer thresholds "
                     "(bnn-fuse-glue)"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> fuseBitpack{
      *this, "fuse-bitpack",
      llvm::cl::desc("Threshold and pack in one pass over the accumulators, "
                     "with no binary tensor in memory (bnn-fuse-bitpack)"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> tile{
      *this, "tile",
      llvm::cl::desc("Register-block packed convolutions "
                     "(bnn-tile-packed-conv)"),
      llvm::cl::init(true)};
  PassOptions::Option<int64_t> tilePixels{
      *this, "tile-pixels",
      llvm::cl::desc("Output pixels per register block (0: from the target)"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> tileChannels{
      *this, "tile-channels",
      llvm::cl::desc("Output channels per register block (0: from the "
                     "target)"),
      llvm::cl::init(0)};
  PassOptions::Option<bool> vectorize{
      *this, "vectorize",
      llvm::cl::desc("Vectorize packed convolutions over output channels, "
                     "fused bit packing and float convolutions "
                     "(bnn-vectorize-packed-conv, bnn-vectorize-float-conv)"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> vectorizeRemarks{
      *this, "vectorize-remarks",
      llvm::cl::desc("Report, as remarks, packed convolutions left as loops "
                     "(bnn-vectorize-packed-conv remarks)"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> earlyDealloc{
      *this, "early-dealloc",
      llvm::cl::desc("Free each temporary right after its last use "
                     "(bnn-early-dealloc)"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> workspace{
      *this, "workspace",
      llvm::cl::desc("Place each call's temporaries in one workspace planned "
                     "at compile time and kept between calls "
                     "(bnn-plan-workspace)"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> reportTemporaries{
      *this, "report-temporaries",
      llvm::cl::desc("Report, as remarks, the temporary memory each public "
                     "function allocates per call (bnn-report-temporaries)"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> lazyPopcount{
      *this, "lazy-popcount",
      llvm::cl::desc("Accumulate byte popcounts in narrow lanes and widen "
                     "lazily where the target has no 64-bit vector popcount "
                     "(bnn-vectorize-packed-conv popcount=bytes)"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> parallel{
      *this, "parallel",
      llvm::cl::desc("Run output rows of packed convolutions on threads "
                     "(bnn-parallelize-packed-conv)"),
      llvm::cl::init(true)};
  PassOptions::Option<int64_t> splitMaxOps{
      *this, "split-max-ops",
      llvm::cl::desc("Outline the loop nests of functions larger than this "
                     "many operations into chunks of at most this size, so "
                     "that LLVM sees functions of bounded size "
                     "(bnn-split-large-functions; 0: never)"),
      llvm::cl::init(500)};
};

/// Replaces cpu=native / cpu=host by the host's CPU and features
/// (resolveHostCPU); an empty string on success, else the message. Every
/// entry point does this before building the pipeline, so that the passes,
/// the metadata and LLVM see the CPU's real name.
std::string resolveHostCPU(LowerToLLVMOptions &options);

/// Checks what parsing cannot: the target, CPU and features, and the ranges
/// of numeric options (tile sizes and split-max-ops >= 0).
/// Returns an empty string when the options are valid, otherwise a one-line
/// message.
std::string checkLowerToLLVMOptions(const LowerToLLVMOptions &options);
/// The part of checkLowerToLLVMOptions about the optimisation switches (the
/// ranges of numeric options).
std::string checkLowerToLLVMSwitches(const LowerToLLVMOptions &options);

/// Adds the lowering from bnn + upstream float glue to the LLVM dialect, up
/// to and including `options.stopAfter`. Returns failure (adding nothing)
/// for an unknown target name. The CPU and features are recorded
/// in the LLVM dialect (bnn-set-target); validating them against the
/// target is the caller's job (the registered pipeline and bnn-compile do).
LogicalResult buildLowerToLLVMPipeline(OpPassManager &pm,
                                       const LowerToLLVMOptions &options);

/// Registers every named bnn pipeline (bnn-lower-to-llvm).
void registerPipelines();

} // namespace bnn
} // namespace mlir

#endif // BNN_PIPELINES_PIPELINES_H
