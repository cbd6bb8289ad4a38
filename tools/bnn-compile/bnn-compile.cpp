//===- bnn-compile.cpp - compile a bnn model to an artifact ---------------===//
//
// bnn-compile IN.mlir -target x86_64|aarch64 [-mcpu=NAME] [-mattr=+a,-b]
//             [-O0..3] [--emit=mlir|llvm|asm|obj|shared|header]
//             [--stop-after=PHASE] [--codegen-threads=N] [--verify-each]
//             -o OUT
//
// A thin driver over bnn/Compiler/Compiler.h. --emit defaults to what OUT's
// extension implies; `-` is stdin / stdout. Errors are diagnostics with
// file:line:col and a non-zero exit; a failed run leaves no output file.
//
//===----------------------------------------------------------------------===//

#include "bnn/Compiler/Compiler.h"
#include "bnn/Import/ONNX.h"
#include "bnn/Target/Target.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::bnn;
namespace cl = llvm::cl;

static cl::OptionCategory category("bnn-compile options");
static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.mlir or model.onnx>"),
                                      cl::init("-"), cl::cat(category));
static cl::opt<std::string> outputFile("o",
                                       cl::desc("Output file ('-' for stdout)"),
                                       cl::value_desc("file"), cl::init("-"),
                                       cl::cat(category));
static cl::opt<std::string>
    targetName("target", cl::desc("Target architecture: x86_64 or aarch64"),
               cl::value_desc("arch"), cl::init("x86_64"), cl::cat(category));
static cl::opt<std::string>
    cpuName("mcpu",
            cl::desc("Target CPU (default: x86-64 code for three CPU levels, one "
                     "picked at load time; AArch64 generic; "
                     "-mcpu=help lists them)"),
            cl::value_desc("name"), cl::cat(category));
static cl::opt<std::string>
    features("mattr",
             cl::desc("Target features, e.g. +avx512f,-avx512vl "
                      "(-mattr=help lists them)"),
             cl::value_desc("+a,-b"), cl::cat(category));
static cl::opt<std::string> optLevel("O",
                                     cl::desc("Optimization level: -O0, -O1, "
                                              "-O2 (default) or -O3"),
                                     cl::Prefix, cl::init("2"),
                                     cl::cat(category));
// The help texts name the kinds and phases from their tables.
static const std::string emitHelp =
    "Artifact: " + listEmitKinds() +
    " (default: from the output file's extension)";
static cl::opt<std::string> emitName("emit", cl::desc(emitHelp),
                                     cl::value_desc("kind"),
                                     cl::cat(category));

static cl::opt<unsigned> codegenThreads(
    "codegen-threads",
    cl::desc("Threads of LLVM code generation for shared libraries (0, the "
             "default: one per hardware thread for large models; 1: one "
             "object, generated on the calling thread)"),
    cl::value_desc("N"), cl::init(0), cl::cat(category));

static cl::opt<bool> verifyEach(
    "verify-each",
    cl::desc("Verify the IR after every pass of the lowering (default: the "
             "model and the lowering's result only)"),
    cl::init(false), cl::cat(category));

static cl::opt<bool>
    layerStats("layer-stats",
               cl::desc("Report the multiply-accumulates of each layer and "
                        "their totals by kind (binary, k-bit, int8, float) "
                        "as a remark"),
               cl::init(false), cl::cat(category));

static cl::opt<std::string> pipelineOptions(
    "pipeline-options",
    cl::desc("Options of the bnn-lower-to-llvm pipeline, e.g. "
             "\"tile=false lazy-popcount=false\" (see docs/Pipeline.md)"),
    cl::value_desc("k=v ..."), cl::cat(category));

static cl::list<std::string> inputShapes(
    "input-shape",
    cl::desc("Static shape of an ONNX graph input (repeatable), e.g. "
             "--input-shape input=1x3x32x32 (docs/ONNX.md)"),
    cl::value_desc("name=DIMS"), cl::cat(category));

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "bnn-compile") << message << "\n";
  return 1;
}

