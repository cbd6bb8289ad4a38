//===- Compiler.h - the bnn compiler as a library ---------------*- C++ -*-===//
//
// Compiles a model (bnn + upstream float glue) to an artifact in memory or
// to a file: MLIR after a lowering phase, LLVM IR, assembly, an object file,
// a shared library, or a C header declaring the artifact's entry points.
// bnn-compile and the C API (bnn-c/Compiler.h) are thin layers over this.
//
// Errors are MLIR diagnostics emitted through the module's MLIRContext, with
// the locations of the input; nothing is written when compilation fails.
//
//===----------------------------------------------------------------------===//

#ifndef BNN_COMPILER_COMPILER_H
#define BNN_COMPILER_COMPILER_H

#include "bnn/Pipelines/Pipelines.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <functional>
#include <map>
#include <optional>
#include <string>

namespace llvm {
class SourceMgr;
} // namespace llvm

namespace mlir {
class DialectRegistry;
class MLIRContext;
class PassManager;

namespace bnn {

/// What a compilation produces.
enum class EmitKind {
  /// MLIR text after the phase `CompileOptions::stopAfter`.
  MLIR,
  /// LLVM IR text, optimised at the requested level.
  LLVM,
  /// Assembly text.
  Asm,
  /// A relocatable, position-independent ELF object.
  Obj,
  /// An ELF shared library (the object linked with ld.lld).
  Shared,
  /// A C header declaring the artifact's entry points.
  Header,
};

/// Parses "mlir", "llvm", "asm", "obj", "shared", "header".
std::optional<EmitKind> parseEmitKind(llvm::StringRef name);
llvm::StringRef stringifyEmitKind(EmitKind kind);
/// "mlir, llvm, asm, obj, shared, header", for help texts.
std::string listEmitKinds();
/// The kind a file name's extension implies: .mlir, .ll, .s, .o, .so, .h;
/// std::nullopt for anything else (including "-").
std::optional<EmitKind> inferEmitKind(llvm::StringRef path);
/// Whether the kind's artifact is binary (obj, shared).
bool isBinaryEmitKind(EmitKind kind);

struct CompileOptions {
  CompileOptions() = default;
  CompileOptions(const CompileOptions &other) { *this = other; }
  CompileOptions &operator=(const CompileOptions &other);

  /// The lowering (bnn-lower-to-llvm's options, declared once there):
  /// target name ("x86_64" or "aarch64", see bnn/Target/Target.h), CPU
  /// (empty: the target's default), extra features ("+a,-b"), the last
  /// phase to run (anything before Phase::LLVM is only meaningful with
  /// EmitKind::MLIR) and every optimisation switch. setPipelineOptions sets
  /// the switches from their textual form.
  LowerToLLVMOptions lowering;
  /// LLVM optimisation and code generation level, 0..3.
  unsigned optLevel = 2;
  EmitKind emit = EmitKind::Obj;
  /// Parallel LLVM code generation of shared libraries: the optimised
  /// module is cut into up to this many partitions of whole functions,
  /// compiled to objects on the context's threads and linked together
  /// (every function's machine code is the same as in one object). 0: as
  /// many as the context's thread pool has threads (one when its
  /// multithreading is disabled), for modules large enough to gain from it;
  /// 1: one object on the calling thread; N > 1: up to N whenever the
  /// module has more than one function. At most 8 either way. Other emit
  /// kinds are one object or assembly file.
  unsigned codegenThreads = 0;
  /// Verify the IR after every pass of the lowering (as `bnn-opt` does),
  /// not only the model as parsed and the lowering's result: slower, and
  /// names the pass that produced invalid IR.
  bool verifyEachPass = false;
  /// Report the multiply-accumulates of each layer and their totals by kind
  /// (bnn/Compiler/LayerStats.h) as a remark on the model before lowering.
  bool layerStats = false;
  /// Called on the MLIR pass manager before it runs (instrumentation,
  /// command-line IR printing, timing). Optional.
  std::function<LogicalResult(PassManager &)> configurePassManager;
  /// Static shapes of ONNX graph inputs ("name" -> dims) when the model is an
  /// ONNX file (docs/ONNX.md#the-boundary); unused for MLIR text.
  std::map<std::string, llvm::SmallVector<int64_t>> inputShapes;
};

/// Sets the optimisation switches of `options.lowering` from the textual
/// form of bnn-lower-to-llvm's options, e.g. "tile=false
/// lazy-popcount=false" (target, cpu, features and stop-after have fields
/// and flags of their own and are refused here). Returns an empty string on
/// success, otherwise a one-line message; nothing is printed.
std::string setPipelineOptions(CompileOptions &options, llvm::StringRef text);

/// Checks target, CPU, features, the lowering's options, the optimisation
/// level and the combination of emit kind and phase. Returns an empty string when the options are valid,
/// otherwise a one-line message ("unknown target 'foo' (expected x86_64,
/// aarch64)").
std::string validateOptions(const CompileOptions &options);

/// Adds every dialect, extension and LLVM IR translation the compiler uses
/// to `registry` (a context created from it can parse and compile any
/// model).
void registerCompilerDialects(DialectRegistry &registry);

/// Compiles `module` into an artifact of kind `options.emit`, returned as
/// bytes. The module is lowered in place (its contents are unspecified
/// afterwards). Errors are emitted through the module's context.
FailureOr<std::string> compileModule(ModuleOp module,
                                     const CompileOptions &options);

/// Parses the main buffer of `sourceMgr` into `context` (which the caller
/// created from a registry filled by registerCompilerDialects) and compiles
/// it.
FailureOr<std::string> compileSource(llvm::SourceMgr &sourceMgr,
                                     MLIRContext &context,
                                     const CompileOptions &options);

/// Compiles the MLIR text `text` in a context of its own (the whole call is
/// independent of other threads). `bufferName` names the text in
/// diagnostics (a path, or "<string>"). On failure returns failure and sets
/// `diagnostics` to the messages ("file:line:col: error: ...").
FailureOr<std::string> compileText(llvm::StringRef text,
                                   llvm::StringRef bufferName,
                                   const CompileOptions &options,
                                   std::string &diagnostics);

/// Reads `inputPath` ("-": stdin), compiles it and writes the artifact to
/// `outputPath` ("-": stdout). The output is written to a temporary file
/// beside `outputPath` and renamed into place only on success, so a failed
/// compilation leaves no partial file (and keeps an existing one).
LogicalResult compileFile(MLIRContext &context, llvm::StringRef inputPath,
                          llvm::StringRef outputPath,
                          const CompileOptions &options);

} // namespace bnn
} // namespace mlir

#endif // BNN_COMPILER_COMPILER_H
