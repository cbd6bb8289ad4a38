//===- BNNEnums.td - bnn enumerations ----------------------*- tablegen -*-===//

#ifndef BNN_DIALECT_BNN_IR_BNNENUMS_TD
#define BNN_DIALECT_BNN_IR_BNNENUMS_TD

include "bnn/Dialect/BNN/IR/BNNDialect.td"
include "mlir/IR/EnumAttr.td"

def BNN_PadValue : I32EnumAttr<"PadValue",
    "value taken by out-of-bounds input positions of a binary convolution", [
      I32EnumAttrCase<"Zero", 0, "zero">,
      I32EnumAttrCase<"PlusOne", 1, "plus_one">,
      I32EnumAttrCase<"MinusOne", 2, "minus_one">
    ]> {
  let cppNamespace = "::mlir::bnn";
  let genSpecializedAttr = 0;
}

def BNN_PadValueAttr : EnumAttr<BNN_Dialect, BNN_PadValue, "pad_value"> {
  let summary = "Pad value of a binary convolution (zero, plus_one, minus_one)";
  let assemblyFormat = "`<` $value `>`";
}

def BNN_PackedTerm : I32EnumAttr<"PackedTerm",
    "what a packed convolution adds per pair of packed words", [
      I32EnumAttrCase<"Xor", 0, "xor">,
      I32EnumAttrCase<"SignedWeights", 1, "signed_weights">,
      I32EnumAttrCase<"UnsignedWeights", 2, "unsigned_weights">,
      I32EnumAttrCase<"ByteDot", 3, "byte_dot">,
      I32EnumAttrCase<"SignedByteDot", 4, "signed_byte_dot">
    ]> {
  let cppNamespace = "::mlir::bnn";
  let genSpecializedAttr = 0;
}

def BNN_PackedTermAttr : EnumAttr<BNN_Dialect, BNN_PackedTerm, "packed_term"> {
  let summary = "Term of a packed convolution (xor, signed_weights, "
                "unsigned_weights, byte_dot, signed_byte_dot)";
  let assemblyFormat = "`<` $value `>`";
}

#endif // BNN_DIALECT_BNN_IR_BNNENUMS_TD
