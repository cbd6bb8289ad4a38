//===- PackedConv.h - the packed-convolution contract -----------*- C++ -*-===//
//
// bnn-bitpack lowers binary and bit-serial products to bnn.packed_conv
// (popcount reductions over packed words); the code generation passes
// (bnn/Codegen) tile, vectorize and parallelize exactly these. This header
// names its loops.
//
//===----------------------------------------------------------------------===//

#ifndef BNN_DIALECT_BNN_IR_PACKEDCONV_H
#define BNN_DIALECT_BNN_IR_PACKEDCONV_H

namespace mlir {
namespace bnn {
namespace packed_conv {
/// Loops of a bnn.packed_conv: parallel n oy ox g o, then reductions
/// p q ky kx w.
enum Dim : unsigned { N, OY, OX, G, O, P, Q, KY, KX, W, NumDims };
constexpr unsigned kNumParallel = 5;
} // namespace packed_conv

} // namespace bnn
} // namespace mlir

#endif // BNN_DIALECT_BNN_IR_PACKEDCONV_H
