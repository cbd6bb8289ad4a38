//===- Compiler.cpp - the bnn compiler as a library -----------------------===//

#include "CompilerInternal.h"

#include "bnn/Compiler/Diagnostics.h"
#include "bnn/Compiler/LayerStats.h"
#include "bnn/Import/ONNX.h"
#include "bnn/Input/ModelInput.h"
#include "bnn/Support/OutputFile.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::bnn;

//===----------------------------------------------------------------------===//
// Emit kinds and options
//===----------------------------------------------------------------------===//

static constexpr std::pair<EmitKind, llvm::StringLiteral> kEmitNames[] = {
    {EmitKind::MLIR, "mlir"},     {EmitKind::LLVM, "llvm"},
    {EmitKind::Asm, "asm"},       {EmitKind::Obj, "obj"},
    {EmitKind::Shared, "shared"}, {EmitKind::Header, "header"},
};

static constexpr std::pair<llvm::StringLiteral, EmitKind> kExtensions[] = {
    {".mlir", EmitKind::MLIR}, {".ll", EmitKind::LLVM},
    {".s", EmitKind::Asm},     {".o", EmitKind::Obj},
    {".so", EmitKind::Shared}, {".h", EmitKind::Header},
};

std::optional<EmitKind> bnn::parseEmitKind(llvm::StringRef name) {
  for (auto [kind, kindName] : kEmitNames)
    if (name == kindName)
      return kind;
  return std::nullopt;
}

llvm::StringRef bnn::stringifyEmitKind(EmitKind kind) {
  for (auto [k, kindName] : kEmitNames)
    if (k == kind)
      return kindName;
  return "";
}

std::string bnn::listEmitKinds() {
  std::string list;
  for (auto [kind, kindName] : kEmitNames) {
    if (!list.empty())
      list += ", ";
    list += kindName.str();
  }
  return list;
}

std::optional<EmitKind> bnn::inferEmitKind(llvm::StringRef path) {
  llvm::StringRef extension = llvm::sys::path::extension(path);
  for (auto [ext, kind] : kExtensions)
    if (extension == ext)
      return kind;
  return std::nullopt;
}

bool bnn::isBinaryEmitKind(EmitKind kind) {
  return kind == EmitKind::Obj || kind == EmitKind::Shared;
}

CompileOptions &CompileOptions::operator=(const CompileOptions &other) {
  if (this == &other)
    return *this;
  lowering.copyOptionValuesFrom(other.lowering);
  optLevel = other.optLevel;
  emit = other.emit;
  codegenThreads = other.codegenThreads;
  verifyEachPass = other.verifyEachPass;
  layerStats = other.layerStats;
  configurePassManager = other.configurePassManager;
  inputShapes = other.inputShapes;
  return *this;
}

std::string bnn::setPipelineOptions(CompileOptions &options,
                                    llvm::StringRef text) {
  for (llvm::StringRef owned : {"target", "cpu", "features", "stop-after"})
    for (llvm::StringRef token : llvm::split(text, ' '))
      if (token.split('=').first.trim() == owned)
        return ("pipeline option '" + owned +
                "' has its own flag; give it there")
            .str();
  for (llvm::StringRef token : llvm::split(text, ' '))
    if (token.starts_with("="))
      return ("invalid pipeline options '" + text +
              "': an option has no name before '='")
          .str();
  LowerToLLVMOptions &parsed = options.lowering;
  // LLVM's option parser prints a bad boolean value to stderr itself (no
  // stream can be given), which an embedding program would see: check
  // boolean values first. The boolean options are those whose defaults
  // print as true or false ("{fuse-glue=true ... tile-pixels=0}").
  std::string defaults;
  llvm::raw_string_ostream defaultsOS(defaults);
  parsed.print(defaultsOS);
  llvm::StringSet<> booleans;
  for (llvm::StringRef entry :
       llvm::split(llvm::StringRef(defaults).trim("{} "), ' ')) {
    auto [name, value] = entry.split('=');
    if (value == "true" || value == "false")
      booleans.insert(name);
  }
  for (llvm::StringRef token : llvm::split(text, ' ')) {
    auto [name, value] = token.trim().split('=');
    if (booleans.contains(name) && !value.empty() &&
        !llvm::is_contained({"true", "false", "1", "0", "TRUE", "FALSE",
                             "True", "False"},
                            value))
      return ("invalid pipeline options '" + text + "': '" + value +
              "' is not a boolean value for '" + name +
              "' (expected true or false)")
          .str();
  }
  std::string message;
  llvm::raw_string_ostream os(message);
  if (failed(parsed.parseFromString(text, os)))
    return "invalid pipeline options '" + text.str() + "'" +
           (message.empty() ? "" : ": " + llvm::StringRef(message).trim().str());
  if (std::string error = checkLowerToLLVMSwitches(parsed); !error.empty())
    return "invalid pipeline options '" + text.str() + "': " + error;
  return "";
}

