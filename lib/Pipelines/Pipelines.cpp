//===- Pipelines.cpp - named bnn pass pipelines ---------------------------===//

#include "bnn/Pipelines/Pipelines.h"

#include "bnn/Codegen/Passes.h"
#include "bnn/Conversion/Passes.h"
#include "bnn/Dialect/BNN/Transforms/Passes.h"
#include "bnn/RuntimeABI/Passes.h"
#include "bnn/Target/Target.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ConvertToLLVM/ToLLVMPass.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/SCFToOpenMP/SCFToOpenMP.h"
#include "mlir/Conversion/TosaToArith/TosaToArith.h"
#include "mlir/Conversion/TosaToLinalg/TosaToLinalg.h"
#include "mlir/Conversion/TosaToTensor/TosaToTensor.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVMPass.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace mlir::bnn;

static constexpr std::pair<Phase, llvm::StringLiteral> kPhaseNames[] = {
    {Phase::Input, "input"},   {Phase::Packed, "packed"},
    {Phase::Linalg, "linalg"}, {Phase::Bufferized, "bufferized"},
    {Phase::Loops, "loops"},   {Phase::LLVM, "llvm"},
};

llvm::ArrayRef<std::pair<Phase, llvm::StringLiteral>> bnn::phaseNames() {
  return kPhaseNames;
}

LowerToLLVMOptions::LowerToLLVMOptions() {
  for (auto [phase, name] : kPhaseNames)
    stopAfter.getParser().addLiteralOption(name, phase, "");
}

std::optional<Phase> bnn::parsePhase(StringRef name) {
  for (auto [phase, phaseName] : kPhaseNames)
    if (name == phaseName)
      return phase;
  return std::nullopt;
}

StringRef bnn::stringifyPhase(Phase phase) {
  for (auto [p, phaseName] : kPhaseNames)
    if (p == phase)
      return phaseName;
  return "";
}

std::string bnn::listPhases() {
  std::string list;
  for (auto [phase, phaseName] : kPhaseNames) {
    if (!list.empty())
      list += ", ";
    list += phaseName.str();
  }
  return list;
}

