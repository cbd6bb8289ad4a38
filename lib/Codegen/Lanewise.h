//===- Lanewise.h - lane-wise emission of linalg bodies --------*- C++ -*-===//
//
// The vectorizers of packed convolutions and of bit packing both apply a
// linalg.generic's scalar body to vectors, one lane per output element.
//
//===----------------------------------------------------------------------===//

#ifndef BNN_LIB_CODEGEN_LANEWISE_H
#define BNN_LIB_CODEGEN_LANEWISE_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir {
namespace bnn {
namespace lanewise {

/// Splats `v` to `lanes` lanes unless it is a vector already.
Value splatTo(OpBuilder &b, Location loc, Value v, int64_t lanes);

/// Emits the body's computation of `root` lane-wise: block argument i maps
/// to `args[i]`, linalg.index of dim d to `dims[d]`; ops that touch a
/// vector become vector ops (their scalar operands splatted).
Value cloneLanewise(OpBuilder &b, Location loc, linalg::GenericOp op,
                    Value root, ArrayRef<Value> args, ArrayRef<Value> dims,
                    int64_t lanes);

/// Index values of `map`'s results at the loop dims `dims` (constants or
/// values; constants fold into the affine maps).
SmallVector<Value> applyMap(OpBuilder &b, Location loc, AffineMap map,
                            ArrayRef<OpFoldResult> dims);

} // namespace lanewise
} // namespace bnn
} // namespace mlir

#endif // BNN_LIB_CODEGEN_LANEWISE_H
