//===- PackedConv.h - the packed-convolution contract -----------*- C++ -*-===//
//
// bnn-bitpack lowers binary and bit-serial products to popcount reductions
// over packed words ("packed convolutions"); the code generation passes
// (bnn/Codegen) tile, vectorize and parallelize exactly these. This header
// is the contract between the two.
//
//===----------------------------------------------------------------------===//

#ifndef BNN_DIALECT_BNN_IR_PACKEDCONV_H
#define BNN_DIALECT_BNN_IR_PACKEDCONV_H

#include "llvm/ADT/StringRef.h"

namespace mlir {
namespace bnn {

/// Marks a packed convolution: a linalg.generic with dims
/// (n, oy, ox, g, o | p, q, ky, kx, w) over input planes
/// [P, N, H, W, G, words], filter planes [Q, G, KY, KX, words, O] and an i32
/// accumulator [N, OY, OX, G, O].
inline constexpr llvm::StringLiteral kPackedConvAttrName = "bnn.packed_conv";

/// The register block of a packed convolution (a #bnn.register_block):
/// set by hand or by a search, else chosen and recorded by
/// bnn-tile-packed-conv.
inline constexpr llvm::StringLiteral kRegisterBlockAttrName =
    "bnn.register_block";

namespace packed_conv {
/// Loop dimensions: parallel n oy ox g o, then reductions p q ky kx w.
enum Dim : unsigned { N, OY, OX, G, O, P, Q, KY, KX, W, NumDims };
constexpr unsigned kNumParallel = 5;
} // namespace packed_conv

} // namespace bnn
} // namespace mlir

#endif // BNN_DIALECT_BNN_IR_PACKEDCONV_H