LogicalResult bnn::buildLowerToLLVMPipeline(OpPassManager &pm,
                                            const LowerToLLVMOptions &options) {
  if (!lookupTargetDescription(options.target))
    return failure();
  Phase last = options.stopAfter;
  auto upTo = [&](Phase p) { return last >= p; };

  // Input: what cannot become an artifact (reserved names, recursion) is
  // refused at the model's own locations; the ABI needs the tensor
  // signatures before anything changes them.
  pm.addPass(createBNNVerifyCompilablePass());
  pm.addPass(createBNNRecordRuntimeABIPass());
  pm.addPass(createCanonicalizerPass());
  if (!upTo(Phase::Packed))
    return success();

  // A dynamic batch is compiled for one image; the ABI's entry point loops
  // over the caller's batch.
  pm.addPass(createBNNSpecializeBatchPass());
  // Binary tensors cross the ABI as bytes; saying so lets vector code read
  // and write them.
  pm.addPass(createBNNWidenBoolBoundaryPass());
  const TargetDescription *target = lookupTargetDescription(options.target);
  SubtargetSummary subtarget =
      summarizeSubtarget(*target, options.cpu, options.features);

  // Float glue between a binary layer's accumulator and the next
  // binarization becomes integer thresholds first, so that bitpacking sees
  // binary layers feeding binary layers.
  if (options.fuseGlue)
    pm.addNestedPass<func::FuncOp>(createBNNFuseGluePass());

  // Packed: binary and bit-serial products over packed words; canonicalize
  // folds bnn.pack of constant weights, so weights are packed at compile time.
  // int8 inputs stay signed bytes where the dot product is sdot.
  BNNBitpackPassOptions bitpackOptions;
  bitpackOptions.signedBytes =
      subtarget.byteDot == ByteDotInstruction::ArmSdot;
  // A scalar popcount counts a 32-bit word in one instruction like a
  // 64-bit one: narrow words would take more of them.
  bitpackOptions.narrowWords = subtarget.popcount != PopcountStrategy::Scalar;
  bitpackOptions.vectorBits = subtarget.vectorRegisterBits;
  // NEON's cnt costs no more than the broadcast of an input word, of which
  // 32-bit words take twice as many per bit: on 14x14x200 they reached
  // 68-69% of the llvm-mca bound (neoverse-n1, cortex-a76) against 81-85%
  // for 64-bit words, for 12% fewer padding bits.
  if (subtarget.popcount == PopcountStrategy::NeonCntWiden)
    bitpackOptions.narrowWordGain = 1.2;
  pm.addNestedPass<func::FuncOp>(createBNNBitpackPass(bitpackOptions));
  pm.addPass(createCanonicalizerPass());
  if (!upTo(Phase::Linalg))
    return success();

  // Linalg: no bnn operators left but the packed convolutions; the float
  // glue joins them in linalg.
  pm.addNestedPass<func::FuncOp>(createBNNLowerPackPass());
  pm.addNestedPass<func::FuncOp>(createBNNLowerToLinalgPass());
  pm.addNestedPass<func::FuncOp>(tosa::createTosaToLinalgNamed());
  pm.addNestedPass<func::FuncOp>(tosa::createTosaToLinalg());
  pm.addNestedPass<func::FuncOp>(createTosaToArithPass());
  pm.addNestedPass<func::FuncOp>(createTosaToTensorPass());
  pm.addNestedPass<func::FuncOp>(createConvertElementwiseToLinalgPass());
  // Binary values are packed straight from the accumulators (or floats)
  // that decide them.
  if (options.fuseBitpack)
    pm.addNestedPass<func::FuncOp>(createBNNFuseBitpackPass());
  // The packed convolutions: threads over rows, register blocks, vectors.
  if (options.parallel) {
    BNNParallelizePackedConvPassOptions parallelOptions;
    parallelOptions.vectorBits = subtarget.vectorRegisterBits;
    parallelOptions.vectorRegisters = subtarget.vectorRegisters;
    pm.addNestedPass<func::FuncOp>(
        createBNNParallelizePackedConvPass(parallelOptions));
  }
  if (options.tile) {
    BNNTilePackedConvPassOptions tileOptions;
    tileOptions.pixels = options.tilePixels;
    tileOptions.channels = options.tileChannels;
    tileOptions.vectorBits = subtarget.vectorRegisterBits;
    tileOptions.vectorRegisters = subtarget.vectorRegisters;
    pm.addNestedPass<func::FuncOp>(createBNNTilePackedConvPass(tileOptions));
  }
  if (options.vectorize) {
    BNNVectorizePackedConvPassOptions vectorOptions;
    vectorOptions.vectorBits = subtarget.vectorRegisterBits;
    vectorOptions.remarks = options.vectorizeRemarks;
    // Where a 64-bit lane popcount is one instruction, widening is free.
    vectorOptions.popcount =
        options.lazyPopcount &&
                subtarget.popcount != PopcountStrategy::VectorPopcount
            ? PopcountLanes::Bytes
            : PopcountLanes::I64;
    pm.addNestedPass<func::FuncOp>(
        createBNNVectorizePackedConvPass(vectorOptions));
    BNNVectorizeFloatConvPassOptions floatOptions;
    floatOptions.vectorBits = subtarget.vectorRegisterBits;
    floatOptions.threads = options.parallel;
    pm.addNestedPass<func::FuncOp>(
        createBNNVectorizeFloatConvPass(floatOptions));
  }
  // What was not vectorized is compiled as loops.
  pm.addNestedPass<func::FuncOp>(createBNNGeneralizePackedConvPass());
  // roundeven as integer arithmetic where the target has no instruction
  // for it (x86 before SSE4.1), since it would be a libm call there; the
  // instruction (roundps, frintn) makes a requantizing int8 layer 15%
  // faster than the expansion (56x56x64, AVX-512).
  if (!subtarget.nativeRoundEven) {
    math::MathExpandOpsPassOptions expandOptions;
    expandOptions.opMnemonics = {"roundeven"};
    pm.addNestedPass<func::FuncOp>(
        math::createMathExpandOpsPass(expandOptions));
  }
  pm.addPass(createCanonicalizerPass());
  if (!upTo(Phase::Bufferized))
    return success();

  // Bufferized: results become caller-provided out-parameters (the ABI
  // writes straight into the caller's DLTensors); temporaries are freed.
  bufferization::OneShotBufferizePassOptions bufferizeOptions;
  bufferizeOptions.bufferizeFunctionBoundaries = true;
  bufferizeOptions.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferizeOptions));
  // A buffer returned twice would be hoisted (and erased) twice by
  // buffer-results-to-out-params.
  pm.addNestedPass<func::FuncOp>(createBNNCopyRepeatedResultsPass());
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.modifyPublicFunctions = true;
  outParams.hoistStaticAllocs = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  // Per-block scratch buffers of fused epilogues: allocated once per
  // thread's loop nest, not once per block.
  pm.addNestedPass<func::FuncOp>(
      bufferization::createBufferLoopHoistingPass());
  // Upstream's buffer-deallocation-pipeline (default options), with the
  // dealloc that frees a model's temporaries split before
  // buffer-deallocation-simplification, which is quadratic in its operands
  // (bnn-split-deallocs: the same result). It ends with a canonicalization.
  pm.addPass(memref::createExpandReallocPass(
      memref::ExpandReallocPassOptions{/*emitDeallocs=*/false}));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(bufferization::createOwnershipBasedBufferDeallocationPass());
  pm.addPass(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createBNNSplitDeallocsPass());
  pm.addPass(bufferization::createBufferDeallocationSimplificationPass());
  pm.addPass(bufferization::createLowerDeallocationsPass());
  pm.addPass(createCSEPass());
  pm.addPass(createCanonicalizerPass());
  if (options.earlyDealloc)
    pm.addNestedPass<func::FuncOp>(createBNNEarlyDeallocPass());
  if (options.reportTemporaries)
    pm.addNestedPass<func::FuncOp>(createBNNReportTemporariesPass());
  if (!upTo(Phase::Loops))
    return success();

  // No allocation per call: the temporaries become views of a workspace
  // that calls hand on to each other.
  if (options.workspace) {
    BNNPlanWorkspacePassOptions workspaceOptions;
    workspaceOptions.report = options.reportTemporaries;
    pm.addPass(createBNNPlanWorkspacePass(workspaceOptions));
  }

  // Loops. Strided copies become loops too: as memref.copy they would call
  // into the MLIR runner library, which artifacts must not need.
  pm.addNestedPass<func::FuncOp>(createBNNCopiesToLinalgPass());
  // A model is one function, a sequence of loop nests as long as the
  // model; LLVM is superlinear in the size of a function, so it gets
  // chunks of bounded size instead.
  if (options.splitMaxOps > 0) {
    BNNSplitLargeFunctionsPassOptions splitOptions;
    splitOptions.maxOps = options.splitMaxOps;
    pm.addPass(createBNNSplitLargeFunctionsPass(splitOptions));
  }
  // From here on a large model is many functions of bounded size. Passes
  // that only look inside one function (or one global) run on every
  // isolated operation of the module separately, which the pass manager
  // does in parallel on the context's threads; each leaves every function
  // exactly as it would running on the whole module (canonicalization
  // never looks across functions), and only the module passes between them
  // (the OpenMP conversion, the runtime ABI, func to llvm.func) stay
  // sequential.
  auto perFunction = [&pm](std::unique_ptr<Pass> pass) {
    pm.nestAny().addPass(std::move(pass));
  };
  // Tasks of bnn-parallelize-packed-conv become OpenMP worksharing loops
  // whose thread count the artifact sets at run time.
  if (options.parallel) {
    pm.addNestedPass<func::FuncOp>(createForallToParallelLoopPass());
    pm.addPass(createConvertSCFToOpenMPPass());
    pm.addPass(createBNNRuntimeThreadsPass());
    // Inlines the alloca scopes scf-to-openmp wraps loop bodies in (they
    // hold no allocas), which scf-to-cf could not lower.
    perFunction(createCanonicalizerPass());
  }
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  // Multi-dimensional transfers (vectorized float convolutions) become
  // unrolled 1-D ones, which convert-vector-to-llvm lowers.
  pm.addNestedPass<func::FuncOp>(createConvertVectorToSCFPass(
      VectorTransferToSCFOptions().enableFullUnroll()));
  // Consecutive per-function passes in one nested pipeline: each function
  // goes through all of them on one thread (the pass manager does not merge
  // consecutive op-agnostic pipelines itself).
  OpPassManager &loops = pm.nestAny();
  loops.addPass(memref::createExpandStridedMetadataPass());
  loops.addPass(createLowerAffinePass());
  loops.addPass(createSCFToControlFlowPass());
  if (!upTo(Phase::LLVM))
    return success();

  // LLVM dialect and the runtime ABI.
  // The target's int8 dot products (intrinsic calls, which declare no
  // memory effects: earlier, they would keep the deallocation passes and
  // the canonicalizer of memref.alloca_scope from working).
  BNNLowerByteDotPassOptions byteDotOptions;
  byteDotOptions.byteDot = subtarget.byteDot;
  loops.addPass(createBNNLowerByteDotPass(byteDotOptions));
  // Vector transfers become plain loads and stores first.
  loops.addPass(createConvertVectorToLLVMPass());
  // Functions become llvm.func here, which only a pass on the module can do.
  pm.addPass(createConvertToLLVMPass());
  perFunction(createReconcileUnrealizedCastsPass());
  pm.addPass(createBNNEmitRuntimeABIPass());
  perFunction(createCanonicalizerPass());
  BNNSetTargetPassOptions targetOptions;
  targetOptions.triple = target->triple.str();
  targetOptions.cpu =
      options.cpu.empty() ? target->defaultCPU.str() : options.cpu.getValue();
  targetOptions.features = combineFeatures(*target, options.features);
  pm.addPass(createBNNSetTargetPass(targetOptions));
  return success();
}