std::string bnn::validateOptions(const CompileOptions &options) {
  if (options.optLevel > 3)
    return "invalid optimization level " + std::to_string(options.optLevel) +
           " (expected 0, 1, 2 or 3)";
  if (std::string error = checkLowerToLLVMOptions(options.lowering);
      !error.empty())
    return error;
  Phase stopAfter = options.lowering.stopAfter;
  if (stopAfter != Phase::LLVM && options.emit != EmitKind::MLIR)
    return ("--emit=" + stringifyEmitKind(options.emit) +
            " needs the whole lowering; --stop-after=" +
            stringifyPhase(stopAfter) + " only works with --emit=mlir")
        .str();
  return "";
}

//===----------------------------------------------------------------------===//
// Compilation
//===----------------------------------------------------------------------===//

/// Runs the bnn lowering up to `stopAfter` on `module`.
static LogicalResult runLowering(ModuleOp module, const CompileOptions &options,
                                 Phase stopAfter) {
  LowerToLLVMOptions pipelineOptions;
  pipelineOptions.copyOptionValuesFrom(options.lowering);
  pipelineOptions.stopAfter = stopAfter;
  PassManager pm(module.getContext(), ModuleOp::getOperationName());
  if (failed(buildLowerToLLVMPipeline(pm, pipelineOptions)))
    return emitError(UnknownLoc::get(module.getContext()))
           << "cannot build the lowering pipeline for target '"
           << options.lowering.target << "' and phase '"
           << stringifyPhase(stopAfter)
           << "'";
  // A large model is mostly one function until the lowering splits it, and
  // verifying it after each of some 35 passes took a third of the
  // lowering's time (1,000 layers). The model is verified as parsed and the
  // lowering's result once at the end, as clang verifies the IR it gives
  // LLVM; --verify-each restores the check after every pass.
  pm.enableVerifier(options.verifyEachPass);
  if (options.configurePassManager && failed(options.configurePassManager(pm)))
    return failure();
  if (failed(pm.run(module)))
    return failure();
  if (!options.verifyEachPass && failed(verify(module)))
    return emitError(UnknownLoc::get(module.getContext()))
           << "the lowering produced invalid IR (rerun with --verify-each to "
              "find the pass)";
  return success();
}

