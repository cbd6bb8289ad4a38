//===- BNNAttrs.td - bnn attributes ------------------------*- tablegen -*-===//

#ifndef BNN_DIALECT_BNN_IR_BNNATTRS_TD
#define BNN_DIALECT_BNN_IR_BNNATTRS_TD

include "bnn/Dialect/BNN/IR/BNNDialect.td"
include "mlir/IR/AttrTypeBase.td"

def BNN_RegisterBlockAttr : AttrDef<BNN_Dialect, "RegisterBlock"> {
  let mnemonic = "register_block";
  let summary = "Register block of a packed convolution";
  let description = [{
    The block of output pixels (consecutive pixels of a row) times output
    channels whose accumulators a packed convolution keeps in vector
    registers: the `register_block` of `bnn.packed_conv`. Set by hand (or
    by a search) it is obeyed by `bnn-tile-packed-conv`, which otherwise
    chooses one from the target's vector width and register count and
    records it there. Both sizes must divide the convolution's output
    columns and channels per group (checked by the op's verifier).

    ```mlir
    bnn.packed_conv <xor> ins(...) outs(...) strides = [1, 1]
        dilations = [1, 1]
        {register_block = #bnn.register_block<pixels = 4, channels = 32>}
    ```
  }];
  let parameters = (ins "int64_t":$pixels, "int64_t":$channels);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

#endif // BNN_DIALECT_BNN_IR_BNNATTRS_TD
