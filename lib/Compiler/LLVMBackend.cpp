//===- LLVMBackend.cpp - LLVM IR, assembly, objects, shared libraries -----===//
//
// The module in the LLVM dialect is translated to LLVM IR, given the
// target's triple and data layout, optimised with LLVM's default pipeline at
// -O0..3 and compiled in-process. Shared libraries are the objects linked by
// ld.lld (-shared) in a child process, through in-memory files only; the
// artifact's libc references (malloc, free, memcpy) stay undefined and
// resolve when it is loaded. A large module's code is generated in
// partitions on several threads (SplitModule.cpp), one object each.
//
// With -time-passes, LLVM's report also times the translation, the
// optimisation pipeline pass by pass, code generation and the link.
//
//===----------------------------------------------------------------------===//

#include "CompilerInternal.h"

#include "bnn-c/Runtime.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Threading.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "mlir/Target/LLVMIR/LLVMTranslationInterface.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/DiagnosticPrinter.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Pass.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/StandardInstrumentations.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/Timer.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Transforms/IPO/AlwaysInliner.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

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

/// Marks always-inline every internal function with many parameters whose
/// only use is one direct call, and returns whether there was one. LLVM's
/// CalledValuePropagation, early in the default pipeline, revisits a call
/// each time the lattice value of one of its arguments changes: time
/// quadratic in the number of arguments. The C interface of a function
/// with N tensors calls it with five values per memref descriptor
/// (22 s at N = 400 before); inlined first, there is no such call left. A
/// local function called once is inlined by the pipeline anyway.
static bool markWideSingleCallees(llvm::Module &module) {
  constexpr size_t kWideCall = 64;
  bool marked = false;
  for (llvm::Function &function : module) {
    if (function.isDeclaration() || !function.hasLocalLinkage() ||
        function.arg_size() < kWideCall || !function.hasOneUse() ||
        function.hasFnAttribute(llvm::Attribute::NoInline))
      continue;
    auto *call = llvm::dyn_cast<llvm::CallBase>(function.user_back());
    if (!call || call->getCalledFunction() != &function)
      continue;
    function.addFnAttr(llvm::Attribute::AlwaysInline);
    marked = true;
  }
  return marked;
}

static void optimize(llvm::Module &module, llvm::TargetMachine &machine,
                     unsigned optLevel) {
  llvm::PipelineTuningOptions tuning;
  tuning.LoopVectorization = optLevel >= 2;
  tuning.SLPVectorization = optLevel >= 2;
  tuning.LoopUnrolling = optLevel >= 2;
  // -time-passes times the pipeline pass by pass (only then is there
  // instrumentation).
  llvm::PassInstrumentationCallbacks instrumentation;
  std::optional<llvm::StandardInstrumentations> standard;
  if (llvm::TimePassesIsEnabled) {
    standard.emplace(module.getContext(), /*DebugLogging=*/false);
    standard->registerCallbacks(instrumentation);
  }
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder builder(&machine, tuning, std::nullopt,
                            standard ? &instrumentation : nullptr);
  builder.registerModuleAnalyses(mam);
  builder.registerCGSCCAnalyses(cgam);
  builder.registerFunctionAnalyses(fam);
  builder.registerLoopAnalyses(lam);
  builder.crossRegisterProxies(lam, fam, cgam, mam);

  static const llvm::OptimizationLevel levels[] = {
      llvm::OptimizationLevel::O0, llvm::OptimizationLevel::O1,
      llvm::OptimizationLevel::O2, llvm::OptimizationLevel::O3};
  llvm::ModulePassManager passes;
  // At -O0 the default pipeline is the always-inliner.
  if (markWideSingleCallees(module) && optLevel > 0)
    passes.addPass(llvm::AlwaysInlinerPass());
  passes.addPass(
      optLevel == 0
          ? builder.buildO0DefaultPipeline(llvm::OptimizationLevel::O0)
          : builder.buildPerModuleDefaultPipeline(levels[optLevel]));
  passes.run(module, mam);
}

