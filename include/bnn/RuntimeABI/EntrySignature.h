//===- EntrySignature.h - the recorded entry signatures ---------*- C++ -*-===//
//
// bnn-record-runtime-abi records the tensor signature of every public
// function before lowering changes it; the entry points, the metadata and
// the C header are all written from that one record.
//
//===----------------------------------------------------------------------===//

#ifndef BNN_RUNTIMEABI_ENTRYSIGNATURE_H
#define BNN_RUNTIMEABI_ENTRYSIGNATURE_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"

namespace mlir {
namespace bnn {

/// The module attribute that holds the record: an array of dictionaries
/// {name, inputs, outputs}, one per public function with a body, in order.
inline constexpr llvm::StringLiteral kABIAttrName = "bnn.abi";

/// The attribute bnn-plan-workspace sets on a public function whose
/// temporaries it placed in a workspace (i64: the workspace's bytes). Such
/// a function takes one more argument, last: an `!llvm.ptr` to a workspace
/// the caller supplies (64-byte aligned, at least that many bytes), or
/// null for the function's own. The entry points pass it on.
inline constexpr llvm::StringLiteral kWorkspaceBytesAttrName =
    "bnn.workspace_bytes";

/// One public function's tensor signature.
struct EntrySignature {
  StringAttr name;
  /// The function's location while it exists, else the module's.
  Location loc;
  SmallVector<RankedTensorType> inputs;
  SmallVector<RankedTensorType> outputs;
};

/// Whether a value of `type` can cross the runtime ABI: a tensor with a
/// static shape (but for a dynamic batch) of an element type of the ABI's
/// table.
bool isABIType(Type type);

/// The record for the public functions with a body of `module`, as an
/// attribute for kABIAttrName. Fails (with a diagnostic at the function)
/// when a signature cannot cross the ABI.
FailureOr<ArrayAttr> recordEntrySignatures(ModuleOp module);

/// Reads the record; a missing or malformed one is an error at the module.
FailureOr<SmallVector<EntrySignature>> readEntrySignatures(ModuleOp module);

} // namespace bnn
} // namespace mlir

#endif // BNN_RUNTIMEABI_ENTRYSIGNATURE_H
