//===- Diagnostics.cpp - diagnostics of a compilation as text -------------===//

#include "bnn/Compiler/Diagnostics.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
using namespace mlir::bnn;

static llvm::StringRef severityPrefix(DiagnosticSeverity severity) {
  switch (severity) {
  case DiagnosticSeverity::Error:
    return "error: ";
  case DiagnosticSeverity::Warning:
    return "warning: ";
  case DiagnosticSeverity::Note:
    return "note: ";
  case DiagnosticSeverity::Remark:
    return "remark: ";
  }
  return "";
}

DiagnosticCapture::DiagnosticCapture(MLIRContext &context,
                                     llvm::SourceMgr &sourceMgr)
    : os(buffer) {
  context.printOpOnDiagnostic(false);
  located =
      std::make_unique<SourceMgrDiagnosticHandler>(sourceMgr, &context, os);
  // Registered last so that it sees diagnostics first: the SourceMgr
  // handler would print an unknown location as "loc(unknown)".
  unlocated = std::make_unique<ScopedDiagnosticHandler>(
      &context, [this](Diagnostic &diag) {
        if (!isa<UnknownLoc>(diag.getLocation()))
          return failure();
        os << severityPrefix(diag.getSeverity()) << diag.str() << "\n";
        for (Diagnostic &note : diag.getNotes())
          os << severityPrefix(note.getSeverity()) << note.str() << "\n";
        return success();
      });
}

DiagnosticCapture::~DiagnosticCapture() = default;

std::string DiagnosticCapture::text(llvm::StringRef fallback) {
  os.flush();
  return buffer.empty() ? fallback.str() : buffer;
}
