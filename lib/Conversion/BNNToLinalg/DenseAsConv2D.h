//===- DenseAsConv2D.h - dense layers as 1x1 convolutions -------*- C++ -*-===//
//
// A dense layer is a 1x1 convolution of a 1x1 image. bnn-bitpack rewrites
// the binary and bit-serial ones this way (Bitpack.cpp); bnn-lower-to-linalg
// the int8 ones.
//
//===----------------------------------------------------------------------===//

#ifndef BNN_LIB_CONVERSION_BNNTOLINALG_DENSEASCONV2D_H
#define BNN_LIB_CONVERSION_BNNTOLINALG_DENSEASCONV2D_H

namespace mlir {
class RewritePatternSet;

namespace bnn {

/// int8 dense -> 1x1 int8 conv2d.
void populateDenseAsConv2DPatterns(RewritePatternSet &patterns);

} // namespace bnn
} // namespace mlir

#endif // BNN_LIB_CONVERSION_BNNTOLINALG_DENSEASCONV2D_H
