//===- BNNDialect.td - bnn dialect definition --------------*- tablegen -*-===//
//
// The dialect for binarized (1-bit), bit-serial low-bit (1-8 bit) and int8
// neural-network operators.
//
//===----------------------------------------------------------------------===//

#ifndef BNN_DIALECT_BNN_IR_BNNDIALECT_TD
#define BNN_DIALECT_BNN_IR_BNNDIALECT_TD

include "mlir/IR/OpBase.td"

def BNN_Dialect : Dialect {
  let name = "bnn";
  let cppNamespace = "::mlir::bnn";
  let summary = "Binary, bit-serial low-bit and int8 neural-network operators";
  let description = [{
    The `bnn` dialect describes the layers of binarized and low-bit neural
    networks at the value level. Every operator has exact integer semantics
    that the reference interpreter implements directly and that every
    optimised lowering must reproduce bit for bit.

    Conventions shared by all operators:

    * Activations are NHWC, convolution filters OHWI (output channels,
      kernel height, kernel width, input channels per group), dense weights
      `[out, in]`.
    * A binary value is +1 or -1 and is stored as `i1`; a set bit (`1`) means
      -1, following the float sign bit. Binarization maps `x < 0` to -1 and
      everything else (including -0.0 and NaN) to +1.
    * Unsigned k-bit values (k = 1..8) use the builtin unsigned integer types
      `ui1` .. `ui8`; int8 values use the signless `i8` type and are read as
      two's complement. `bnn.quantize` turns float tensors into either.
    * Convolutions and dense layers produce exact `i32` accumulators; the
      epilogue operators (`bnn.acc_to_float`, `bnn.threshold`,
      `bnn.requantize`) turn them into the next layer's input.
  }];
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

/// Base class of every bnn operator.
class BNN_Op<string mnemonic, list<Trait> traits = []>
    : Op<BNN_Dialect, mnemonic, traits>;

#endif // BNN_DIALECT_BNN_IR_BNNDIALECT_TD