FailureOr<std::string> bnn::compileModule(ModuleOp module,
                                          const CompileOptions &given) {
  MLIRContext *context = module.getContext();
  std::string invalid = validateOptions(given);
  CompileOptions options = given;
  if (invalid.empty())
    invalid = resolveHostCPU(options.lowering);
  if (!invalid.empty())
    return emitError(UnknownLoc::get(context)) << invalid;
  const TargetDescription &target = *lookupTargetDescription(options.lowering.target);

  // The lowering loads the dialects its passes depend on; the translation to
  // LLVM IR needs their interfaces. Appending is a no-op for what the
  // context already has.
  DialectRegistry registry;
  registerCompilerDialects(registry);
  context->appendDialectRegistry(registry);

  if (options.layerStats) {
    module.emitRemark() << formatLayerStats(collectLayerStats(module));
    options.lowering.reportTemporaries = true;
  }

  // The ONNX names of an imported function's arguments and results
  // (docs/ONNX.md#the-boundary) are documentation; LLVM IR has no place for
  // them.
  module.walk([](func::FuncOp func) {
    for (unsigned i = 0; i < func.getNumArguments(); ++i)
      func.removeArgAttr(i, "bnn.onnx_name");
    for (unsigned i = 0; i < func.getNumResults(); ++i)
      func.removeResultAttr(i, StringAttr::get(func.getContext(),
                                               "bnn.onnx_name"));
  });

  if (options.emit != EmitKind::MLIR) {
    // A declaration would become an undefined symbol of the artifact, which
    // then fails to load.
    for (auto func : module.getOps<func::FuncOp>())
      if (func.isExternal())
        return emitError(func.getLoc())
               << "function '" << func.getSymName()
               << "' is declared without a body; a compiled artifact "
                  "cannot call functions defined outside it";
    if (llvm::none_of(module.getOps<func::FuncOp>(), [](func::FuncOp func) {
          return func.isPublic() && !func.isExternal();
        }))
      emitWarning(module.getLoc())
          << "the model has no public function with a body: the artifact "
             "has no entry points";
  }

  if (options.emit == EmitKind::Header) {
    // The input phase checks that every signature can cross the runtime
    // ABI and records them, as written, for the entry points.
    if (failed(runLowering(module, options, Phase::Input)))
      return failure();
    FailureOr<SmallVector<EntrySignature>> entries =
        readEntrySignatures(module);
    if (failed(entries))
      return failure();
    return compiler_detail::emitHeader(module, *entries);
  }

  // Neither -mcpu nor -mattr: code for each of the target's variants, one
  // picked at load time (Variants.cpp). The model is lowered once per
  // variant, from a copy but for the last.
  ArrayRef<CodeVariant> variants = target.variants;
  if (options.emit == EmitKind::MLIR || variants.size() < 2 ||
      !options.lowering.cpu.empty() || !options.lowering.features.empty())
    variants = {};
  if (variants.empty()) {
    if (failed(runLowering(module, options, options.lowering.stopAfter)))
      return failure();
  } else {
    SmallVector<OwningOpRef<ModuleOp>> copies;
    for (const CodeVariant &variant : variants) {
      OwningOpRef<ModuleOp> copy =
          &variant == &variants.back() ? OwningOpRef<ModuleOp>() : module.clone();
      CompileOptions variantOptions = options;
      variantOptions.lowering.cpu = variant.cpu.str();
      variantOptions.lowering.features = variant.features.str();
      // Remarks (the temporaries, the workspace, the vectorizer's) differ
      // between variants: each names its variant.
      ScopedDiagnosticHandler tagRemarks(
          module->getContext(), [&](Diagnostic &diag) {
            if (diag.getSeverity() == DiagnosticSeverity::Remark)
              diag << " [code variant " << variant.name << "]";
            return failure(); // on to the handler that reports it
          });
      if (failed(runLowering(copy ? *copy : module, variantOptions,
                             options.lowering.stopAfter)))
        return failure();
      if (copy)
        copies.push_back(std::move(copy));
    }
    SmallVector<ModuleOp> modules;
    for (OwningOpRef<ModuleOp> &copy : copies)
      modules.push_back(*copy);
    modules.push_back(module);
    return compiler_detail::emitFromLLVMDialect(modules, target, options,
                                                variants);
  }

  if (options.emit == EmitKind::MLIR) {
    std::string text;
    llvm::raw_string_ostream os(text);
    module->print(os);
    return text;
  }
  return compiler_detail::emitFromLLVMDialect({module}, target, options, {});
}

