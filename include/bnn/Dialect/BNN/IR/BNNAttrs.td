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
    registers. `bnn-tile-packed-conv` reads it from the `bnn.register_block`
    attribute of a packed convolution when one is set (by hand, or by a
    search), and otherwise chooses it from the target's vector width and
    register count and records it there. Both sizes must divide the
    convolution's output columns and channels per group; anything else is
    an error of the pass.

    ```mlir
    linalg.generic {...} attrs = {bnn.packed_conv,
        bnn.register_block = #bnn.register_block<pixels = 4, channels = 32>}
    ```
  }];
  let parameters = (ins "int64_t":$pixels, "int64_t":$channels);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

#endif // BNN_DIALECT_BNN_IR_BNNATTRS_TD
