//===- BNNDialect.h - bnn dialect -------------------------------*- C++ -*-===//

#ifndef BNN_DIALECT_BNN_IR_BNNDIALECT_H
#define BNN_DIALECT_BNN_IR_BNNDIALECT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Dialect.h"

#include "bnn/Dialect/BNN/IR/BNNDialect.h.inc"

#endif // BNN_DIALECT_BNN_IR_BNNDIALECT_H
