//===- Compiler.cpp - C API of the bnn compiler ---------------------------===//

#include "bnn-c/Compiler.h"

#include "bnn/Compiler/Compiler.h"
#include "bnn/Compiler/Diagnostics.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/SourceMgr.h"

#include <cstdlib>
#include <cstring>

using namespace mlir;
using namespace mlir::bnn;

namespace {
/// A malloc'ed copy of `bytes`, NUL-terminated (the terminator is not part
/// of the size reported to callers).
void *mallocCopy(llvm::StringRef bytes) {
  char *copy = static_cast<char *>(std::malloc(bytes.size() + 1));
  if (!copy)
    return nullptr;
  std::memcpy(copy, bytes.data(), bytes.size());
  copy[bytes.size()] = '\0';
  return copy;
}

int fail(char **error, llvm::StringRef message) {
  if (error) {
    std::string text = message.str();
    if (text.empty())
      text = "error: compilation failed\n";
    else if (text.back() != '\n')
      text += '\n';
    *error = static_cast<char *>(mallocCopy(text));
  }
  return 1;
}

std::optional<EmitKind> toEmitKind(int kind) {
  switch (kind) {
  case BNN_EMIT_MLIR:
    return EmitKind::MLIR;
  case BNN_EMIT_LLVM:
    return EmitKind::LLVM;
  case BNN_EMIT_ASM:
    return EmitKind::Asm;
  case BNN_EMIT_OBJ:
    return EmitKind::Obj;
  case BNN_EMIT_SHARED:
    return EmitKind::Shared;
  case BNN_EMIT_HEADER:
    return EmitKind::Header;
  case BNN_EMIT_INFER:
    break;
  }
  return std::nullopt;
}

/// Converts the C options; `outputPath` is used to infer the emit kind
/// (null for strings). Returns an error message, empty on success.
std::string convertOptions(const bnn_compile_options *in,
                           const char *outputPath, CompileOptions &out) {
  bnn_compile_options defaults;
  bnn_compile_options_init(&defaults);
  const bnn_compile_options &options = in ? *in : defaults;
  if (options.target)
    out.lowering.target = options.target;
  out.lowering.cpu = options.cpu ? options.cpu : "";
  out.lowering.features = options.features ? options.features : "";
  if (options.pipeline_options)
    if (std::string error =
            setPipelineOptions(out, options.pipeline_options);
        !error.empty())
      return "error: " + error;
  if (options.opt_level < 0 || options.opt_level > 3)
    return "error: invalid optimization level " +
           std::to_string(options.opt_level) + " (expected 0, 1, 2 or 3)";
  out.optLevel = static_cast<unsigned>(options.opt_level);
  if (options.stop_after) {
    std::optional<Phase> phase = parsePhase(options.stop_after);
    if (!phase)
      return std::string("error: unknown phase '") + options.stop_after +
             "' (expected " + listPhases() + ")";
    out.lowering.stopAfter = *phase;
  }
  if (options.emit == BNN_EMIT_INFER) {
    std::optional<EmitKind> inferred =
        outputPath ? inferEmitKind(outputPath) : std::nullopt;
    if (!inferred)
      return outputPath
                 ? std::string("error: cannot infer the artifact kind from "
                               "the output '") +
                       outputPath +
                       "' (use .mlir, .ll, .s, .o, .so or .h, or set "
                       "options.emit)"
                 : std::string("error: bnn_compile_string needs "
                               "options.emit");
    out.emit = *inferred;
  } else {
    std::optional<EmitKind> kind = toEmitKind(options.emit);
    if (!kind)
      return "error: unknown emit kind " + std::to_string(options.emit);
    out.emit = *kind;
  }
  std::string invalid = validateOptions(out);
  return invalid.empty() ? "" : "error: " + invalid;
}

} // namespace

extern "C" void bnn_compile_options_init(bnn_compile_options *options) {
  if (!options)
    return;
  options->target = "x86_64";
  options->cpu = nullptr;
  options->features = nullptr;
  options->opt_level = 2;
  options->emit = BNN_EMIT_INFER;
  options->stop_after = nullptr;
  options->pipeline_options = nullptr;
}

extern "C" int bnn_compile_file(const char *input_path, const char *output_path,
                                const bnn_compile_options *options,
                                char **error) {
  if (error)
    *error = nullptr;
  if (!input_path || !output_path)
    return fail(error, "error: input and output paths must not be NULL");
  CompileOptions compileOptions;
  std::string invalid = convertOptions(options, output_path, compileOptions);
  if (!invalid.empty())
    return fail(error, invalid);

  DialectRegistry registry;
  registerCompilerDialects(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  DiagnosticCapture capture(context, sourceMgr);
  if (failed(compileFile(context, input_path, output_path, compileOptions)))
    return fail(error, capture.text());
  return 0;
}

extern "C" int bnn_compile_string(const char *mlir_text, size_t len,
                                  const bnn_compile_options *options,
                                  void **out_bytes, size_t *out_size,
                                  char **error) {
  if (error)
    *error = nullptr;
  if (out_bytes)
    *out_bytes = nullptr;
  if (out_size)
    *out_size = 0;
  if ((!mlir_text && len != 0) || !out_bytes || !out_size)
    return fail(error, "error: mlir_text, out_bytes and out_size must not be "
                       "NULL");
  CompileOptions compileOptions;
  std::string invalid = convertOptions(options, nullptr, compileOptions);
  if (!invalid.empty())
    return fail(error, invalid);

  std::string diagnostics;
  FailureOr<std::string> artifact =
      compileText(llvm::StringRef(mlir_text ? mlir_text : "", len),
                  "<string>", compileOptions, diagnostics);
  if (failed(artifact))
    return fail(error, diagnostics);
  void *bytes = mallocCopy(*artifact);
  if (!bytes)
    return fail(error, "error: out of memory");
  *out_bytes = bytes;
  *out_size = artifact->size();
  return 0;
}

extern "C" void bnn_free(void *ptr) { std::free(ptr); }
