//===- ElementType.h - element types at the runtime ABI ---------*- C++ -*-===//
//
// Which row of the ABI's element-type table (bnn/Runtime/ElementTypes.h) a
// tensor element type of a public function crosses the ABI as.
//
//===----------------------------------------------------------------------===//

#ifndef BNN_RUNTIMEABI_ELEMENTTYPE_H
#define BNN_RUNTIMEABI_ELEMENTTYPE_H

#include "bnn/Runtime/ElementTypes.h"

#include "mlir/IR/Types.h"

namespace mlir {
namespace bnn {

/// The row `element` crosses the ABI as, or null when the ABI has none:
/// f32, i1 (binary values), ui1..ui8 (bytes), i8 and i32.
inline const runtime::ABIElement *getABIElement(Type element) {
  using runtime::Elem;
  if (element.isF32())
    return &runtime::abiElement(Elem::F32);
  if (element.isSignlessInteger(1))
    return &runtime::abiElement(Elem::Bool);
  if (element.isSignlessInteger(8))
    return &runtime::abiElement(Elem::I8);
  if (element.isSignlessInteger(32))
    return &runtime::abiElement(Elem::I32);
  if (element.isUnsignedInteger() && element.getIntOrFloatBitWidth() <= 8)
    return &runtime::abiElement(Elem::U8);
  return nullptr;
}

} // namespace bnn
} // namespace mlir

#endif // BNN_RUNTIMEABI_ELEMENTTYPE_H
