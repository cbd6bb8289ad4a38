//===- bnn-opt.cpp - bnn optimizer driver ---------------------------------===//
//
// MlirOptMain with the bnn dialect and every upstream dialect, extension and
// pass registered, so that models mixing bnn and float glue can be written,
// checked and lowered with one tool.
//
//===----------------------------------------------------------------------===//

#include "bnn/Conversion/Passes.h"
#include "bnn/Dialect/BNN/IR/BNNDialect.h"
#include "bnn/Dialect/BNN/Transforms/Passes.h"
#include "bnn/Pipelines/Pipelines.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::bnn::registerBNNConversionPasses();
  mlir::bnn::registerBNNTransformsPasses();
  mlir::bnn::registerPipelines();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<mlir::bnn::BNNDialect>();

  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "bnn optimizer driver\n", registry));
}
