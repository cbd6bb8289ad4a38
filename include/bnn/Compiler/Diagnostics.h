//===- Diagnostics.h - diagnostics of a compilation as text -----*- C++ -*-===//
//
// Embedders (the C API, the Python binding) return a compilation's
// diagnostics to their caller instead of printing them. DiagnosticCapture
// collects them as the tools would print them: located ones as
// "file:line:col: error: ..." with the source line, unlocated ones as
// "error: ...".
//
//===----------------------------------------------------------------------===//

#ifndef BNN_COMPILER_DIAGNOSTICS_H
#define BNN_COMPILER_DIAGNOSTICS_H

#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <string>

namespace llvm {
class SourceMgr;
} // namespace llvm

namespace mlir {
namespace bnn {

class DiagnosticCapture {
public:
  /// Captures every diagnostic of `context` while this object lives;
  /// locations in `sourceMgr`'s buffers are printed with their source line.
  DiagnosticCapture(MLIRContext &context, llvm::SourceMgr &sourceMgr);
  ~DiagnosticCapture();

  /// The diagnostics so far, or `fallback` when there were none (a failure
  /// without a diagnostic still needs a message).
  std::string text(llvm::StringRef fallback = "error: compilation failed\n");

private:
  std::string buffer;
  llvm::raw_string_ostream os;
  std::unique_ptr<SourceMgrDiagnosticHandler> located;
  std::unique_ptr<ScopedDiagnosticHandler> unlocated;
};

} // namespace bnn
} // namespace mlir

#endif // BNN_COMPILER_DIAGNOSTICS_H
