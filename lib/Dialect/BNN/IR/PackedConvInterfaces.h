//===- PackedConvInterfaces.h - external models of packed_conv --*- C++ -*-===//
//
// Private to the dialect: BNNDialect::initialize attaches them.
//
//===----------------------------------------------------------------------===//

#ifndef BNN_LIB_DIALECT_BNN_IR_PACKEDCONVINTERFACES_H
#define BNN_LIB_DIALECT_BNN_IR_PACKEDCONVINTERFACES_H

namespace mlir {
class MLIRContext;
namespace bnn {

/// Attaches the external models of bnn.packed_conv (bufferization).
void attachPackedConvInterfaces(MLIRContext *ctx);

} // namespace bnn
} // namespace mlir

#endif // BNN_LIB_DIALECT_BNN_IR_PACKEDCONVINTERFACES_H
