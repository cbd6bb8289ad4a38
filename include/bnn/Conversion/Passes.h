//===- Passes.h - bnn conversions to linalg ---------------------*- C++ -*-===//

#ifndef BNN_CONVERSION_PASSES_H
#define BNN_CONVERSION_PASSES_H

#include "bnn/Conversion/BNNToLinalg/BNNToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
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
