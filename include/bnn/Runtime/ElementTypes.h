//===- ElementTypes.h - the element types of the runtime ABI ----*- C++ -*-===//
//
// The one table of the element types that cross the runtime ABI (documented
// in bnn-c/Runtime.h): the compiler's entry points check tensors against it,
// the C header describes them with it, and every program that runs
// artifacts reads tensors with it. Plain C++17, like the rest of
// bnn/Runtime.
//
//===----------------------------------------------------------------------===//

#ifndef BNN_RUNTIME_ELEMENTTYPES_H
#define BNN_RUNTIME_ELEMENTTYPES_H

#include "bnn-c/Runtime.h"

#include <cstddef>
#include <cstdint>

namespace mlir {
namespace bnn {
namespace runtime {

enum class Elem { F32, Bool, U8, I8, I32 };

/// One row of the table: the DLDataType an element crosses the ABI as.
struct ABIElement {
  Elem elem;
  uint8_t code;         // DLDataTypeCode
  uint8_t bits;         // DLDataType bits (lanes are always 1)
  size_t size;          // bytes per element
  const char *codeName; // the code's name in C
  const char *descr;    // .npy type string
  const char *numpy;    // numpy's dtype name (torch's after "torch.")
  const char *storage;  // a remark on the storage, or ""
};

/// kDLBool is BNN_DL_BOOL because DLPack headers older than 0.8 lack it.
/// i1 values are one byte each, like a memref of i1 in LLVM; ui1..ui8 all
/// occupy one byte too, like LLVM's i1..i8 in memory.
inline constexpr ABIElement kABIElements[] = {
    {Elem::F32, kDLFloat, 32, 4, "kDLFloat", "<f4", "float32", ""},
    {Elem::Bool, BNN_DL_BOOL, 8, 1, "kDLBool", "|b1", "bool",
     "one byte per value, 1 means -1"},
    {Elem::U8, kDLUInt, 8, 1, "kDLUInt", "|u1", "uint8", ""},
    {Elem::I8, kDLInt, 8, 1, "kDLInt", "|i1", "int8", ""},
    {Elem::I32, kDLInt, 32, 4, "kDLInt", "<i4", "int32", ""},
};

/// The row of `elem`.
inline const ABIElement &abiElement(Elem elem) {
  for (const ABIElement &row : kABIElements)
    if (row.elem == elem)
      return row;
  return kABIElements[0]; // not reached: every Elem has a row
}

/// The row of a DLDataType, or null when the ABI has none.
inline const ABIElement *findABIElement(DLDataType dtype) {
  if (dtype.lanes != 1)
    return nullptr;
  for (const ABIElement &row : kABIElements)
    if (row.code == dtype.code && row.bits == dtype.bits)
      return &row;
  return nullptr;
}

} // namespace runtime
} // namespace bnn
} // namespace mlir

#endif // BNN_RUNTIME_ELEMENTTYPES_H
