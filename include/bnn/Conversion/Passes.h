//===- Passes.h - bnn conversion passes -------------------------*- C++ -*-===//

#ifndef BNN_CONVERSION_PASSES_H
#define BNN_CONVERSION_PASSES_H

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
namespace bnn {

#define GEN_PASS_DECL
#include "bnn/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "bnn/Conversion/Passes.h.inc"

} // namespace bnn
} // namespace mlir

#endif // BNN_CONVERSION_PASSES_H
