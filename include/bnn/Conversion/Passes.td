//===- Passes.td - bnn conversions to linalg ---------------*- tablegen -*-===//

#ifndef BNN_CONVERSION_PASSES_TD
#define BNN_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def BNNBitpackPass : Pass<"bnn-bitpack", "func::FuncOp"> {
  let summary = "Rewrites binary and bit-serial products into popcounts over "
                "packed words";
  let description = [{
    Every `bnn.binary_conv2d`, `bnn.binary_dense`, `bnn.bitserial_conv2d`
    and `bnn.bitserial_dense` becomes `bnn.pack` of its operands (one
    64-bit word per 64 channels of a group, channel tail bits zero; one
    packed bit plane per bit of a k-bit operand) and a `bnn.packed_conv`
    reduction of `popcount(a xor w)` (binary) or `popcount(a and w)`
    (bit-serial) over the kernel window and the words, followed by the
    exact correction back to the sum of products: `K - 2 * popcount` for
    +1/-1 padding, plus the contribution of out-of-bounds taps for zero
    padding, and the shifted plane sums for k-bit operands.

    Constant operands become `bnn.pack` of constants, which fold: weights
    are packed at compile time.

    Every `bnn.int8_conv2d` and `bnn.int8_dense` becomes a `bnn.packed_conv
    <byte_dot>` over words of four channels' bytes (input bytes flipped to
    unsigned, `x xor 0x80`, filter bytes signed; constant filters packed
    at compile time) and an elementwise epilogue that adds the zero-point
    corrections: per output channel `K * uzp * wzp - uzp * sum(w)`, and
    `- wzp * sum(u)` over each receptive field when a weight zero point is
    not 0 (`uzp = input_zero_point + 128`). With `signed-bytes` (targets
    whose dot product multiplies signed bytes only, AArch64 `sdot`) the
    input bytes stay signed, the term is `signed_byte_dot` and
    `uzp = input_zero_point`.

    With `narrow-words` (the default), a binary convolution may pack into
    32-bit words instead, where its vectors of `vector-bits` then carry
    more useful bits: groups of 1 to 32 channels past a multiple of 64
    (32, 96, 160: a 64-bit word would be up to half padding), with output
    channels that fill vectors of twice the lanes (16 of 32 bits in 512).
    A vector popcount counts as many bits in 32-bit lanes as in 64-bit
    ones, but each input word is broadcast on its own, twice as often per
    bit: `narrow-word-gain` is the factor by which the useful bits per
    vector must grow to pay for that (1.2 for NEON, whose `cnt` is as cheap
    as the broadcast). Targets whose popcount is a scalar instruction (one
    per word, not per vector) turn narrow words off.
  }];
  let options = [
    Option<"signedBytes", "signed-bytes", "bool", "false",
           "int8 inputs as signed bytes (signed_byte_dot) rather than "
           "flipped to unsigned (byte_dot)">,
    Option<"narrowWords", "narrow-words", "bool", "true",
           "32-bit words for binary convolutions where they use vectors "
           "better than 64-bit ones">,
    Option<"vectorBits", "vector-bits", "int64_t", "512",
           "Vector register width the word width is chosen for">,
    Option<"narrowWordGain", "narrow-word-gain", "double", "1.0",
           "How much more useful bits per vector 32-bit words must carry "
           "than 64-bit ones to be chosen (their input words take twice the "
           "broadcasts)">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::tensor::TensorDialect"
  ];
}

def BNNLowerPackPass : Pass<"bnn-lower-pack", "func::FuncOp"> {
  let summary = "Lowers bnn.pack to linalg";
  let description = [{
    Rewrites every `bnn.pack` whose operand is not constant into a
    `linalg.generic` that ORs the shifted bits of 64 (or, for `i32` words,
    32) channels into each word (the channel tail padded with zero bits).
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def BNNLowerToLinalgPass : Pass<"bnn-lower-to-linalg", "func::FuncOp"> {
  let summary = "Lowers the remaining bnn operators to linalg on tensors";
  let description = [{
    Lowers `bnn.binarize`, `bnn.unbinarize`, `bnn.quantize`,
    `bnn.int8_conv2d`, `bnn.int8_dense`, the epilogues (`bnn.acc_to_float`, `bnn.threshold`,
    `bnn.multi_threshold`, `bnn.requantize`) and `bnn.binary_max_pool2d` to `linalg.generic` with
    exactly the semantics the reference interpreter implements.

    A dialect conversion with the bnn dialect illegal except
    `bnn.packed_conv`, the code generator's own operator: a bnn operator it
    cannot lower is an error at the operator's location. Binary and
    bit-serial products and `bnn.pack` are lowered by `bnn-bitpack` and
    `bnn-lower-pack`, which must run first; meeting one is an error that
    says so.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::tensor::TensorDialect"
  ];
}

#endif // BNN_CONVERSION_PASSES_TD
