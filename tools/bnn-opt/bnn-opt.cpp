//===- bnn-opt.cpp - bnn optimizer driver ---------------------------------===//
//
// MlirOptMain with the bnn dialect and every upstream dialect, extension and
// pass registered, so that models mixing bnn and float glue can be written,
// checked and lowered with one tool. The input is read and checked like
// every other tool's (bnn/Input/ModelInput.h): bounded in size, no endless
// devices, no nesting that would overflow the parser's stack.
//
//===----------------------------------------------------------------------===//

#include "bnn/Codegen/Passes.h"
#include "bnn/Conversion/Passes.h"
#include "bnn/Dialect/BNN/IR/BNNDialect.h"
#include "bnn/Dialect/BNN/Transforms/Passes.h"
#include "bnn/Input/ModelInput.h"
#include "bnn/Pipelines/Pipelines.h"
#include "bnn/RuntimeABI/Passes.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

#include <cstdio>

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  mlir::registerAllPasses();
  mlir::bnn::registerBNNCodegenPasses();
  mlir::bnn::registerBNNConversionPasses();
  mlir::bnn::registerBNNRuntimeABIPasses();
  mlir::bnn::registerBNNTransformsPasses();
  mlir::bnn::registerPipelines();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<mlir::bnn::BNNDialect>();

  auto [inputFilename, outputFilename] = mlir::registerAndParseCLIOptions(
      argc, argv, "bnn optimizer driver\n", registry);
  mlir::MlirOptMainConfig config =
      mlir::MlirOptMainConfig::createFromCLOptions();
  // Listing dialects or passes reads no input.
  if (config.shouldShowDialects() || config.shouldListPasses())
    return mlir::asMainReturnCode(
        mlir::MlirOptMain(argc, argv, inputFilename, outputFilename, registry));

  // As MlirOptMain does: a terminal on stdin is often a mistake that looks
  // like a hang.
  if (inputFilename == "-" &&
      llvm::sys::Process::FileDescriptorIsDisplayed(fileno(stdin)))
    llvm::errs() << "(processing input from stdin now, hit ctrl-c/ctrl-d to "
                    "interrupt)\n";
  std::string errorMessage;
  std::unique_ptr<llvm::MemoryBuffer> file =
      mlir::bnn::openModelFile(inputFilename, &errorMessage);
  if (!file) {
    llvm::WithColor::error(llvm::errs(), "bnn-opt") << errorMessage << "\n";
    return 1;
  }
  // The whole buffer, before --split-input-file cuts it: no chunk nests
  // deeper than the buffer.
  {
    llvm::SourceMgr sourceMgr;
    sourceMgr.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBuffer(file->getMemBufferRef(),
                                         /*RequiresNullTerminator=*/false),
        llvm::SMLoc());
    mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
    mlir::SourceMgrDiagnosticHandler handler(sourceMgr, &context);
    if (mlir::failed(mlir::bnn::checkNestingDepth(sourceMgr, &context)))
      return 1;
  }
  std::unique_ptr<llvm::ToolOutputFile> output =
      mlir::openOutputFile(outputFilename, &errorMessage);
  if (!output) {
    llvm::WithColor::error(llvm::errs(), "bnn-opt") << errorMessage << "\n";
    return 1;
  }
  if (mlir::failed(
          mlir::MlirOptMain(output->os(), std::move(file), registry, config)))
    return 1;
  output->keep();
  return 0;
}
