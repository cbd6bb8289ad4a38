//===- BNNCanonicalization.td - bnn rewrite patterns -------*- tablegen -*-===//

#ifndef BNN_DIALECT_BNN_IR_BNNCANONICALIZATION_TD
#define BNN_DIALECT_BNN_IR_BNNCANONICALIZATION_TD

include "mlir/IR/PatternBase.td"
include "bnn/Dialect/BNN/IR/BNNOps.td"

// unbinarize yields exactly +1.0 / -1.0, whose signs are the original bits.
def BinarizeOfUnbinarize
    : Pat<(BNN_BinarizeOp (BNN_UnbinarizeOp $bits)), (replaceWithValue $bits)>;

#endif // BNN_DIALECT_BNN_IR_BNNCANONICALIZATION_TD
