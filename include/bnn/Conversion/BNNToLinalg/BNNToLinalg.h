//===- BNNToLinalg.h - bnn to linalg patterns -------------------*- C++ -*-===//
//
// The three steps of the lowering of bnn operators to linalg on tensors:
// binary and bit-serial products to popcounts over packed words
// (bnn-bitpack), bnn.pack to bit-packing generics (bnn-lower-pack), and
// every other bnn operator (bnn-lower-to-linalg).
//
//===----------------------------------------------------------------------===//

#ifndef BNN_CONVERSION_BNNTOLINALG_BNNTOLINALG_H
#define BNN_CONVERSION_BNNTOLINALG_BNNTOLINALG_H

#include <cstdint>

namespace mlir {
class RewritePatternSet;

namespace bnn {

/// Binary and bit-serial conv2d/dense -> bnn.pack + bnn.packed_conv, int8
/// ones as populateInt8ToPackedPatterns does. `narrowWords`: 32-bit words
/// for binary convolutions where they use vectors of `vectorBits` better
/// (see lowering::packedWordBits).
void populateBitpackPatterns(RewritePatternSet &patterns,
                             bool signedBytes = false,
                             bool narrowWords = true,
                             int64_t vectorBits = 512,
                             double narrowWordGain = 1.0);

/// int8 conv2d -> bnn.packed_conv <byte_dot> over words of four bytes (the
/// input flipped to unsigned), or <signed_byte_dot> with `signedBytes`, and
/// its zero-point corrections (part of bnn-bitpack).
void populateInt8ToPackedPatterns(RewritePatternSet &patterns,
                                  bool signedBytes);

/// bnn.pack -> linalg.generic.
void populateLowerPackPatterns(RewritePatternSet &patterns);

/// Remaining bnn operators -> linalg.generic.
void populateLowerToLinalgPatterns(RewritePatternSet &patterns);

} // namespace bnn
} // namespace mlir

#endif // BNN_CONVERSION_BNNTOLINALG_BNNTOLINALG_H