std::string bnn::resolveHostCPU(LowerToLLVMOptions &options) {
  const TargetDescription *target = lookupTargetDescription(options.target);
  if (!target || !isHostCPUName(options.cpu))
    return "";
  std::string cpu = options.cpu, features = options.features;
  if (llvm::Error error = bnn::resolveHostCPU(*target, cpu, features))
    return llvm::toString(std::move(error));
  options.cpu = cpu;
  options.features = features;
  return "";
}

std::string bnn::checkLowerToLLVMOptions(const LowerToLLVMOptions &options) {
  const TargetDescription *target = lookupTargetDescription(options.target);
  if (!target)
    return "unknown target '" + options.target + "' (expected " +
           listTargetNames() + ")";
  if (llvm::Error error =
          validateCPUAndFeatures(*target, options.cpu, options.features))
    return llvm::toString(std::move(error));
  return checkLowerToLLVMSwitches(options);
}

std::string
bnn::checkLowerToLLVMSwitches(const LowerToLLVMOptions &options) {
  if (options.splitMaxOps < 0)
    return "split-max-ops must be >= 0 (0: functions are never split), got " +
           std::to_string(options.splitMaxOps);
  if (options.tilePixels < 0 || options.tileChannels < 0)
    return "tile-pixels and tile-channels must be >= 0 (0: chosen from the "
           "target), got " +
           std::to_string(options.tilePixels) + " and " +
           std::to_string(options.tileChannels);
  return "";
}

