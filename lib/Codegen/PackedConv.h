//===- PackedConv.h - helpers for packed convolutions -----------*- C++ -*-===//
//
// The bnn.packed_conv ops bnn-bitpack creates are what the tiling,
// vectorization and parallelization passes transform. This header holds
// what those passes share: which ones they take, their epilogues and
// packings, tiling, their term and their generalization.
//
//===----------------------------------------------------------------------===//

#ifndef BNN_LIB_CODEGEN_PACKEDCONV_H
#define BNN_LIB_CODEGEN_PACKEDCONV_H

#include "bnn/Dialect/BNN/IR/BNNOps.h"
#include "bnn/Dialect/BNN/IR/PackedConv.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir {
class RewriterBase;
namespace bnn {
namespace packed_conv {

/// Why the code generation passes leave `op` alone (it is not on tensors
/// or its loop ranges are not static), or null when they transform it.
const char *whyNotTransformed(PackedConvOp op);

/// Every packed convolution in `root` that the passes transform, in
/// program order.
SmallVector<PackedConvOp> collect(Operation *root);

/// The elementwise generic that is the only use of `conv`'s result, reads
/// it with an identity map and writes a result of the same shape (the
/// convolution's epilogue), or null.
linalg::GenericOp fusibleEpilogue(PackedConvOp conv);

/// Tiles the parallel dims of `op` by `sizes` (one per parallel dim, 0 for
/// untiled) with scf.for loops or one scf.forall; the tiles keep the
/// attributes of `op`. Sizes must divide the ranges, so every tile has a
/// static shape. With `fuseConsumer` and a fusible epilogue (or a fusible
/// packing and whole words of channels per tile), the consumer is tiled
/// and `op` and the fill of its accumulators are fused into each tile.
/// Returns the tiled op, or `op` itself when `sizes` equal its ranges
/// (nothing to tile).
FailureOr<PackedConvOp> tile(RewriterBase &rewriter, PackedConvOp op,
                             ArrayRef<int64_t> sizes, bool forall,
                             bool fuseConsumer = true);

/// The bit-packing generic of whole words (see bitPackBit) that is the only
/// use of a one-group `conv`'s [N, OY, OX, O] result, reading channel
/// B w + b of word w (B its word width), or null.
linalg::GenericOp fusiblePack(PackedConvOp conv);

/// Bits per word (32 or 64) of a packing generic (see bitPackBit).
int64_t packWordBits(linalg::GenericOp pack);

/// The term `kind` adds for input words `a` and filter words `w` (i64 or
/// i32, or vectors of them) at input plane `p` and filter plane `q` (index values,
/// read only by the terms that shift by them). Not `shifted`: the term
/// before its shift by the planes (see shiftByPlanes), for sums that are
/// shifted once.
Value buildTerm(OpBuilder &b, Location loc, PackedTerm kind, Value a, Value w,
                Value p, Value q, bool shifted = true);

/// `v` shifted left by the planes `kind` shifts its terms by (p for
/// signed weights, p + q for unsigned ones; none for xor).
Value shiftByPlanes(OpBuilder &b, Location loc, PackedTerm kind, Value v,
                    Value p, Value q);

/// `sum over j < 4 of u8(a[j]) * s8(w[j])` for the bytes of i32 words `a`
/// and `w` (scalars or vectors of words, lane by lane): the byte_dot term,
/// in widening multiplies and adds that any target can run.
/// With `signedA`, the bytes of `a` are read signed (signed_byte_dot).
Value byteDotTerm(OpBuilder &b, Location loc, Value a, Value w,
                  bool signedA = false);

/// Whether `kind` multiplies bytes (byte_dot, signed_byte_dot).
bool isByteDot(PackedTerm kind);

/// Bits per word of `op`'s operands (and lane of its vector accumulators):
/// 32 for the byte terms, 64 or 32 for the popcount terms.
unsigned wordBits(PackedConvOp op);

/// Rewrites `op` into the linalg.generic of the same loops (on tensors or
/// memrefs).
linalg::GenericOp generalize(RewriterBase &rewriter, PackedConvOp op);

/// Whether `op` packs bits into words the way bnn-lower-pack writes it:
/// dims (..., b) with b the innermost reduction over the (up to 64 or 32)
/// bits of an i64 or i32 output word, body `word | (extui(bit : i1) << b)`.
/// Returns the bit value
/// in the body (null if `op` is not such a generic).
Value bitPackBit(linalg::GenericOp op);

/// Vector code for a packing generic whose bits are computed from non-i1
/// values (VectorizeBitPack.cpp); failure leaves it unchanged and, for such
/// a generic, says why in `why` (left empty for any other op).
LogicalResult vectorizeBitPack(RewriterBase &rewriter, linalg::GenericOp op,
                               std::string &why);

/// The largest divisor of `n` that is at most `limit` (at least 1).
int64_t largestDivisorAtMost(int64_t n, int64_t limit);

} // namespace packed_conv
} // namespace bnn
} // namespace mlir

#endif // BNN_LIB_CODEGEN_PACKEDCONV_H
