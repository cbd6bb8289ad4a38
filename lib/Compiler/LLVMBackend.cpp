//===- LLVMBackend.cpp - LLVM IR, assembly, objects, shared libraries -----===//
//
// The module in the LLVM dialect is translated to LLVM IR, given the
// target's triple and data layout, optimised with LLVM's default pipeline at
// -O0..3 and compiled in-process. Shared libraries are the object linked by
// ld.lld (-shared); the artifact's libc references (malloc, free, memcpy)
// stay undefined and resolve when it is loaded.
//
//===----------------------------------------------------------------------===//

#include "CompilerInternal.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "mlir/Target/LLVMIR/LLVMTranslationInterface.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/DiagnosticPrinter.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <cstdlib>

using namespace mlir;
using namespace mlir::bnn;

#ifndef BNN_LLVM_TOOLS_DIR
#define BNN_LLVM_TOOLS_DIR "/usr/lib/llvm-22/bin"
#endif

namespace {
/// Forwards LLVM's back-end diagnostics to the MLIR context, so that an
/// error (an unsupported instruction, a bad inline feature) is a diagnostic
/// instead of LLVM's default handler exiting the process.
struct LLVMDiagnostics {
  MLIRContext *context;
  bool hadError = false;

  static void handle(const llvm::DiagnosticInfo *info, void *opaque) {
    auto *self = static_cast<LLVMDiagnostics *>(opaque);
    llvm::DiagnosticSeverity severity = info->getSeverity();
    if (severity != llvm::DS_Error && severity != llvm::DS_Warning)
      return;
    std::string message;
    llvm::raw_string_ostream os(message);
    llvm::DiagnosticPrinterRawOStream printer(os);
    info->print(printer);
    Location loc = UnknownLoc::get(self->context);
    if (severity == llvm::DS_Error) {
      self->hadError = true;
      emitError(loc) << "LLVM: " << message;
    } else {
      emitWarning(loc) << "LLVM: " << message;
    }
  }
};
} // namespace

/// Fails with a diagnostic at the first operation of each kind that has no
/// translation to LLVM IR, i.e. that the lowering left behind.
static LogicalResult checkTranslatable(ModuleOp module) {
  llvm::DenseSet<OperationName> reported;
  bool ok = true;
  module.walk([&](Operation *op) {
    if (op == module.getOperation())
      return;
    Dialect *dialect = op->getDialect();
    if (dialect &&
        dialect->getRegisteredInterface<LLVMTranslationDialectInterface>())
      return;
    ok = false;
    if (reported.insert(op->getName()).second)
      op->emitError() << "'" << op->getName()
                      << "' was not lowered to the LLVM dialect; no code "
                         "can be generated for it";
  });
  return success(ok);
}

static void optimize(llvm::Module &module, llvm::TargetMachine &machine,
                     unsigned optLevel) {
  llvm::PipelineTuningOptions tuning;
  tuning.LoopVectorization = optLevel >= 2;
  tuning.SLPVectorization = optLevel >= 2;
  tuning.LoopUnrolling = optLevel >= 2;
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder builder(&machine, tuning);
  builder.registerModuleAnalyses(mam);
  builder.registerCGSCCAnalyses(cgam);
  builder.registerFunctionAnalyses(fam);
  builder.registerLoopAnalyses(lam);
  builder.crossRegisterProxies(lam, fam, cgam, mam);

  static const llvm::OptimizationLevel levels[] = {
      llvm::OptimizationLevel::O0, llvm::OptimizationLevel::O1,
      llvm::OptimizationLevel::O2, llvm::OptimizationLevel::O3};
  llvm::ModulePassManager passes =
      optLevel == 0
          ? builder.buildO0DefaultPipeline(llvm::OptimizationLevel::O0)
          : builder.buildPerModuleDefaultPipeline(levels[optLevel]);
  passes.run(module, mam);
}

/// ld.lld of the LLVM installation, else ld.lld-22 on PATH; BNN_LD_LLD
/// overrides both.
static FailureOr<std::string> findLinker() {
  if (const char *override = std::getenv("BNN_LD_LLD"))
    if (*override)
      return std::string(override);
  llvm::SmallString<128> bundled(BNN_LLVM_TOOLS_DIR);
  llvm::sys::path::append(bundled, "ld.lld");
  if (llvm::sys::fs::can_execute(bundled))
    return std::string(bundled);
  if (llvm::ErrorOr<std::string> onPath =
          llvm::sys::findProgramByName("ld.lld-22"))
    return *onPath;
  return failure();
}

