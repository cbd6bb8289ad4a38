//===- Passes.td - bnn dialect transformations -------------*- tablegen -*-===//

#ifndef BNN_DIALECT_BNN_TRANSFORMS_PASSES_TD
#define BNN_DIALECT_BNN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def BNNBitpackPass : Pass<"bnn-bitpack", "func::FuncOp"> {
  let summary = "Rewrites binary and bit-serial products into popcounts over "
                "packed words";
  let description = [{
    Every `bnn.binary_conv2d`, `bnn.binary_dense`, `bnn.bitserial_conv2d`
    and `bnn.bitserial_dense` becomes `bnn.pack` of its operands (one
    64-bit word per 64 channels of a group, channel tail bits zero; one
    packed bit plane per bit of a k-bit operand) and a `linalg.generic`
    reduction of `popcount(a xor w)` (binary) or `popcount(a and w)`
    (bit-serial) over the kernel window and the words, followed by the
    exact correction back to the sum of products: `K - 2 * popcount` for
    +1/-1 padding, plus the contribution of out-of-bounds taps for zero
    padding, and the shifted plane sums for k-bit operands.

    Constant operands become `bnn.pack` of constants, which fold: weights
    are packed at compile time.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::tensor::TensorDialect"
  ];
}

def BNNCopiesToLinalgPass : Pass<"bnn-copies-to-linalg", "func::FuncOp"> {
  let summary = "Rewrites strided memref.copy into linalg.copy";
  let description = [{
    The LLVM lowering turns a `memref.copy` whose operands are not both
    contiguous into a call to `memrefCopy` from the MLIR C runner library,
    which a compiled artifact must not depend on. This pass rewrites such
    copies into `linalg.copy`, which lowers to loops; contiguous copies stay
    `memref.copy` (they become `llvm.memcpy`).
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

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

def BNNLowerPackPass : Pass<"bnn-lower-pack", "func::FuncOp"> {
  let summary = "Lowers bnn.pack to linalg";
  let description = [{
    Rewrites every `bnn.pack` whose operand is not constant into a
    `linalg.generic` that ORs the shifted bits of 64 channels into each
    word (the channel tail padded with zero bits).
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def BNNLowerToLinalgPass : Pass<"bnn-lower-to-linalg", "func::FuncOp"> {
  let summary = "Lowers the remaining bnn operators to linalg on tensors";
  let description = [{
    Lowers `bnn.binarize`, `bnn.unbinarize`, `bnn.int8_conv2d`,
    `bnn.int8_dense`, the epilogues (`bnn.acc_to_float`, `bnn.threshold`,
    `bnn.requantize`) and `bnn.binary_max_pool2d` to `linalg.generic` with
    exactly the semantics the reference interpreter implements. Run after
    `bnn-bitpack` (binary and bit-serial products are not handled here).
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::tensor::TensorDialect"
  ];
}

#endif // BNN_DIALECT_BNN_TRANSFORMS_PASSES_TD
