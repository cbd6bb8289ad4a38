//===- BNNOps.h - bnn operators ---------------------------------*- C++ -*-===//

#ifndef BNN_DIALECT_BNN_IR_BNNOPS_H
#define BNN_DIALECT_BNN_IR_BNNOPS_H

#include "bnn/Dialect/BNN/IR/BNNDialect.h"
#include "bnn/Dialect/BNN/IR/Conv2DGeometry.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/TilingInterface.h"

#include "bnn/Dialect/BNN/IR/BNNEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "bnn/Dialect/BNN/IR/BNNAttrs.h.inc"

#define GET_OP_CLASSES
#include "bnn/Dialect/BNN/IR/BNNOps.h.inc"

#endif // BNN_DIALECT_BNN_IR_BNNOPS_H
