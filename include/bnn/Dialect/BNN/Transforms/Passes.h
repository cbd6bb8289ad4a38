//===- Passes.h - bnn dialect transformations -------------------*- C++ -*-===//

#ifndef BNN_DIALECT_BNN_TRANSFORMS_PASSES_H
#define BNN_DIALECT_BNN_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
namespace bnn {

#define GEN_PASS_DECL
#include "bnn/Dialect/BNN/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "bnn/Dialect/BNN/Transforms/Passes.h.inc"

/// Strided memref.copy -> linalg.copy.
void populateCopiesToLinalgPatterns(RewritePatternSet &patterns);
/// Binary and bit-serial conv2d/dense -> bnn.pack + popcount linalg.generic.
void populateBitpackPatterns(RewritePatternSet &patterns);
/// binarize(mul/add/sub chain(acc_to_float)) -> bnn.threshold.
void populateFuseGluePatterns(RewritePatternSet &patterns);
/// int8 dense -> 1x1 int8 conv2d (part of the linalg lowering).
void populateDenseAsConv2DPatterns(RewritePatternSet &patterns);
/// bnn.pack -> linalg.generic.
void populateLowerPackPatterns(RewritePatternSet &patterns);
/// Remaining bnn operators -> linalg.generic.
void populateLowerToLinalgPatterns(RewritePatternSet &patterns);

} // namespace bnn
} // namespace mlir

#endif // BNN_DIALECT_BNN_TRANSFORMS_PASSES_H
