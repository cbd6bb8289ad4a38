//===- BNNDialect.cpp - bnn dialect ---------------------------------------===//

#include "PackedConvInterfaces.h"

#include "bnn/Dialect/BNN/IR/BNNDialect.h"
#include "bnn/Dialect/BNN/IR/BNNOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::bnn;

#include "bnn/Dialect/BNN/IR/BNNDialect.cpp.inc"
#include "bnn/Dialect/BNN/IR/BNNEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "bnn/Dialect/BNN/IR/BNNAttrs.cpp.inc"

void BNNDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "bnn/Dialect/BNN/IR/BNNAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "bnn/Dialect/BNN/IR/BNNOps.cpp.inc"
      >();
  attachPackedConvInterfaces(getContext());
}

Operation *BNNDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                           Type type, Location loc) {
  auto typed = dyn_cast<TypedAttr>(value);
  if (!typed || typed.getType() != type)
    return nullptr;
  return arith::ConstantOp::create(builder, loc, type, typed);
}

LogicalResult
RegisterBlockAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                          int64_t pixels, int64_t channels) {
  if (pixels <= 0 || channels <= 0)
    return emitError() << "register block sizes must be positive, got "
                       << pixels << " pixels and " << channels
                       << " channels";
  return success();
}
