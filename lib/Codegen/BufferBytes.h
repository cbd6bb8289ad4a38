//===- BufferBytes.h - the size of a static buffer ----------------*- C++ -*-===//
//
// Shared by bnn-report-temporaries and bnn-plan-workspace.
//
//===----------------------------------------------------------------------===//

#ifndef BNN_LIB_CODEGEN_BUFFERBYTES_H
#define BNN_LIB_CODEGEN_BUFFERBYTES_H

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/MathExtras.h"

#include <optional>

namespace mlir {
namespace bnn {

/// Bytes of a statically shaped buffer of integers or floats (elements
/// narrower than a byte take a byte), or std::nullopt (dynamic, other
/// elements, or more than 64 bits of size).
inline std::optional<int64_t> bufferBytes(MemRefType type) {
  if (!type.hasStaticShape() || !type.getElementType().isIntOrFloat())
    return std::nullopt;
  int64_t bytes = llvm::divideCeil(type.getElementTypeBitWidth(), 8);
  for (int64_t d : type.getShape())
    if (llvm::MulOverflow(bytes, d, bytes))
      return std::nullopt;
  return bytes;
}

} // namespace bnn
} // namespace mlir

#endif // BNN_LIB_CODEGEN_BUFFERBYTES_H
