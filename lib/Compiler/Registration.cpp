//===- Registration.cpp - dialects known to the compiler ------------------===//
//
// Every upstream dialect and extension is registered, not only those of the
// float glue: the lowering's passes rely on external models (bufferization,
// ConvertToLLVM, tiling interfaces) that silently do nothing when missing,
// and a context only loads the dialects a model and the passes use.
//
//===----------------------------------------------------------------------===//

#include "bnn/Compiler/Compiler.h"
#include "bnn/Dialect/BNN/IR/BNNDialect.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

void mlir::bnn::registerCompilerDialects(DialectRegistry &registry) {
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
  registry.insert<BNNDialect>();
}