void bnn::registerPipelines() {
  // Like PassPipelineRegistration, but a bad target or phase name is an
  // error instead of a silently empty pipeline.
  registerPassPipeline(
      "bnn-lower-to-llvm",
      "Lowers bnn and upstream float glue to the LLVM dialect with the "
      "runtime ABI (stop early with stop-after=<phase>)",
      [](OpPassManager &pm, StringRef optionsStr,
         function_ref<LogicalResult(const Twine &)> errorHandler) {
        // LLVM's parser of enum options names a bad value but not the
        // good ones.
        for (StringRef token : llvm::split(optionsStr, ' ')) {
          auto [name, value] = token.trim().split('=');
          if (name == "stop-after" && !parsePhase(value))
            return errorHandler("bnn-lower-to-llvm: unknown phase '" + value +
                                "' (expected " + listPhases() + ")");
        }
        LowerToLLVMOptions options;
        if (failed(options.parseFromString(optionsStr)))
          return failure();
        std::string error = checkLowerToLLVMOptions(options);
        if (error.empty())
          error = resolveHostCPU(options);
        if (!error.empty())
          return errorHandler("bnn-lower-to-llvm: " + error);
        return buildLowerToLLVMPipeline(pm, options);
      },
      [](function_ref<void(const detail::PassOptions &)> optHandler) {
        optHandler(LowerToLLVMOptions());
      });
}