FailureOr<std::string> bnn::compileSource(llvm::SourceMgr &sourceMgr,
                                          MLIRContext &context,
                                          const CompileOptions &options) {
  ONNXImportOptions onnx;
  onnx.inputShapes = options.inputShapes;
  OwningOpRef<ModuleOp> module =
      parseModelSource(sourceMgr, ParserConfig(&context), onnx);
  if (!module)
    return failure();
  return compileModule(*module, options);
}

FailureOr<std::string> bnn::compileText(llvm::StringRef text,
                                        llvm::StringRef bufferName,
                                        const CompileOptions &options,
                                        std::string &diagnostics) {
  std::string invalid = validateOptions(options);
  if (!invalid.empty()) {
    diagnostics = "error: " + invalid + "\n";
    return failure();
  }
  DialectRegistry registry;
  registerCompilerDialects(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(text, bufferName), llvm::SMLoc());
  DiagnosticCapture capture(context, sourceMgr);
  FailureOr<std::string> artifact = compileSource(sourceMgr, context, options);
  if (failed(artifact))
    diagnostics = capture.text();
  return artifact;
}

LogicalResult bnn::compileFile(MLIRContext &context, llvm::StringRef inputPath,
                               llvm::StringRef outputPath,
                               const CompileOptions &options) {
  Location unknown = UnknownLoc::get(&context);
  std::string invalid = validateOptions(options);
  if (!invalid.empty())
    return emitError(unknown) << invalid;

  std::string errorMessage;
  std::unique_ptr<llvm::MemoryBuffer> input =
      openModelFile(inputPath, &errorMessage);
  if (!input)
    return emitError(unknown) << errorMessage;

  // Fail early on an output that cannot be written (a missing directory, a
  // directory, a block device, ...; bnn/Support/OutputFile.h) or that is the
  // model itself. The file itself is only written, through a temporary
  // beside it, once the artifact is complete, so that nothing (not even a
  // temporary) is left when the compilation fails or the process is
  // interrupted while compiling.
  if (outputPath != "-") {
    std::string reason;
    if (!checkOutputPath(outputPath.str(), reason))
      return emitError(unknown)
             << "cannot open output file '" << outputPath << "': " << reason;
    // The same file through any name (symbolic or hard links), or the file
    // standard input reads.
    if (isInputFile(outputPath.str(), inputPath.str()))
      return emitError(unknown)
             << "the output file '" << outputPath << "' is the input file "
             << (inputPath == "-" ? std::string("(standard input)")
                                  : "'" + inputPath.str() + "'")
             << "; refusing to overwrite the model";
  }

  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(input), llvm::SMLoc());
  FailureOr<std::string> artifact = compileSource(sourceMgr, context, options);
  if (failed(artifact))
    return failure();

  if (outputPath == "-") {
    llvm::outs() << *artifact;
    llvm::outs().flush();
    if (std::error_code ec = llvm::outs().error()) {
      llvm::outs().clear_error();
      return emitError(unknown)
             << "cannot write the output to stdout: " << ec.message();
    }
    return success();
  }

  OutputFileOptions writeOptions;
  writeOptions.executable = options.emit == EmitKind::Shared;
  writeOptions.refuseTerminal = isBinaryEmitKind(options.emit);
  // bnn-compile (InitLLVM) removes the temporary on SIGINT/SIGTERM.
  writeOptions.onTemporary = [](const std::string &path, bool created) {
    if (created)
      (void)llvm::sys::RemoveFileOnSignal(path);
    else
      llvm::sys::DontRemoveFileOnSignal(path);
  };
  std::string reason;
  if (!writeOutputFile(outputPath.str(), artifact->data(), artifact->size(),
                       writeOptions, reason))
    return emitError(unknown)
           << "cannot write output file '" << outputPath << "': " << reason;
  return success();
}