/// Prints a -mcpu=help / -mattr=help list; a write error on stdout is an
/// error, not exit status 0.
static int printNames(llvm::StringRef what, const TargetDescription &target,
                      const std::vector<std::string> &names) {
  llvm::outs() << what << " of target " << target.name << ":\n";
  for (const std::string &name : names)
    llvm::outs() << "  " << name << "\n";
  llvm::outs().flush();
  if (std::error_code ec = llvm::outs().error()) {
    llvm::outs().clear_error();
    return fail("cannot write to stdout: " + ec.message());
  }
  return 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  registerDefaultTimingManagerCLOptions();
  // libLLVM's code generator registers its own -stop-after (a pass name);
  // bnn-compile's names a lowering phase, so LLVM's is withdrawn first.
  if (cl::Option *llvmStopAfter =
          cl::getRegisteredOptions().lookup("stop-after"))
    llvmStopAfter->removeArgument();
  std::string stopAfterHelp = "Last lowering phase: " + listPhases() +
                              " (phases before llvm need --emit=mlir)";
  cl::opt<std::string> stopAfter("stop-after", cl::desc(stopAfterHelp),
                                 cl::value_desc("phase"), cl::init("llvm"),
                                 cl::cat(category));
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "bnn compiler: lowers a model to MLIR, LLVM IR, assembly, an object, "
      "a shared library or a C header\n");

  const TargetDescription *target = lookupTargetDescription(targetName);
  if (!target)
    return fail("unknown target '" + targetName + "' (expected " +
                listTargetNames() + ")");
  if (cpuName == "help")
    return printNames("CPUs", *target, listCPUs(*target));
  if (features == "help")
    return printNames("Features", *target, listFeatures(*target));

  CompileOptions options;
  options.lowering.target = targetName;
  options.lowering.cpu = cpuName;
  options.lowering.features = features;
  if (std::string error = setPipelineOptions(options, pipelineOptions);
      !error.empty())
    return fail(error);
  options.codegenThreads = codegenThreads;
  options.verifyEachPass = verifyEach;
  options.layerStats = layerStats;
  for (const std::string &spec : inputShapes) {
    ONNXImportOptions onnx;
    std::string error;
    if (!parseInputShape(spec, onnx, error))
      return fail("--input-shape: " + error);
    options.inputShapes.insert(onnx.inputShapes.begin(), onnx.inputShapes.end());
  }
  if (optLevel.size() != 1 || optLevel[0] < '0' || optLevel[0] > '3')
    return fail("invalid optimization level '-O" + optLevel +
                "' (expected -O0, -O1, -O2 or -O3)");
  options.optLevel = optLevel[0] - '0';

  std::optional<Phase> phase = parsePhase(stopAfter);
  if (!phase)
    return fail("unknown phase '" + stopAfter +
                "' for --stop-after (expected " + listPhases() + ")");
  options.lowering.stopAfter = *phase;

  if (emitName.getNumOccurrences()) {
    std::optional<EmitKind> kind = parseEmitKind(emitName);
    if (!kind)
      return fail("unknown --emit kind '" + emitName + "' (expected " +
                  listEmitKinds() + ")");
    options.emit = *kind;
  } else if (std::optional<EmitKind> kind = inferEmitKind(outputFile)) {
    options.emit = *kind;
  } else if (options.lowering.stopAfter != Phase::LLVM) {
    // --stop-after only makes sense with MLIR output.
    options.emit = EmitKind::MLIR;
  } else {
    return fail("cannot infer the artifact kind from the output '" +
                outputFile +
                "': give --emit or use .mlir, .ll, .s, .o, .so or .h");
  }

  std::string invalid = validateOptions(options);
  if (!invalid.empty())
    return fail(invalid);
  if (outputFile == "-" && isBinaryEmitKind(options.emit) &&
      llvm::sys::Process::StandardOutIsDisplayed())
    return fail("refusing to write a binary artifact to the terminal; give "
                "-o FILE");

  options.configurePassManager = [](PassManager &pm) -> LogicalResult {
    if (failed(applyPassManagerCLOptions(pm)))
      return failure();
    applyDefaultTimingPassManagerCLOptions(pm);
    return success();
  };

  DialectRegistry registry;
  registerCompilerDialects(registry);
  MLIRContext context(registry);
  context.printOpOnDiagnostic(false);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  // Diagnostics without a location (files, options, the linker) read like
  // the driver's own errors rather than "<unknown>:0: error: ...".
  ScopedDiagnosticHandler unlocated(&context, [](Diagnostic &diag) {
    if (!isa<UnknownLoc>(diag.getLocation()))
      return failure();
    auto print = [](llvm::raw_ostream &os,
                    DiagnosticSeverity severity) -> llvm::raw_ostream & {
      switch (severity) {
      case DiagnosticSeverity::Error:
        return llvm::WithColor::error(os, "bnn-compile");
      case DiagnosticSeverity::Warning:
        return llvm::WithColor::warning(os, "bnn-compile");
      case DiagnosticSeverity::Note:
        return llvm::WithColor::note(os, "bnn-compile");
      case DiagnosticSeverity::Remark:
        return llvm::WithColor::remark(os, "bnn-compile");
      }
      return llvm::WithColor::error(os, "bnn-compile");
    };
    print(llvm::errs(), diag.getSeverity()) << diag.str() << "\n";
    for (Diagnostic &note : diag.getNotes())
      print(llvm::errs(), note.getSeverity()) << note.str() << "\n";
    return success();
  });

  return failed(compileFile(context, inputFile, outputFile, options)) ? 1 : 0;
}
