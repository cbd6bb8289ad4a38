//===- BNNCanonicalization.td - bnn rewrite patterns -------*- tablegen -*-===//

#ifndef BNN_DIALECT_BNN_IR_BNNCANONICALIZATION_TD
#define BNN_DIALECT_BNN_IR_BNNCANONICALIZATION_TD

include "mlir/IR/PatternBase.td"
include "bnn/Dialect/BNN/IR/BNNOps.td"

def BNN_SameType : Constraint<CPred<"$0.getType() == $1.getType()">,
                               "values of the same type">;

// unbinarize yields exactly +1.0 / -1.0, whose signs are the original bits.
// Shapes may be refined or erased in between; only identical types rewrite.
def BinarizeOfUnbinarize
    : Pat<(BNN_BinarizeOp:$result (BNN_UnbinarizeOp $bits)),
          (replaceWithValue $bits), [(BNN_SameType $result, $bits)]>;

#endif // BNN_DIALECT_BNN_IR_BNNCANONICALIZATION_TD
