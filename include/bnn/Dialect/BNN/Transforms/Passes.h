//===- Passes.h - bnn dialect transformations -------------------*- C++ -*-===//
//
// Rewrites from bnn operators to bnn operators. The lowering to linalg is in
// bnn/Conversion, CPU code generation in bnn/Codegen.
//
//===----------------------------------------------------------------------===//

#ifndef BNN_DIALECT_BNN_TRANSFORMS_PASSES_H
#define BNN_DIALECT_BNN_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;

namespace bnn {

#define GEN_PASS_DECL
#include "bnn/Dialect/BNN/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "bnn/Dialect/BNN/Transforms/Passes.h.inc"

/// binarize(mul/add/sub chain(acc_to_float)) -> bnn.threshold.
void populateFuseGluePatterns(RewritePatternSet &patterns);

} // namespace bnn
} // namespace mlir

#endif // BNN_DIALECT_BNN_TRANSFORMS_PASSES_H