/// ld.lld of the LLVM installation, else ld.lld-22 on PATH; BNN_LD_LLD
/// overrides both (a name without a slash is looked up on PATH).
static FailureOr<std::string> findLinker() {
  if (const char *override = std::getenv("BNN_LD_LLD"))
    if (*override) {
      if (StringRef(override).contains('/'))
        return std::string(override);
      if (llvm::ErrorOr<std::string> onPath =
              llvm::sys::findProgramByName(override))
        return *onPath;
      return std::string(override); // reported when it cannot be run
    }
  llvm::SmallString<128> bundled(BNN_LLVM_TOOLS_DIR);
  llvm::sys::path::append(bundled, "ld.lld");
  if (llvm::sys::fs::can_execute(bundled))
    return std::string(bundled);
  if (llvm::ErrorOr<std::string> onPath =
          llvm::sys::findProgramByName("ld.lld-22"))
    return *onPath;
  return failure();
}

namespace {
/// A file descriptor, closed when it goes out of scope.
class FileDescriptor {
public:
  explicit FileDescriptor(int fd = -1) : fd(fd) {}
  FileDescriptor(const FileDescriptor &) = delete;
  FileDescriptor &operator=(const FileDescriptor &) = delete;
  ~FileDescriptor() { reset(); }
  void reset(int newFD = -1) {
    if (fd >= 0)
      ::close(fd);
    fd = newFD;
  }
  int get() const { return fd; }

private:
  int fd;
};
} // namespace

/// An anonymous in-memory file (close-on-exec, numbered 10 or above so that
/// the child's dup2 onto 0..2 never collides with it), or -1 with errno.
static int createMemoryFile(const char *name) {
  int fd = memfd_create(name, MFD_CLOEXEC);
  if (fd < 0)
    return -1;
  int high = fcntl(fd, F_DUPFD_CLOEXEC, 10);
  int error = errno;
  ::close(fd);
  errno = error;
  return high;
}

static bool writeAllTo(int fd, StringRef bytes) {
  const char *p = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    p += n;
    left -= static_cast<size_t>(n);
  }
  return true;
}

static bool readAllFrom(int fd, std::string &bytes) {
  bytes.clear();
  if (::lseek(fd, 0, SEEK_SET) != 0)
    return false;
  char chunk[1 << 16];
  while (true) {
    ssize_t n = ::read(fd, chunk, sizeof(chunk));
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return false;
    if (n == 0)
      return true;
    bytes.append(chunk, static_cast<size_t>(n));
  }
}

/// Whether `bytes` start with the header of an ELF shared object (e_type
/// ET_DYN; both targets are little-endian).
static bool isELFSharedObject(StringRef bytes) {
  return bytes.size() >= 64 && bytes.starts_with("\177ELF") &&
         static_cast<uint8_t>(bytes[16]) == 3 && bytes[17] == 0;
}

