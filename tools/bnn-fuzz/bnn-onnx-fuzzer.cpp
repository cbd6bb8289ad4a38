//===- bnn-onnx-fuzzer.cpp - fuzz the ONNX importer -----------------------===//
//
// Feeds arbitrary bytes to the ONNX / QONNX importer (protobuf parsing,
// constant folding, threshold search, emission); what imports must verify,
// and small imported models go through the whole lowering to an object in
// memory. Bad input must only ever produce diagnostics.
//
//   build-fuzz/bin/bnn-onnx-fuzzer -max_total_time=60 corpus-onnx
//   (corpus: test/Fuzz/make_corpus.py onnx corpus-onnx)
//
//===----------------------------------------------------------------------===//

#include "bnn/Compiler/Compiler.h"
#include "bnn/Import/ONNX.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include <cstdlib>

using namespace mlir;
using namespace mlir::bnn;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef bytes(reinterpret_cast<const char *>(data), size);
  DialectRegistry registry;
  registerONNXImportDialects(registry);
  MLIRContext context(registry);
  context.printOpOnDiagnostic(false);
  ScopedDiagnosticHandler silence(&context,
                                  [](Diagnostic &) { return success(); });
  OwningOpRef<ModuleOp> module = importONNX(bytes, "fuzz.onnx", &context);
  if (!module)
    return 0;
  if (failed(verify(*module)))
    std::abort(); // the importer must only make valid IR
  // Compiling is the expensive part: only for small models.
  if (size <= 4096) {
    CompileOptions options;
    options.emit = EmitKind::Obj;
    std::string diagnostics;
    (void)compileText(bytes, "fuzz.onnx", options, diagnostics);
  }
  return 0;
}
