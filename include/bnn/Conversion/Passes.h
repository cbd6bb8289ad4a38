//===- Passes.h - bnn conversion passes -------------------------*- C++ -*-===//

#ifndef BNN_CONVERSION_PASSES_H
#define BNN_CONVERSION_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
namespace bnn {
/// The ABI function that sets the number of threads.
inline constexpr llvm::StringLiteral kSetNumThreadsName = "bnn_set_num_threads";
} // namespace bnn
} // namespace mlir

namespace mlir {
namespace bnn {

#define GEN_PASS_DECL
#include "bnn/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "bnn/Conversion/Passes.h.inc"

} // namespace bnn
} // namespace mlir

#endif // BNN_CONVERSION_PASSES_H
