//===- bnn-parser-fuzzer.cpp - fuzz the front end and interpreter ---------===//
//
// Feeds arbitrary bytes to the MLIR parser with the bnn dialect loaded; what
// parses and verifies is canonicalized and, when its tensors are small,
// evaluated by the reference interpreter. Any crash, assertion or sanitizer
// report is a bug: bad input must only ever produce diagnostics.
//
//   build-fuzz/bin/bnn-parser-fuzzer -max_total_time=60 test/Dialect/BNN
//
//===----------------------------------------------------------------------===//

#include "bnn/Input/ModelInput.h"
#include "bnn/Reference/Interpreter.h"
#include "bnn/Reference/TensorIO.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

#include <string>

using namespace mlir;
using namespace mlir::bnn;

namespace {
/// Interpreting is skipped above this many elements per tensor so that one
/// input cannot stall the fuzzer.
constexpr int64_t kMaxElements = 1 << 14;

bool isSmall(TypeRange types) {
  for (Type type : types) {
    auto ranked = dyn_cast<RankedTensorType>(type);
    if (!ranked || !ranked.hasStaticShape() ||
        ranked.getNumElements() > kMaxElements)
      return false;
  }
  return true;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static DialectRegistry *registry = [] {
    auto *r = new DialectRegistry();
    ref::registerInterpreterDialects(*r);
    return r;
  }();
  MLIRContext context(*registry);
  context.loadAllAvailableDialects();
  context.printOpOnDiagnostic(false);
  ScopedDiagnosticHandler silence(&context,
                                  [](Diagnostic &) { return success(); });

  StringRef text(reinterpret_cast<const char *>(data), size);
  // The tools refuse deeper nesting before parsing (bnn/Input/ModelInput.h);
  // the parser would overflow the stack on it.
  if (findExcessiveNesting(text))
    return 0;
  // The MLIR lexer reads up to a terminating NUL, as every buffer the tools
  // parse has (MemoryBuffer::getMemBufferCopy); the fuzzer's bytes have
  // none.
  std::string terminated(text);
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(terminated, &context);
  if (!module || failed(verify(*module)))
    return 0;

  PassManager pm(&context);
  pm.addPass(createCanonicalizerPass());
  if (failed(pm.run(*module)))
    return 0;

  for (auto func : module->getOps<func::FuncOp>()) {
    if (func.isExternal() || !isSmall(func.getArgumentTypes()) ||
        !isSmall(func.getResultTypes()))
      continue;
    bool small = true;
    func.walk([&](Operation *op) {
      small &= isSmall(op->getResultTypes()) || op->getNumResults() == 0;
    });
    if (!small)
      continue;
    std::vector<ref::Tensor> args;
    for (Type type : func.getArgumentTypes()) {
      auto ranked = cast<RankedTensorType>(type);
      std::optional<ref::ElementType> et =
          ref::ElementType::fromMLIR(ranked.getElementType());
      if (!et)
        break;
      args.push_back(ref::randomTensor(
          *et, {ranked.getShape().begin(), ranked.getShape().end()}, 1));
    }
    if (args.size() == func.getNumArguments())
      (void)ref::interpret(func, args);
  }
  return 0;
}