/// Links `objects` into a shared library with ld.lld and returns its bytes.
///
/// Nothing goes through the file system: each object is an in-memory file
/// (memfd) that the linker reads as /proc/self/fd/N, the library is what it
/// writes to its standard output (`-o -`, another memfd) and its messages
/// go to a third one. The linker is a child of the calling thread that the
/// kernel kills (PR_SET_PDEATHSIG) when that thread dies, so a compiler
/// interrupted by SIGINT or SIGTERM while linking leaves neither a linker
/// running nor temporary files in TMPDIR.
static FailureOr<std::string> linkShared(MLIRContext *context,
                                         ArrayRef<StringRef> objects,
                                         const TargetDescription &target) {
  Location loc = UnknownLoc::get(context);
  FailureOr<std::string> linker = findLinker();
  if (failed(linker))
    return emitError(loc) << "cannot find ld.lld (looked for "
                          << BNN_LLVM_TOOLS_DIR
                          << "/ld.lld and ld.lld-22 on PATH; set BNN_LD_LLD "
                             "to its path)";

  SmallVector<std::unique_ptr<FileDescriptor>> objectFiles;
  SmallVector<int> objectFDs;
  for (StringRef object : objects) {
    objectFiles.push_back(
        std::make_unique<FileDescriptor>(createMemoryFile("bnn-object")));
    int fd = objectFiles.back()->get();
    if (fd < 0)
      return emitError(loc) << "cannot create the linker's in-memory files: "
                            << std::strerror(errno);
    if (!writeAllTo(fd, object))
      return emitError(loc) << "cannot write the object for the linker: "
                            << std::strerror(errno);
    objectFDs.push_back(fd);
  }
  FileDescriptor libraryFile(createMemoryFile("bnn-library"));
  FileDescriptor logFile(createMemoryFile("bnn-linker-log"));
  FileDescriptor devNull(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  if (libraryFile.get() < 0 || logFile.get() < 0 || devNull.get() < 0)
    return emitError(loc) << "cannot create the linker's in-memory files: "
                          << std::strerror(errno);

  SmallVector<std::string> args = {*linker, "-shared", "-o", "-"};
  // The objects in their order: the library's layout does not depend on
  // which thread finished first.
  for (int fd : objectFDs)
    args.push_back("/proc/self/fd/" + std::to_string(fd));
  // Only records DT_NEEDED libm.so.6; nothing of libm is copied in.
  if (llvm::sys::fs::exists(target.libmPath))
    args.append({"--no-as-needed", target.libmPath.str()});
  // Parallel code calls the OpenMP runtime (DT_NEEDED libomp.so.5 only
  // when it does).
  if (llvm::sys::fs::exists(target.openmpPath))
    args.append({"--as-needed", target.openmpPath.str()});
  // Everything the child uses is prepared before fork: after it, only
  // async-signal-safe calls.
  std::vector<char *> argv;
  for (std::string &arg : args)
    argv.push_back(arg.data());
  argv.push_back(nullptr);

  int execPipe[2];
  if (::pipe2(execPipe, O_CLOEXEC) != 0)
    return emitError(loc) << "cannot start the linker: "
                          << std::strerror(errno);
  FileDescriptor execRead(execPipe[0]), execWrite(execPipe[1]);
  pid_t parent = ::getpid();
  pid_t child = ::fork();
  if (child < 0)
    return emitError(loc) << "cannot start the linker: "
                          << std::strerror(errno);
  if (child == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) // the compiler is already gone
      ::_exit(127);
    sigset_t none;
    sigemptyset(&none);
    ::pthread_sigmask(SIG_SETMASK, &none, nullptr);
    // The objects stay where they are (numbered 10 and above, clear of the
    // standard streams), open across exec.
    bool ready = ::dup2(devNull.get(), 0) >= 0 &&
                 ::dup2(libraryFile.get(), 1) >= 0 &&
                 ::dup2(logFile.get(), 2) >= 0;
    for (int fd : objectFDs)
      ready = ready && ::fcntl(fd, F_SETFD, 0) >= 0;
    if (!ready) {
      int error = errno;
      (void)!::write(execWrite.get(), &error, sizeof(error));
      ::_exit(127);
    }
    ::execv(argv[0], argv.data());
    int error = errno;
    (void)!::write(execWrite.get(), &error, sizeof(error));
    ::_exit(127);
  }
  execWrite.reset();
  int execError = 0;
  ssize_t got;
  do
    got = ::read(execRead.get(), &execError, sizeof(execError));
  while (got < 0 && errno == EINTR);
  int status = 0;
  pid_t waited;
  do
    waited = ::waitpid(child, &status, 0);
  while (waited < 0 && errno == EINTR);

  std::string library, log;
  bool readLibrary = readAllFrom(libraryFile.get(), library);
  (void)readAllFrom(logFile.get(), log);
  auto linkError = [&]() {
    InFlightDiagnostic diag = emitError(loc) << "linking the shared library "
                                                "with '"
                                             << *linker << "' failed";
    return diag;
  };
  auto appendLog = [&](InFlightDiagnostic &diag) {
    if (!StringRef(log).trim().empty())
      diag << "\n" << StringRef(log).trim();
  };
  if (got == static_cast<ssize_t>(sizeof(execError)))
    return linkError() << ": cannot execute it: " << std::strerror(execError);
  if (waited < 0)
    return linkError() << ": cannot wait for it: " << std::strerror(errno);
  if (WIFSIGNALED(status)) {
    InFlightDiagnostic diag = linkError();
    diag << ": it was killed by signal " << WTERMSIG(status) << " ("
         << strsignal(WTERMSIG(status)) << ")";
    appendLog(diag);
    return failure();
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    InFlightDiagnostic diag = linkError();
    diag << ": it exited with status " << WEXITSTATUS(status);
    appendLog(diag);
    return failure();
  }
  if (!readLibrary)
    return linkError() << ": cannot read the library it wrote: "
                       << std::strerror(errno);
  if (!isELFSharedObject(library)) {
    InFlightDiagnostic diag = linkError();
    diag << ": it exited with status 0 but wrote no ELF shared object ("
         << library.size() << " bytes)";
    appendLog(diag);
    return failure();
  }
  return library;
}

