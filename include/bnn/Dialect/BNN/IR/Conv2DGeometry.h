//===- Conv2DGeometry.h - window geometry of conv and pool ops --*- C++ -*-===//
//
// The strides, dilations, padding and groups of a 2-D window operator with
// their defaults applied, and the output-size rule every consumer (verifier,
// interpreter, lowering) shares.
//
//===----------------------------------------------------------------------===//

#ifndef BNN_DIALECT_BNN_IR_CONV2DGEOMETRY_H
#define BNN_DIALECT_BNN_IR_CONV2DGEOMETRY_H

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/Support/MathExtras.h"
#include <cstdint>

namespace mlir {
namespace bnn {

struct Conv2DGeometry {
  int64_t strideH = 1, strideW = 1;
  int64_t dilationH = 1, dilationW = 1;
  int64_t padTop = 0, padBottom = 0, padLeft = 0, padRight = 0;
  int64_t groups = 1;

  /// Applies the defaults (unit strides and dilations, no padding) for
  /// absent attributes. Attributes of the wrong size are left at defaults;
  /// the verifier reports them.
  static Conv2DGeometry get(DenseI64ArrayAttr strides,
                            DenseI64ArrayAttr dilations,
                            DenseI64ArrayAttr padding, int64_t groups);

  /// Output extent of one spatial dimension, or a value < 1 when the
  /// (dilated) window does not fit.
  /// Overflowing extents count as "does not fit".
  static int64_t outputSize(int64_t in, int64_t padBefore, int64_t padAfter,
                            int64_t kernel, int64_t stride, int64_t dilation) {
    int64_t reach, padded, span;
    if (llvm::MulOverflow(dilation, kernel - 1, reach) ||
        llvm::AddOverflow(in, padBefore, padded) ||
        llvm::AddOverflow(padded, padAfter, padded) ||
        llvm::SubOverflow(padded, reach + 1, span) || span < 0 || stride < 1)
      return 0;
    return span / stride + 1;
  }
};

} // namespace bnn
} // namespace mlir

#endif // BNN_DIALECT_BNN_IR_CONV2DGEOMETRY_H
