//===- bnn-import.cpp - ONNX / QONNX model to bnn MLIR --------------------===//
//
//   bnn-import model.onnx [-o model.mlir] [--input-shape NAME=DIMS]...
//                         [--function-name NAME]
//
// Writes the imported module as MLIR text (standard output by default). The
// other tools read .onnx files directly; this one shows what they compile
// and lets a model be edited or checked with bnn-opt. Diagnostics name the
// node; the exit status is 1 on any error. The output never replaces the
// input or a non-regular file (bnn/Support/OutputFile.h).
//
//===----------------------------------------------------------------------===//

#include "bnn/Import/ONNX.h"
#include "bnn/Input/ModelInput.h"
#include "bnn/Support/OutputFile.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
namespace cl = llvm::cl;

static cl::opt<std::string> inputPath(cl::Positional, cl::desc("<model.onnx>"),
                                      cl::Required);
static cl::opt<std::string> outputPath("o", cl::desc("Output MLIR file"),
                                       cl::value_desc("file"), cl::init("-"));
static cl::list<std::string>
    inputShapes("input-shape",
                cl::desc("Static shape of a graph input (repeatable), e.g. "
                         "--input-shape input=1x3x32x32"),
                cl::value_desc("name=DIMS"));
static cl::opt<std::string>
    functionName("function-name",
                 cl::desc("Name of the imported function (default main)"),
                 cl::init("main"));

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(argc, argv, "bnn ONNX / QONNX importer\n");
  auto fail = [](const llvm::Twine &message) {
    llvm::WithColor::error(llvm::errs(), "bnn-import") << message << "\n";
    return 1;
  };

  bnn::ONNXImportOptions options;
  options.functionName = functionName;
  for (const std::string &spec : inputShapes) {
    std::string error;
    if (!bnn::parseInputShape(spec, options, error))
      return fail("--input-shape: " + error);
  }
  if (outputPath != "-") {
    std::string reason;
    if (!bnn::checkOutputPath(outputPath, reason))
      return fail("cannot open output file '" + outputPath + "': " + reason);
    if (bnn::isInputFile(outputPath, inputPath))
      return fail("the output file '" + outputPath +
                  "' is the input file; refusing to overwrite the model");
  }
  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> buffer =
      bnn::openModelFile(inputPath, &error);
  if (!buffer)
    return fail(error);

  DialectRegistry registry;
  bnn::registerONNXImportDialects(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  OwningOpRef<ModuleOp> module = bnn::importONNX(
      buffer->getBuffer(), inputPath == "-" ? std::string("<stdin>") : std::string(inputPath), &context,
      options);
  if (!module)
    return 1;

  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os, OpPrintingFlags().enableDebugInfo(true, false));
  if (outputPath == "-") {
    llvm::outs() << text;
    llvm::outs().flush();
    if (llvm::outs().has_error()) {
      llvm::outs().clear_error();
      return fail("cannot write to standard output");
    }
    return 0;
  }
  bnn::OutputFileOptions writeOptions;
  if (!bnn::writeOutputFile(outputPath, text.data(), text.size(), writeOptions,
                            error))
    return fail("cannot write output file '" + outputPath + "': " + error);
  return 0;
}