/// Compiles `module` to an object (or assembly) with `machine`.
static LogicalResult generateCode(llvm::Module &module,
                                  llvm::TargetMachine &machine,
                                  llvm::CodeGenFileType fileType,
                                  SmallVectorImpl<char> &out) {
  llvm::raw_svector_ostream os(out);
  llvm::legacy::PassManager codegen;
  llvm::TargetLibraryInfoImpl libraryInfo(module.getTargetTriple());
  codegen.add(new llvm::TargetLibraryInfoWrapperPass(libraryInfo));
  if (machine.addPassesToEmitFile(codegen, os, nullptr, fileType))
    return failure();
  codegen.run(module);
  return success();
}

/// Below this many instructions per partition, a module is one object
/// unless more threads are asked for. Splitting writes the module as
/// bitcode once and every other partition reads all of it back, about a
/// twentieth of what generating the code costs; 20,000 instructions take
/// more than half a second to generate.
static constexpr uint64_t kMinInstructionsPerPartition = 20000;
/// At most this many partitions, however many threads there are: each
/// reads the whole module (memory and time that more threads would not
/// win back).
static constexpr unsigned kMaxCodegenPartitions = 8;

/// The most partitions code generation of `module` may use.
static unsigned codegenPartitions(MLIRContext *context,
                                  const CompileOptions &options) {
  if (options.emit != EmitKind::Shared)
    return 1;
  unsigned threads = options.codegenThreads;
  if (threads == 0)
    threads = context->isMultithreadingEnabled()
                  ? context->getThreadPool().getMaxConcurrency()
                  : 1;
  return std::min(threads, kMaxCodegenPartitions);
}