/// Links `object` into a shared library with ld.lld and returns its bytes.
static FailureOr<std::string> linkShared(MLIRContext *context, StringRef object,
                                         const TargetDescription &target) {
  Location loc = UnknownLoc::get(context);
  FailureOr<std::string> linker = findLinker();
  if (failed(linker))
    return emitError(loc) << "cannot find ld.lld (looked for "
                          << BNN_LLVM_TOOLS_DIR
                          << "/ld.lld and ld.lld-22 on PATH; set BNN_LD_LLD "
                             "to its path)";

  llvm::SmallString<128> objectPath, libraryPath, logPath;
  auto makeTemp = [&](StringRef suffix,
                      llvm::SmallString<128> &path) -> LogicalResult {
    if (std::error_code ec =
            llvm::sys::fs::createTemporaryFile("bnn", suffix, path))
      return emitError(loc)
             << "cannot create a temporary file: " << ec.message();
    return success();
  };
  if (failed(makeTemp("o", objectPath)))
    return failure();
  llvm::FileRemover removeObject(objectPath);
  if (failed(makeTemp("so", libraryPath)))
    return failure();
  llvm::FileRemover removeLibrary(libraryPath);
  if (failed(makeTemp("log", logPath)))
    return failure();
  llvm::FileRemover removeLog(logPath);

  {
    std::error_code ec;
    llvm::raw_fd_ostream os(objectPath, ec);
    if (!ec) {
      os << object;
      os.close();
      ec = os.error();
    }
    if (ec)
      return emitError(loc)
             << "cannot write '" << objectPath << "': " << ec.message();
  }

  SmallVector<StringRef> args = {*linker, "-shared", "-o", libraryPath,
                                 objectPath};
  // Only records DT_NEEDED libm.so.6; nothing of libm is copied in.
  if (llvm::sys::fs::exists(target.libmPath))
    args.append({"--no-as-needed", target.libmPath});
  // Parallel code calls the OpenMP runtime (DT_NEEDED libomp.so.5 only
  // when it does).
  if (llvm::sys::fs::exists(target.openmpPath))
    args.append({"--as-needed", target.openmpPath});
  std::optional<StringRef> redirects[] = {StringRef(""), StringRef(logPath),
                                          StringRef(logPath)};
  std::string errorMessage;
  int status = llvm::sys::ExecuteAndWait(*linker, args, std::nullopt, redirects,
                                         /*SecondsToWait=*/0,
                                         /*MemoryLimit=*/0, &errorMessage);
  if (status != 0) {
    InFlightDiagnostic diag = emitError(loc) << "linking the shared library "
                                                "with '"
                                             << *linker << "' failed";
    if (!errorMessage.empty())
      diag << ": " << errorMessage;
    if (auto log = llvm::MemoryBuffer::getFile(logPath))
      if (!(*log)->getBuffer().trim().empty())
        diag << "\n" << (*log)->getBuffer().trim();
    return failure();
  }

  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> library =
      llvm::MemoryBuffer::getFile(libraryPath, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!library)
    return emitError(loc) << "cannot read the linked library '" << libraryPath
                          << "': " << library.getError().message();
  return (*library)->getBuffer().str();
}

FailureOr<std::string>
compiler_detail::emitFromLLVMDialect(ModuleOp module,
                                     const TargetDescription &target,
                                     const CompileOptions &options) {
  MLIRContext *context = module.getContext();
  Location unknown = UnknownLoc::get(context);
  if (failed(checkTranslatable(module)))
    return failure();

  llvm::Expected<std::unique_ptr<llvm::TargetMachine>> machine =
      createTargetMachine(target, options.cpu, options.features,
                          options.optLevel);
  if (!machine)
    return emitError(unknown) << llvm::toString(machine.takeError());

  llvm::LLVMContext llvmContext;
  LLVMDiagnostics diagnostics{context};
  llvmContext.setDiagnosticHandlerCallBack(&LLVMDiagnostics::handle,
                                           &diagnostics);

  StringRef name = module.getSymName().value_or("bnn_model");
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext, name);
  if (!llvmModule)
    return failure();
  if (auto fileLoc = dyn_cast<FileLineColLoc>(module.getLoc()))
    llvmModule->setSourceFileName(fileLoc.getFilename().getValue());
  llvmModule->setTargetTriple((*machine)->getTargetTriple());
  llvmModule->setDataLayout((*machine)->createDataLayout());

  // Record the CPU and features on every definition, as clang does, so the
  // IR alone reproduces the code (llc, opt) and inlining sees them.
  std::string cpu = options.cpu.empty() ? target.defaultCPU.str() : options.cpu;
  std::string features = combineFeatures(target, options.features);
  for (llvm::Function &function : *llvmModule) {
    if (function.isDeclaration())
      continue;
    if (!function.hasFnAttribute("target-cpu"))
      function.addFnAttr("target-cpu", cpu);
    if (!features.empty() && !function.hasFnAttribute("target-features"))
      function.addFnAttr("target-features", features);
  }

  std::string verifierMessage;
  llvm::raw_string_ostream verifierOS(verifierMessage);
  if (llvm::verifyModule(*llvmModule, &verifierOS))
    return emitError(unknown)
           << "the translated LLVM IR is invalid: " << verifierMessage;

  optimize(*llvmModule, **machine, options.optLevel);
  if (diagnostics.hadError)
    return failure();

  if (options.emit == EmitKind::LLVM) {
    std::string text;
    llvm::raw_string_ostream os(text);
    llvmModule->print(os, nullptr);
    return text;
  }

  llvm::SmallString<0> buffer;
  {
    llvm::raw_svector_ostream os(buffer);
    llvm::legacy::PassManager codegen;
    llvm::TargetLibraryInfoImpl libraryInfo(llvmModule->getTargetTriple());
    codegen.add(new llvm::TargetLibraryInfoWrapperPass(libraryInfo));
    llvm::CodeGenFileType fileType = options.emit == EmitKind::Asm
                                         ? llvm::CodeGenFileType::AssemblyFile
                                         : llvm::CodeGenFileType::ObjectFile;
    if ((*machine)->addPassesToEmitFile(codegen, os, nullptr, fileType))
      return emitError(unknown)
             << "target " << target.name << " cannot emit this file type";
    codegen.run(*llvmModule);
  }
  if (diagnostics.hadError)
    return failure();

  if (options.emit == EmitKind::Shared)
    return linkShared(context, buffer.str(), target);
  return std::string(buffer.str());
}
