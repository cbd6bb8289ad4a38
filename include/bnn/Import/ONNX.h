//===- ONNX.h - importing ONNX and QONNX models -----------------*- C++ -*-===//
//
// Translates an ONNX ModelProto (standard ONNX, opsets 9 to 17, and the QONNX
// quantizers of Brevitas, FINN and hls4ml) into a module of the bnn dialect
// with float glue in tosa. The imported function keeps the ONNX graph's
// boundary: its arguments and results are the graph's inputs and outputs, in
// their order, with their shapes and NCHW layout; inside, activations are
// NHWC and quantized layers become bnn operators. docs/ONNX.md has the table
// of operators and the semantics decisions.
//
// Every tool that reads a model (bnn-opt, bnn-compile, bnn-interp, the C API,
// the Python package) reads ONNX through parseModelSource when the input is
// an ONNX file (bnn/Input/ModelInput.h); bnn-import writes the MLIR text.
//
//===----------------------------------------------------------------------===//

#ifndef BNN_IMPORT_ONNX_H
#define BNN_IMPORT_ONNX_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <map>
#include <string>

namespace mlir {
class MLIRContext;

namespace bnn {

struct ONNXImportOptions {
  /// Shapes for graph inputs whose ONNX shapes are symbolic or unknown,
  /// by input name. A symbolic dimension 0 without an entry here becomes the
  /// dynamic batch (`?`); any other unknown dimension needs an entry.
  std::map<std::string, llvm::SmallVector<int64_t>> inputShapes;
  /// The name of the imported function (an ABI entry point).
  std::string functionName = "main";
};

/// Whether `bytes` (read from a file named `identifier`) is an ONNX model
/// rather than MLIR text: the name ends in ".onnx", or the bytes start like
/// a serialized ModelProto (field 1, ir_version, as a varint), which MLIR
/// text never does.
bool looksLikeONNX(llvm::StringRef bytes, llvm::StringRef identifier);

/// Parses `bytes` as an ONNX ModelProto and imports it. On failure emits
/// one or more errors through `context`'s diagnostic engine, each naming the
/// node (name, op_type, domain) or the input it is about, and returns null.
OwningOpRef<ModuleOp> importONNX(llvm::StringRef bytes,
                                 llvm::StringRef identifier,
                                 MLIRContext *context,
                                 const ONNXImportOptions &options = {});

/// Parses "name=1x3x32x32" into `options.inputShapes`; false with `error`
/// set when the text is malformed.
bool parseInputShape(llvm::StringRef spec, ONNXImportOptions &options,
                     std::string &error);

/// Registers the dialects an imported module uses in `registry`.
void registerONNXImportDialects(DialectRegistry &registry);

} // namespace bnn
} // namespace mlir

#endif // BNN_IMPORT_ONNX_H