FailureOr<std::string>
compiler_detail::emitFromLLVMDialect(ArrayRef<ModuleOp> modules,
                                     const TargetDescription &target,
                                     const CompileOptions &options,
                                     ArrayRef<CodeVariant> variants) {
  assert(!modules.empty() &&
         (variants.empty() || variants.size() == modules.size()));
  ModuleOp module = modules.front();
  MLIRContext *context = module.getContext();
  Location unknown = UnknownLoc::get(context);
  for (ModuleOp variantModule : modules)
    if (failed(checkTranslatable(variantModule)))
      return failure();

  // The CPU and features of each module; the machine is the first's (the
  // lowest variant's), and every function carries its own.
  const LowerToLLVMOptions &lowering = options.lowering;
  auto cpuOf = [&](unsigned i) {
    StringRef cpu = variants.empty() ? StringRef(lowering.cpu) : variants[i].cpu;
    return cpu.empty() ? target.defaultCPU.str() : cpu.str();
  };
  auto featuresOf = [&](unsigned i) {
    return variants.empty() ? std::string(lowering.features)
                            : variants[i].features.str();
  };
  std::string machineCPU = cpuOf(0), machineFeatures = featuresOf(0);
  llvm::Expected<std::unique_ptr<llvm::TargetMachine>> machine =
      createTargetMachine(target, machineCPU, machineFeatures,
                          options.optLevel);
  if (!machine)
    return emitError(unknown) << llvm::toString(machine.takeError());

  llvm::LLVMContext llvmContext;
  LLVMDiagnostics diagnostics{context};
  llvmContext.setDiagnosticHandlerCallBack(&LLVMDiagnostics::handle,
                                           &diagnostics);

  // -time-passes reports the phases too.
  static constexpr llvm::StringLiteral kTimerGroup = "bnn-compile";
  static constexpr llvm::StringLiteral kTimerGroupDescription =
      "bnn-compile LLVM phases";
  auto phaseTimer = [&](StringRef name, StringRef description) {
    return std::make_unique<llvm::NamedRegionTimer>(
        name, description, kTimerGroup, kTimerGroupDescription,
        llvm::TimePassesIsEnabled);
  };

  StringRef name = module.getSymName().value_or("bnn_model");
  auto timer = phaseTimer("translate", "Translation to LLVM IR");
  SmallVector<std::unique_ptr<llvm::Module>> llvmModules;
  for (auto [i, variantModule] : llvm::enumerate(modules)) {
    std::unique_ptr<llvm::Module> translated =
        translateModuleToLLVMIR(variantModule, llvmContext, name);
    if (!translated)
      return failure();
    if (auto fileLoc = dyn_cast<FileLineColLoc>(module.getLoc()))
      translated->setSourceFileName(fileLoc.getFilename().getValue());
    translated->setTargetTriple((*machine)->getTargetTriple());
    translated->setDataLayout((*machine)->createDataLayout());
    // Record the CPU and features on every definition, as clang does, so
    // the IR alone reproduces the code (llc, opt) and inlining sees them.
    std::string cpu = cpuOf(i);
    std::string features = combineFeatures(target, featuresOf(i));
    for (llvm::Function &function : *translated) {
      if (function.isDeclaration())
        continue;
      if (!function.hasFnAttribute("target-cpu"))
        function.addFnAttr("target-cpu", cpu);
      if (!features.empty() && !function.hasFnAttribute("target-features"))
        function.addFnAttr("target-features", features);
    }
    llvmModules.push_back(std::move(translated));
  }
  if (llvmModules.size() > 1) {
    // The CPU detection runs before the loader can check anything: code
    // for the target's baseline.
    llvm::AttrBuilder dispatchAttrs(llvmContext);
    dispatchAttrs.addAttribute("target-cpu", target.defaultCPU);
    std::string features = combineFeatures(target, "");
    if (!features.empty())
      dispatchAttrs.addAttribute("target-features", features);
    dispatchAttrs.addAttribute(llvm::Attribute::NoUnwind);
    if (failed(linkCodeVariants(
            context, llvmModules, variants,
            llvm::AttributeList::get(llvmContext,
                                     llvm::AttributeList::FunctionIndex,
                                     dispatchAttrs))))
      return failure();
  }
  std::unique_ptr<llvm::Module> llvmModule = std::move(llvmModules.front());

  // Every feature the code may use, so that the runtime can refuse, with a
  // message, an artifact that would fault on the CPU loading it
  // (docs/RuntimeABI.md#target-features). The bnn_ prefix is reserved.
  {
    const llvm::MCSubtargetInfo *subtarget = (*machine)->getMCSubtargetInfo();
    llvm::SmallVector<std::string> enabled;
    for (const llvm::SubtargetFeatureKV &kv :
         subtarget->getAllProcessorFeatures())
      if (subtarget->checkFeatures(("+" + llvm::StringRef(kv.Key)).str()))
        enabled.push_back(kv.Key);
    llvm::Constant *text = llvm::ConstantDataArray::getString(
        llvmContext, llvm::join(enabled, ","));
    new llvm::GlobalVariable(*llvmModule, text->getType(), /*isConstant=*/true,
                             llvm::GlobalValue::ExternalLinkage, text,
                             BNN_TARGET_FEATURES_SYMBOL);
  }

  std::string verifierMessage;
  llvm::raw_string_ostream verifierOS(verifierMessage);
  if (llvm::verifyModule(*llvmModule, &verifierOS))
    return emitError(unknown)
           << "the translated LLVM IR is invalid: " << verifierMessage;

  timer = phaseTimer("optimize", "Optimization (whole module)");
  optimize(*llvmModule, **machine, options.optLevel);
  timer.reset();
  if (diagnostics.hadError)
    return failure();

  if (options.emit == EmitKind::LLVM) {
    std::string text;
    llvm::raw_string_ostream os(text);
    llvmModule->print(os, nullptr);
    return text;
  }

  llvm::CodeGenFileType fileType = options.emit == EmitKind::Asm
                                       ? llvm::CodeGenFileType::AssemblyFile
                                       : llvm::CodeGenFileType::ObjectFile;
  timer = phaseTimer("split", "Splitting for parallel code generation");
  CodegenPartitions plan = planCodegenPartitions(
      *llvmModule, codegenPartitions(context, options),
      options.codegenThreads == 0 ? kMinInstructionsPerPartition : 0);
  unsigned parts = plan.count;
  if (parts > 1 && failed(keepCodegenPartition(*llvmModule, plan, 0)))
    return emitError(unknown) << "cannot split the module for code generation";
  // Every partition has its own target machine and (but the first) its own
  // LLVM context: neither may be shared between threads.
  SmallVector<std::unique_ptr<llvm::TargetMachine>> machines;
  machines.push_back(std::move(*machine));
  for (unsigned i = 1; i < parts; ++i) {
    llvm::Expected<std::unique_ptr<llvm::TargetMachine>> partMachine =
        createTargetMachine(target, machineCPU, machineFeatures,
                            options.optLevel);
    if (!partMachine)
      return emitError(unknown) << llvm::toString(partMachine.takeError());
    machines.push_back(std::move(*partMachine));
  }

  timer = phaseTimer("codegen", "Code generation (all partitions)");
  std::string moduleName = llvmModule->getModuleIdentifier();
  SmallVector<SmallVector<char, 0>> objects(parts);
  auto cannotEmit = [&]() {
    return emitError(unknown)
           << "target " << target.name << " cannot emit this file type";
  };
  auto generatePart = [&](unsigned part) -> LogicalResult {
    if (part == 0) {
      if (failed(generateCode(*llvmModule, *machines[0], fileType, objects[0])))
        return cannotEmit();
      return failure(diagnostics.hadError);
    }
    llvm::LLVMContext partContext;
    LLVMDiagnostics partDiagnostics{context};
    partContext.setDiagnosticHandlerCallBack(&LLVMDiagnostics::handle,
                                             &partDiagnostics);
    llvm::Expected<std::unique_ptr<llvm::Module>> partModule =
        llvm::parseBitcodeFile(
            llvm::MemoryBufferRef(
                StringRef(plan.bitcode.data(), plan.bitcode.size()),
                moduleName),
            partContext);
    if (!partModule)
      return emitError(unknown)
             << "cannot read back code generation partition " << part << ": "
             << llvm::toString(partModule.takeError());
    if (failed(keepCodegenPartition(**partModule, plan, part)))
      return emitError(unknown)
             << "code generation partition " << part
             << " read back is not the module that was split";
    if (failed(generateCode(**partModule, *machines[part], fileType,
                            objects[part])))
      return cannotEmit();
    return failure(partDiagnostics.hadError);
  };
  if (failed(failableParallelForEachN(context, 0, parts, generatePart)))
    return failure();
  timer.reset();
  plan.bitcode = {};

  if (options.emit == EmitKind::Shared) {
    auto linkTimer = phaseTimer("link", "Linking (ld.lld)");
    SmallVector<StringRef> objectRefs;
    for (SmallVector<char, 0> &object : objects)
      objectRefs.push_back(StringRef(object.data(), object.size()));
    return linkShared(context, objectRefs, target);
  }
  return std::string(objects[0].data(), objects[0].size());
}
