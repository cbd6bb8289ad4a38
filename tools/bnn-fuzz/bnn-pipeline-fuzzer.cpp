//===- bnn-pipeline-fuzzer.cpp - fuzz the whole compiler ------------------===//
//
// Feeds arbitrary bytes through the compiler library as bnn-compile would:
// parse, verify, the full lowering and LLVM code generation to an object in
// memory. The first byte picks the target (x86-64 or AArch64) and whether
// the optimising passes run; the rest is MLIR text. Any crash, hang,
// assertion or sanitizer report is a bug: bad input must only ever produce
// diagnostics.
//
//   build/bin/bnn-pipeline-fuzzer -max_total_time=60 CORPUS_DIR
//
// A good corpus is the differential generator's output
// (test/Differential/gen_models.py --seed S --out DIR) plus test/Dialect.
//
//===----------------------------------------------------------------------===//

#include "bnn/Compiler/Compiler.h"

#include "llvm/ADT/StringRef.h"

using namespace mlir;
using namespace mlir::bnn;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  uint8_t selector = data[0];
  CompileOptions options;
  options.lowering.target = selector & 1 ? "aarch64" : "x86_64";
  options.emit = EmitKind::Obj;
  options.optLevel = (selector >> 1) & 3;
  if (selector & 8)
    (void)setPipelineOptions(options, "fuse-glue=false fuse-bitpack=false "
                                      "parallel=false tile=false "
                                      "vectorize=false");
  llvm::StringRef text(reinterpret_cast<const char *>(data + 1), size - 1);
  std::string diagnostics;
  (void)compileText(text, "<fuzz>", options, diagnostics);
  return 0;
}
