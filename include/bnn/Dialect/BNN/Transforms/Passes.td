//===- Passes.td - bnn dialect transformations -------------*- tablegen -*-===//

#ifndef BNN_DIALECT_BNN_TRANSFORMS_PASSES_TD
#define BNN_DIALECT_BNN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def BNNFuseGluePass : Pass<"bnn-fuse-glue", "func::FuncOp"> {
  let summary = "Folds float glue between an accumulator and its "
                "binarization into bnn.threshold";
  let description = [{
    Rewrites `bnn.binarize(g(bnn.acc_to_float(%acc, %m, %b)))`, where `g`
    is a possibly empty chain of `tosa.mul` (shift 0), `tosa.add` and
    `tosa.sub` by constants that are per channel (every dimension 1 but the
    last, which is 1 or the channel count) and `%m`, `%b` are constants,
    into `bnn.threshold(%acc, %t, %d)`, so that binary layers feed binary
    layers with no float tensor in between. Every intermediate value must
    have no other use.

    The thresholds reproduce the f32 arithmetic exactly: per channel the
    value is a monotone function of the accumulator (each operation,
    conversion included, is rounded to f32 separately), so the pass
    binary-searches the accumulator at which the sign changes by
    evaluating that arithmetic, and checks the neighbours of the result.
    A channel whose value is always negative becomes threshold `INT32_MAX`,
    direction false, as `bnn.threshold` documents: the only difference is
    +1 instead of -1 at an accumulator of exactly `INT32_MAX`, which no
    layer with fewer than 2^31 - 1 products reaches. Nothing is rewritten
    when a constant is not finite or the value can be NaN (an overflowing
    product multiplied by zero).
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

#endif // BNN_DIALECT_BNN_TRANSFORMS_PASSES_TD
