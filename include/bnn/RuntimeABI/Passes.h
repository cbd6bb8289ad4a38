//===- Passes.h - runtime ABI passes ----------------------------*- C++ -*-===//
//
// What makes a module an artifact: the checks of what can be compiled, the
// recorded tensor signatures, the dynamic batch, the OpenMP thread count,
// and the DLPack entry points with their metadata (docs/RuntimeABI.md).
//
//===----------------------------------------------------------------------===//

#ifndef BNN_RUNTIMEABI_PASSES_H
#define BNN_RUNTIMEABI_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
namespace bnn {

/// The ABI function that sets the number of threads.
inline constexpr llvm::StringLiteral kSetNumThreadsName = "bnn_set_num_threads";

#define GEN_PASS_DECL
#include "bnn/RuntimeABI/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "bnn/RuntimeABI/Passes.h.inc"

} // namespace bnn
} // namespace mlir

#endif // BNN_RUNTIMEABI_PASSES_H
